import { queryOptions, type QueryClient } from '@tanstack/react-query'
import type {
  ConnectorCatalog,
  CopyFlowBody,
  CreateDataSetBody,
  CreateDataSinkBody,
  CreateFlowBody,
  DataSet,
  DataSink,
  DeleteResponse,
  FlowResponse,
  Org,
  PreviewResponse,
  UpdateDataSetBody,
  UpdateDataSinkBody,
  UpdateDataSourceBody,
  UpdateFlowBody,
  User,
} from '../../api/contract'
import { api } from '../../api/http'
import { queryKeys, type ResourcePlural } from '../../api/query-keys'
import type { ResourceByPlural } from '../../api/resource-queries'

/** The calls behind the editor's forms (flows-api.md §2, §5, and the editing routes). Each save is one call. */

export const editorQueries = {
  connectors: () =>
    queryOptions({
      queryKey: queryKeys.connectors(),
      queryFn: ({ signal }) => api<ConnectorCatalog>('/connectors', { signal }),
      // The catalog changes only with a server release.
      staleTime: Infinity,
    }),
  users: () =>
    queryOptions({
      queryKey: queryKeys.users(),
      queryFn: ({ signal }) => api<User[]>('/users?per_page=1000', { signal }),
    }),
  orgs: () =>
    queryOptions({
      queryKey: queryKeys.orgs(),
      queryFn: ({ signal }) => api<Org[]>('/orgs?per_page=1000', { signal }),
    }),
  /** `records` is the JSON text of the sample records, already known to parse (the key is that text). */
  preview: (transform: string, records: string) =>
    queryOptions({
      queryKey: queryKeys.transformPreview(transform, records),
      queryFn: ({ signal }) =>
        api<PreviewResponse>('/transforms/preview', {
          method: 'POST',
          body: { transform, records: JSON.parse(records) as unknown[] },
          signal,
        }),
      staleTime: Infinity,
      gcTime: 60_000,
      retry: false,
    }),
}

export const createFlow = (body: CreateFlowBody) => api<FlowResponse>('/flows', { method: 'POST', body })

export const createDataSet = (body: CreateDataSetBody) => api<DataSet>('/data_sets', { method: 'POST', body })

export const createSink = (body: CreateDataSinkBody) => api<DataSink>('/data_sinks', { method: 'POST', body })

interface UpdateBodyByPlural {
  data_sources: UpdateDataSourceBody
  data_sets: UpdateDataSetBody
  data_sinks: UpdateDataSinkBody
}

export const updateResource = <P extends ResourcePlural>(
  plural: P,
  id: number,
  body: UpdateBodyByPlural[P],
) => api<ResourceByPlural[P]>(`/${plural}/${id}`, { method: 'PUT', body })

/** `DELETE /<plural>/{id}`: that one resource; 405 while it is active, 409 while something reads from it. */
export async function deleteResource(plural: ResourcePlural, id: number): Promise<DeleteResponse> {
  const result = await api<{ status: number; message: string; deleted: Partial<DeleteResponse['deleted']> }>(
    `/${plural}/${id}`,
    { method: 'DELETE' },
  )
  // The single-resource route lists only the kind it deleted.
  return { ...result, deleted: { data_sources: [], data_sets: [], data_sinks: [], ...result.deleted } }
}

/** `PUT /flows/{id}?all=1`: settings, or owner and org over the whole flow. */
export const updateFlow = (flowId: number, body: UpdateFlowBody) =>
  api<FlowResponse>(`/flows/${flowId}?all=1`, { method: 'PUT', body })

export const copyFlow = (flowId: number, body: CopyFlowBody) =>
  api<FlowResponse>(`/flows/${flowId}/copy`, { method: 'POST', body })

/**
 * After a change to a flow: refetch it (and wait, so the canvas already shows the change when the dialog
 * closes), mark the list stale, and drop cached resources the change may have touched.
 */
export async function refreshFlow(
  client: QueryClient,
  flowId: number,
  resource?: { plural: ResourcePlural; id: number },
) {
  void client.invalidateQueries({ queryKey: queryKeys.flows.list(), exact: true })
  if (resource)
    void client.invalidateQueries({ queryKey: queryKeys.resources.detail(resource.plural, resource.id) })
  await client.invalidateQueries({ queryKey: queryKeys.flows.detail(flowId), exact: true })
}
