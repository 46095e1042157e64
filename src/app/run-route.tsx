import { useQuery } from '@tanstack/react-query'
import { useParams } from 'react-router-dom'
import { flowQueries, type FlowDetail } from '../features/flows/api/flow-queries'
import { stateOf } from '../features/flows/flow-model'
import { RunPage } from '../features/runs/run-page'
import { NotFoundPage } from './not-found-page'

/** The flow's name and its resources' names, so the run page names what people named. */
const selectNames = ({ flow }: FlowDetail) => {
  const names: Record<string, string> = {}
  for (const [key, resource] of Object.entries(stateOf(flow).resources)) names[key] = resource.name
  return { flowName: flow.name, names }
}

/**
 * `/flows/:flowId/runs/:runId`, loaded on demand. The app gives the run page the names it reads from the flow
 * (features do not import each other); the run shows without them while the flow loads, or if it is gone.
 */
export function RunRoute() {
  const { flowId, runId } = useParams()
  const id = Number(flowId)
  const valid = Number.isSafeInteger(id) && id > 0 && !!runId
  const { data } = useQuery({ ...flowQueries.detail(id), select: selectNames, enabled: valid })
  if (!valid) return <NotFoundPage />
  return (
    <RunPage key={runId} flowId={id} runId={runId} flowName={data?.flowName} resourceNames={data?.names} />
  )
}
