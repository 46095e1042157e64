import { useId, useState, type FormEvent } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useNavigate, useSearchParams } from 'react-router-dom'
import { getBaseUrl, normalizeBaseUrl, signIn } from '../../api/credentials'
import { queryKeys } from '../../api/query-keys'
import { fetchMe } from '../../api/session-queries'
import { safeNextPath } from './next-path'
import { useCredentials } from './use-credentials'

interface SignInInput {
  apiKey: string
  baseUrl: string
}

function baseUrlProblem(url: string): string | null {
  try {
    const { protocol } = new URL(url)
    return protocol === 'http:' || protocol === 'https:' ? null : 'Use an http:// or https:// URL'
  } catch {
    return 'Enter a full URL, such as http://localhost:8080/api'
  }
}

/** Checks the key with `GET /api/me` before keeping it, so a typo is caught here and not on the next page. */
export function LoginPage() {
  const id = useId()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [params] = useSearchParams()
  const { lastEnd } = useCredentials()
  const [apiKey, setApiKey] = useState('')
  const [baseUrl, setBaseUrl] = useState(getBaseUrl)
  const [problems, setProblems] = useState<{ apiKey?: string; baseUrl?: string }>({})

  const signInMutation = useMutation({
    mutationFn: (input: SignInInput) => fetchMe({ apiKey: input.apiKey, baseUrl: input.baseUrl }),
    onSuccess: (me, input) => {
      // The cache may hold another user's data: start clean, then keep the user we just fetched.
      queryClient.removeQueries()
      signIn(input.apiKey, input.baseUrl)
      queryClient.setQueryData(queryKeys.me(), me)
      void navigate(safeNextPath(params.get('next')), { replace: true })
    },
  })

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const input = { apiKey: apiKey.trim(), baseUrl: normalizeBaseUrl(baseUrl) }
    const next = {
      apiKey: input.apiKey ? undefined : 'Enter an API key',
      baseUrl: baseUrlProblem(input.baseUrl) ?? undefined,
    }
    setProblems(next)
    if (next.apiKey || next.baseUrl) return
    signInMutation.mutate(input)
  }

  const keyHint = `${id}-key-hint`
  const keyProblem = `${id}-key-problem`
  const urlHint = `${id}-url-hint`
  const urlProblem = `${id}-url-problem`

  return (
    <main className="login">
      <title>Sign in · Flow Console</title>
      <div className="login-card">
        <p className="brand brand-large">Flow Console</p>
        <h1>Sign in</h1>
        {lastEnd === 'rejected' && !signInMutation.error && (
          <p className="notice" role="status">
            The server no longer accepts the API key you were using. Sign in again to continue.
          </p>
        )}
        <form
          onSubmit={onSubmit}
          noValidate
          aria-describedby={signInMutation.error ? `${id}-error` : undefined}
        >
          <div className="field">
            <label htmlFor={`${id}-key`}>API key</label>
            <input
              id={`${id}-key`}
              type="password"
              autoComplete="current-password"
              spellCheck={false}
              value={apiKey}
              onChange={(e) => setApiKey(e.target.value)}
              aria-invalid={problems.apiKey ? true : undefined}
              aria-describedby={problems.apiKey ? `${keyProblem} ${keyHint}` : keyHint}
            />
            {problems.apiKey && (
              <p id={keyProblem} className="field-problem">
                {problems.apiKey}
              </p>
            )}
            <p id={keyHint} className="hint">
              From your administrator; the first super-user&apos;s key is the server&apos;s ADMIN_API_KEY.
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-url`}>API base URL</label>
            <input
              id={`${id}-url`}
              type="url"
              inputMode="url"
              autoComplete="url"
              spellCheck={false}
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
              aria-invalid={problems.baseUrl ? true : undefined}
              aria-describedby={problems.baseUrl ? `${urlProblem} ${urlHint}` : urlHint}
            />
            {problems.baseUrl && (
              <p id={urlProblem} className="field-problem">
                {problems.baseUrl}
              </p>
            )}
            <p id={urlHint} className="hint">
              Where the API lives. The default is this server&apos;s /api.
            </p>
          </div>
          {signInMutation.error && (
            <p id={`${id}-error`} className="form-error" role="alert">
              {signInMutation.error.message}
            </p>
          )}
          <button
            type="submit"
            className="button button-primary"
            disabled={signInMutation.isPending}
            aria-busy={signInMutation.isPending || undefined}
          >
            Sign in
          </button>
        </form>
      </div>
    </main>
  )
}
