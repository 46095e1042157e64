import type { QueryClient } from '@tanstack/react-query'
import { createBrowserRouter, Navigate, type LoaderFunctionArgs, type RouteObject } from 'react-router-dom'
import { getCredentials } from '../api/credentials'
import { NewFlowButton } from '../features/editor/new-flow'
import { FlowListPage } from '../features/flows/flow-list/flow-list-page'
import { flowQueries } from '../features/flows/api/flow-queries'
import { LoginPage } from '../features/session/login-page'
import { RequireSession } from '../features/session/require-session'
import { AppShell } from './app-shell'
import { NotFoundPage } from './not-found-page'
import { RouteError } from './route-error'

/**
 * Starts fetching the flow while the canvas chunk downloads, instead of after it. Never waits: the page shows
 * its own loading and error states.
 */
const prefetchFlow =
  (queryClient: QueryClient) =>
  ({ params }: LoaderFunctionArgs) => {
    const id = Number(params.flowId)
    if (getCredentials().apiKey && Number.isSafeInteger(id) && id > 0)
      void queryClient.prefetchQuery(flowQueries.detail(id))
    return null
  }

export function createRoutes(queryClient: QueryClient): RouteObject[] {
  return [
    { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
    {
      element: <RequireSession />,
      errorElement: <RouteError />,
      children: [
        {
          element: <AppShell />,
          children: [
            {
              // Errors inside a page render within the shell, so navigation and Sign out stay usable.
              errorElement: <RouteError />,
              children: [
                { index: true, element: <Navigate to="/flows" replace /> },
                { path: 'flows', element: <FlowListPage actions={<NewFlowButton />} /> },
                {
                  path: 'flows/:flowId',
                  loader: prefetchFlow(queryClient),
                  lazy: async () => ({ Component: (await import('./flow-route')).FlowRoute }),
                },
                {
                  path: 'flows/:flowId/runs/:runId',
                  lazy: async () => ({ Component: (await import('./run-route')).RunRoute }),
                },
                { path: '*', element: <NotFoundPage /> },
              ],
            },
          ],
        },
      ],
    },
  ]
}

export const createAppRouter = (queryClient: QueryClient) => createBrowserRouter(createRoutes(queryClient))
