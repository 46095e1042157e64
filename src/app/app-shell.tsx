import { Link, NavLink, Outlet } from 'react-router-dom'
import { Toaster } from '../components/ui/toast'
import { CurrentUser } from '../features/session/current-user'

/** The frame of every signed-in page: a banner with navigation and the current user, then the page. */
export function AppShell() {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/flows" className="brand">
          Flow Console
        </Link>
        <nav aria-label="Main" className="main-nav">
          <NavLink to="/flows">Flows</NavLink>
        </nav>
        <CurrentUser />
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
      <Toaster />
    </div>
  )
}
