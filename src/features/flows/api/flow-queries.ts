import { queryOptions } from '@tanstack/react-query'
import type { Flow, FlowResponse } from '../../../api/contract'
import { apiRequest, ApiError } from '../../../api/http'
import { queryKeys } from '../../../api/query-keys'

export interface FlowListPage {
  flows: Flow[]
  /** All flows the caller may see, from X-Total-Count (the page may hold fewer). */
  total: number
}

async function fetchFlowList(signal: AbortSignal): Promise<FlowListPage> {
  try {
    // The list needs the flows only, not every resource in them.
    const { data, headers } = await apiRequest<FlowResponse>('/flows?flows_only=1', { signal })
    const total = Number(headers.get('X-Total-Count') ?? data.flows.length)
    return { flows: data.flows, total: Number.isFinite(total) ? total : data.flows.length }
  } catch (error) {
    // Servers without the flows API yet answer 404 for the route: that is "no flows", not a failure.
    if (error instanceof ApiError && error.status === 404) return { flows: [], total: 0 }
    throw error
  }
}

export const flowQueries = {
  list: () =>
    queryOptions({
      queryKey: queryKeys.flows.list(),
      queryFn: ({ signal }) => fetchFlowList(signal),
    }),
}
