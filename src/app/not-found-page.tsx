import { Link, useLocation } from 'react-router-dom'

export function NotFoundPage() {
  const { pathname } = useLocation()
  return (
    <section className="page page-narrow">
      <title>Not found · Flow Console</title>
      <h1>Page not found</h1>
      <p>
        Nothing in the console lives at <code>{pathname}</code>.
      </p>
      <p>
        <Link to="/flows">Go to flows</Link>
      </p>
    </section>
  )
}
