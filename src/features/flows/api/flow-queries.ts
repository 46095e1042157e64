import { queryOptions } from '@tanstack/react-query'
import type { DryRunResponse, Flow, FlowResponse } from '../../../api/contract'
import { apiGetIfChanged, apiRequest, ApiError, api } from '../../../api/http'
import { queryKeys, type ResourcePlural } from '../../../api/query-keys'
import { resourceQueries } from '../../../api/resource-queries'
import { pluralOf, type ActionScope, type ResourceRef } from '../flow-model'

export interface FlowListPage {
  flows: Flow[]
  /** All flows the caller may see, from X-Total-Count (the page may hold fewer). */
  total: number
}

async function fetchFlowList(signal: AbortSignal): Promise<FlowListPage> {
  // The list needs the flows only, not every resource in them.
  const { data, headers } = await apiRequest<FlowResponse>('/flows?flows_only=1', { signal })
  const total = Number(headers.get('X-Total-Count') ?? data.flows.length)
  return { flows: data.flows, total: Number.isFinite(total) ? total : data.flows.length }
}

/** One flow, with the ETag it came with so the next poll can ask "changed since?". */
export interface FlowDetail {
  flow: Flow
  etag: string | null
}

/**
 * `GET /flows/{id}?flows_only=1` with our own If-None-Match. On a 304 the previous object is returned as is:
 * same reference, so structural sharing stops there and no component re-renders.
 */
async function fetchFlowDetail(
  flowId: number,
  previous: FlowDetail | undefined,
  signal: AbortSignal,
): Promise<FlowDetail> {
  const result = await apiGetIfChanged<FlowResponse>(
    `/flows/${flowId}?flows_only=1`,
    previous?.etag ?? null,
    {
      signal,
    },
  )
  if (!result.changed) {
    if (previous) return previous
    // A 304 without data to keep cannot happen (no ETag was sent); fetch plainly rather than show nothing.
    return fetchFlowDetail(flowId, undefined, signal)
  }
  const flow = result.data.flows[0]
  if (!flow) throw new ApiError({ status: 404, message: `Flow ${flowId} not found` })
  return { flow, etag: result.etag }
}

export const flowQueries = {
  list: () =>
    queryOptions({
      queryKey: queryKeys.flows.list(),
      queryFn: ({ signal }) => fetchFlowList(signal),
    }),
  /** The open flow. How often it refreshes is decided where it is shown (see `useFlowPollInterval`). */
  detail: (flowId: number) =>
    queryOptions({
      queryKey: queryKeys.flows.detail(flowId),
      queryFn: ({ signal, client, queryKey }) =>
        fetchFlowDetail(flowId, client.getQueryData<FlowDetail>(queryKey), signal),
      // A 304 costs nothing, so coming back to the tab always asks.
      refetchOnWindowFocus: 'always',
    }),
  /** What deleting would remove, and which of those are active (`?dry_run=1`: changes nothing). */
  deletePreview: (flowId: number, target: ResourceRef, scope: ActionScope) =>
    queryOptions({
      queryKey: queryKeys.flows.deletePreview(flowId, `${target.kind}-${target.id}`, scope),
      queryFn: ({ signal }) =>
        api<DryRunResponse>(
          `/${pluralOf[target.kind]}/${target.id}/flow?dry_run=1${scope === 'flow' ? '&all=1' : ''}`,
          { method: 'DELETE', signal },
        ),
      staleTime: 0,
      gcTime: 0,
    }),
  resource: (plural: ResourcePlural, id: number) => resourceQueries.detail(plural, id),
}
