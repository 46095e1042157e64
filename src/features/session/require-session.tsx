import { Navigate, Outlet, useLocation } from 'react-router-dom'
import { useCredentials } from './use-credentials'
import { loginPathFor } from './next-path'

/**
 * Renders the signed-in console, or sends the person to /login. Because it follows the stored key, a 401 from
 * any request (which forgets the key) lands here too, remembering the page they were on.
 */
export function RequireSession() {
  const { apiKey } = useCredentials()
  const location = useLocation()
  if (!apiKey) {
    const here = `${location.pathname}${location.search}${location.hash}`
    return <Navigate to={loginPathFor(here)} replace />
  }
  return <Outlet />
}
