import { describe, expect, it } from 'vitest'
import { loginPathFor, safeNextPath } from './next-path'

describe('safeNextPath', () => {
  it('keeps paths inside the console', () => {
    expect(safeNextPath('/flows/12?node=data_set-5061')).toBe('/flows/12?node=data_set-5061')
  })

  it.each([
    null,
    '',
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '/login',
    '/login?next=/x',
  ])('falls back to /flows for %s', (next) => {
    expect(safeNextPath(next)).toBe('/flows')
  })
})

describe('loginPathFor', () => {
  it('remembers a deep link and skips the default page', () => {
    expect(loginPathFor('/flows/12?node=a')).toBe('/login?next=%2Fflows%2F12%3Fnode%3Da')
    expect(loginPathFor('/flows')).toBe('/login')
  })
})
