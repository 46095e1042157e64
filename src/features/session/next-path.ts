/**
 * Where to go after signing in, from `?next=`. Only paths inside the console: anything else (another site,
 * `//host`, the login page itself) falls back to the flow list so the parameter cannot send people away.
 */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/flows'
  if (next === '/login' || next.startsWith('/login?')) return '/flows'
  return next
}

/** The login URL that brings the person back to `here` afterwards. */
export function loginPathFor(here: string): string {
  return here === '/' || here === '/flows' ? '/login' : `/login?next=${encodeURIComponent(here)}`
}
