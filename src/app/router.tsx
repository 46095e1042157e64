import { createBrowserRouter, Navigate, type RouteObject } from 'react-router-dom'
import { FlowListPage } from '../features/flows/flow-list/flow-list-page'
import { LoginPage } from '../features/session/login-page'
import { RequireSession } from '../features/session/require-session'
import { AppShell } from './app-shell'
import { NotFoundPage } from './not-found-page'
import { RouteError } from './route-error'

export const routes: RouteObject[] = [
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
              { path: 'flows', element: <FlowListPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]

export const createAppRouter = () => createBrowserRouter(routes)
