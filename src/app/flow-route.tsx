import { useQuery } from '@tanstack/react-query'
import { useParams } from 'react-router-dom'
import { flowQueries, type FlowDetail } from '../features/flows/api/flow-queries'
import { FlowEditor } from '../features/editor/flow-editor'
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
  return <FlowPage key={id} flowId={id} runs={<FlowRuns flowId={id} />} editor={FlowEditor} />
}

const selectRunInputs = ({ flow }: FlowDetail) => ({
  version: flow.updated_at,
  sourceStatus: flow.data_source?.status ?? flow.status,
})

/**
 * What the runs panel needs from the flow: its version (the server bumps it when a run starts or ends, so the
 * list refreshes then instead of on a timer) and whether a run can start at all (the source must be ACTIVE).
 * Its own component, so only it re-renders when the flow changes.
 */
function FlowRuns({ flowId }: { flowId: number }) {
  const { data } = useQuery({ ...flowQueries.detail(flowId), select: selectRunInputs })
  const denial =
    data && data.sourceStatus !== 'ACTIVE'
      ? `The data source is ${data.sourceStatus === 'PAUSED' ? 'paused' : 'not active yet'}: activate the flow to run it`
      : null
  return <RunsPanel flowId={flowId} flowVersion={data?.version} runDenial={denial} />
}
