import { QueryClient } from '@tanstack/react-query'
import { ApiError } from '../api/http'

/** Retrying a 4xx cannot help (the request itself is wrong or not allowed); network trouble and 5xx may pass. */
function shouldRetry(failureCount: number, error: Error): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false
  return failureCount < 2
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 5_000, retry: shouldRetry },
      mutations: { retry: false },
    },
  })
}
