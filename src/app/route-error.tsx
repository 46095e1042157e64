import { Link, isRouteErrorResponse, useRouteError } from 'react-router-dom'

/** Shown instead of a page that threw while rendering, so one broken screen never blanks the console. */
export function RouteError() {
  const error = useRouteError()
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error'
  return (
    <section className="page page-narrow" role="alert">
      <h1>Something went wrong</h1>
      <p>The console hit an error showing this page: {message}</p>
      <p>
        <Link to="/flows">Go to flows</Link> or reload the page.
      </p>
    </section>
  )
}
