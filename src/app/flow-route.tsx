import { useParams } from 'react-router-dom'
import { FlowPage } from '../features/flows/flow-detail/flow-page'
import { RunsPanel } from '../features/runs/runs-panel'
import { NotFoundPage } from './not-found-page'

/**
 * `/flows/:flowId`, loaded on demand: React Flow and the layout live in this chunk, so /login and /flows stay
 * small. The app composes the flow page and the runs panel (features do not import each other).
 */
export function FlowRoute() {
  const { flowId } = useParams()
  const id = Number(flowId)
  if (!Number.isSafeInteger(id) || id <= 0) return <NotFoundPage />
  // A new flow is a new page: no menu, selection or toast wiring carries over.
  return <FlowPage key={id} flowId={id} runs={<RunsPanel flowId={id} />} />
}
