import type { ApiErrorBody } from './contract'
import { endSession, getBaseUrl, getCredentials } from './credentials'

/** An error answer from the API, carrying its JSON body (`{status, message, ...details}`). */
export class ApiError extends Error {
  readonly status: number
  readonly body: ApiErrorBody

  constructor(body: ApiErrorBody) {
    super(body.message)
    this.name = 'ApiError'
    this.status = body.status
    this.body = body
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Sent as JSON. */
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  /**
   * Sign in with this key instead of the stored one (the login form checking a key). A 401 for an explicit key
   * is only that key's problem, so it does not end the session.
   */
  apiKey?: string
  /** Talk to this API root instead of the stored one. */
  baseUrl?: string
}

export interface ApiResponse<T> {
  data: T
  status: number
  headers: Headers
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { status?: unknown }).status === 'number'
  )
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/**
 * Sends one request and returns the response when it is OK (2xx, or 304 when `notModifiedIsOk`). Errors are
 * always thrown as ApiError; status 0 means the API could not be reached at all.
 */
async function send(path: string, options: RequestOptions, notModifiedIsOk = false) {
  const method = options.method ?? 'GET'
  const baseUrl = options.baseUrl ?? getBaseUrl()
  const apiKey = options.apiKey ?? getCredentials().apiKey
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  if (apiKey) headers.authorization = `Bearer ${apiKey}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const url = `${baseUrl}${path}`

  let response: Response
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      // A request that carries its own If-None-Match gets the 304 itself; the browser's copy would be unused.
      ...(notModifiedIsOk && { cache: 'no-store' as const }),
    })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError({
      status: 0,
      message: `Could not reach the API at ${baseUrl}: check the API base URL and that the server is running`,
    })
  }
  if (response.ok || (notModifiedIsOk && response.status === 304)) return response

  const body = await readJson(response)
  // A 401 anywhere means the stored key no longer works: forget it, and the session guard sends the
  // person to /login, remembering where they were.
  // (Only if that key is still the stored one: a late answer must not end a newer session.)
  if (response.status === 401 && options.apiKey === undefined && getCredentials().apiKey === apiKey)
    endSession('rejected')
  throw new ApiError(
    isErrorBody(body)
      ? body
      : {
          status: response.status,
          message: `${method} ${url} failed: ${response.status} ${response.statusText}`,
        },
  )
}

/** The one way the console calls the API. `path` is relative to the API root (`/me`, `/flows`). */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const response = await send(path, options)
  return { data: (await readJson(response)) as T, status: response.status, headers: response.headers }
}

/** apiRequest for when only the body matters. */
export async function api<T>(path: string, options?: RequestOptions): Promise<T> {
  return (await apiRequest<T>(path, options)).data
}

export type Conditional<T> = { changed: false } | { changed: true; data: T; etag: string | null }

/**
 * A GET that sends `If-None-Match` itself. On a 304 the body is never read or parsed, so the caller can keep
 * the data it has (and its identity: nothing downstream re-renders). Browser revalidation cannot do that: it
 * turns the 304 into a 200 and hands JavaScript the whole body again.
 */
export async function apiGetIfChanged<T>(
  path: string,
  etag: string | null,
  options: Omit<RequestOptions, 'method' | 'body'> = {},
): Promise<Conditional<T>> {
  const headers = etag ? { ...options.headers, 'if-none-match': etag } : options.headers
  const response = await send(path, { ...options, headers }, true)
  if (response.status === 304) return { changed: false }
  return { changed: true, data: (await readJson(response)) as T, etag: response.headers.get('etag') }
}
