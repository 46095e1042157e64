/**
 * Where the console keeps what it signs in with: the API key and the API base URL, in localStorage so a
 * reload keeps the session. A tiny external store (useSyncExternalStore) so the UI follows sign-in,
 * sign-out, a 401 anywhere, and sign-out in another tab.
 */
const KEY_ITEM = 'flow-console.api-key'
const BASE_URL_ITEM = 'flow-console.api-base-url'

/** Why the last session ended: the login page explains a `rejected` one. */
export type SessionEnd = 'signed-out' | 'rejected'

export interface Credentials {
  apiKey: string | null
  lastEnd: SessionEnd | null
}

const listeners = new Set<() => void>()
let snapshot: Credentials = { apiKey: readKey(), lastEnd: null }

function readKey(): string | null {
  try {
    return localStorage.getItem(KEY_ITEM) || null
  } catch {
    return null
  }
}

function publish(next: Credentials) {
  snapshot = next
  for (const listener of listeners) listener()
}

export function subscribeCredentials(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export const getCredentials = (): Credentials => snapshot

export function signIn(apiKey: string, baseUrl: string) {
  localStorage.setItem(KEY_ITEM, apiKey)
  // The default is stored as "nothing" so the console keeps following the origin it is served from.
  if (baseUrl === defaultBaseUrl()) localStorage.removeItem(BASE_URL_ITEM)
  else localStorage.setItem(BASE_URL_ITEM, baseUrl)
  publish({ apiKey, lastEnd: null })
}

export function endSession(reason: SessionEnd) {
  localStorage.removeItem(KEY_ITEM)
  if (snapshot.apiKey !== null || snapshot.lastEnd !== reason) publish({ apiKey: null, lastEnd: reason })
}

/** The API root the console talks to by default: `/api` on the origin that served it. */
export const defaultBaseUrl = () => `${window.location.origin}/api`

export function getBaseUrl(): string {
  try {
    return localStorage.getItem(BASE_URL_ITEM) || defaultBaseUrl()
  } catch {
    return defaultBaseUrl()
  }
}

/** Normalizes what a person typed: trims it and drops trailing slashes so paths join cleanly. */
export const normalizeBaseUrl = (url: string) => url.trim().replace(/\/+$/, '')

// Signing out in one tab signs out the others.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== KEY_ITEM && event.key !== null) return
    const apiKey = readKey()
    if (apiKey !== snapshot.apiKey) publish({ apiKey, lastEnd: apiKey ? null : 'signed-out' })
  })
}
