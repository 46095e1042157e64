import type { DeleteResponse, Flow, FlowResponse, FlowStatus } from '../../../api/contract'
import { api, ApiError } from '../../../api/http'
import { pluralOf, type ActionScope, type ResourceRef } from '../flow-model'

/** The API calls behind the node menu and the list's row buttons (flows-api.md §4–§5; runs: api/run-queries). */

export type ControlAction = 'activate' | 'pause'

const scopeQuery = (scope: ActionScope) => (scope === 'flow' ? '&all=1' : '')

/** `PUT /<kind>/{id}/flow/activate|pause[?all=1]`; answers the flow as it is now. */
export async function controlFlow(
  target: ResourceRef,
  action: ControlAction,
  scope: ActionScope,
): Promise<Flow> {
  const response = await api<FlowResponse>(
    `/${pluralOf[target.kind]}/${target.id}/flow/${action}?flows_only=1${scopeQuery(scope)}`,
    { method: 'PUT' },
  )
  const flow = response.flows[0]
  if (!flow) throw new ApiError({ status: 404, message: 'The server answered without the flow' })
  return flow
}

/** `PUT /<kind>/{id}/activate|pause`: that one resource, no cascade (used by Undo). */
export async function setResourceStatus(target: ResourceRef, action: ControlAction): Promise<void> {
  await api<unknown>(`/${pluralOf[target.kind]}/${target.id}/${action}`, { method: 'PUT' })
}

/** `DELETE /<kind>/{id}/flow[?all=1]`: 405 with the active ids while anything in scope is active. */
export function deleteFlowScope(target: ResourceRef, scope: ActionScope): Promise<DeleteResponse> {
  return api<DeleteResponse>(
    `/${pluralOf[target.kind]}/${target.id}/flow${scope === 'flow' ? '?all=1' : ''}`,
    {
      method: 'DELETE',
    },
  )
}

/** The status a resource ends up with after an action. */
export const statusAfter = (action: ControlAction): FlowStatus =>
  action === 'activate' ? 'ACTIVE' : 'PAUSED'

/** Runs `tasks` at most `limit` at a time (Undo of many single resources must not flood the server). */
export async function inBatches<T>(items: T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await task(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
