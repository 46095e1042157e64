import { queryOptions } from '@tanstack/react-query'
import type { Me } from './contract'
import { getBaseUrl } from './credentials'
import { api, ApiError, type RequestOptions } from './http'
import { queryKeys } from './query-keys'

/**
 * `GET /api/me`, checked to really be the signed-in user: a base URL that points at a web page instead of the
 * API answers 200 with HTML, and that must not count as a successful sign-in.
 */
export async function fetchMe(options?: RequestOptions): Promise<Me> {
  const me = await api<unknown>('/me', options)
  if (typeof me !== 'object' || me === null || !('role' in me) || !('name' in me)) {
    throw new ApiError({
      status: 0,
      message: `${options?.baseUrl ?? getBaseUrl()} is not a Flow Console API (GET /me did not return a user); the API base URL usually ends in /api`,
    })
  }
  return me as Me
}

export const sessionQueries = {
  me: () =>
    queryOptions({
      queryKey: queryKeys.me(),
      queryFn: ({ signal }) => fetchMe({ signal }),
      staleTime: 60_000,
    }),
}
