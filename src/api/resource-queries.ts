import { queryOptions } from '@tanstack/react-query'
import type { DataSet, DataSink, DataSource } from './contract'
import { api } from './http'
import { queryKeys, type ResourcePlural } from './query-keys'

export interface ResourceByPlural {
  data_sources: DataSource
  data_sets: DataSet
  data_sinks: DataSink
}

/**
 * One resource (`GET /<plural>/{id}`): its connector, config and transform. Shared by the details panel and the
 * editor's forms, so both read the same cache entry and an edit refreshes both.
 */
export const resourceQueries = {
  detail: <P extends ResourcePlural>(plural: P, id: number) =>
    queryOptions({
      queryKey: queryKeys.resources.detail(plural, id),
      queryFn: ({ signal }) => api<ResourceByPlural[P]>(`/${plural}/${id}`, { signal }),
    }),
}
