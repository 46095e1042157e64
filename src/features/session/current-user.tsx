import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import type { Role } from '../../api/contract'
import { endSession } from '../../api/credentials'
import { sessionQueries } from '../../api/session-queries'

const roleLabels: Record<Role, string> = {
  super_user: 'Super-user',
  admin: 'Admin',
  operator: 'Operator',
  viewer: 'Viewer',
}

/** Who is signed in (name, role, org) and the way out. */
export function CurrentUser() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const { data: me } = useQuery(sessionQueries.me())

  async function signOut() {
    // Leave first: forgetting the key while still on a guarded page would send us to /login?next=<here>,
    // and someone who signs out is not coming back to where they were.
    await navigate('/login', { replace: true })
    endSession('signed-out')
    // Nothing of this user's data may show to whoever signs in next.
    queryClient.removeQueries()
  }

  return (
    <div className="current-user">
      {me ? (
        <p className="who">
          <span className="visually-hidden">Signed in as </span>
          <span className="who-name">{me.name}</span>
          <span className="visually-hidden">, </span>
          <span className="role-badge">{roleLabels[me.role]}</span>
          <span className="visually-hidden">, </span>
          <span className="who-org">{me.org.name}</span>
        </p>
      ) : (
        <p className="who who-pending">Signed in</p>
      )}
      <button type="button" className="button" onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  )
}
