/**
 * The one key factory, for queries and mutations. Keys go generic → specific so invalidating `flows.all`
 * refreshes every list and detail, and a mutation can name exactly what it changed.
 */
export type ResourcePlural = 'data_sources' | 'data_sets' | 'data_sinks'

export const queryKeys = {
  me: () => ['me'] as const,
  flows: {
    all: () => ['flows'] as const,
    list: () => [...queryKeys.flows.all(), 'list'] as const,
    detail: (flowId: number) => [...queryKeys.flows.all(), flowId] as const,
    runs: (flowId: number) => [...queryKeys.flows.detail(flowId), 'runs'] as const,
    /** One page of a flow's runs, newest first. */
    runPage: (flowId: number, page: number) => [...queryKeys.flows.runs(flowId), page] as const,
    /** Mutation key of starting a run of the flow (Run now, Start run): while one is in flight the list looks for it. */
    runStart: (flowId: number) => [...queryKeys.flows.runs(flowId), 'start'] as const,
    /** What a delete would remove (`?dry_run=1`), for the delete dialog. */
    deletePreview: (flowId: number, target: string, scope: 'downstream' | 'flow') =>
      [...queryKeys.flows.detail(flowId), 'delete-preview', target, scope] as const,
    /**
     * Mutation key of every call that changes a flow's statuses or structure (control, undo, delete): while one
     * is in flight the flow refreshes every second.
     */
    control: (flowId: number) => [...queryKeys.flows.detail(flowId), 'control'] as const,
    /** Mutation key of the editor's calls on a flow (add, edit, move, delete a node; settings; owner). */
    edit: (flowId: number) => [...queryKeys.flows.detail(flowId), 'edit'] as const,
  },
  /** A run by its id (runs are addressed without their flow: `GET /api/runs/{id}`). */
  runs: {
    all: () => ['runs'] as const,
    detail: (runId: string) => [...queryKeys.runs.all(), runId] as const,
    errors: (runId: string) => [...queryKeys.runs.detail(runId), 'errors'] as const,
  },
  resources: {
    all: () => ['resources'] as const,
    detail: (plural: ResourcePlural, id: number) => [...queryKeys.resources.all(), plural, id] as const,
  },
  /** Source and sink connector types with the JSON Schema of their config (`GET /connectors`). */
  connectors: () => ['connectors'] as const,
  users: () => ['users'] as const,
  orgs: () => ['orgs'] as const,
  /** A transform run on sample records (`POST /transforms/preview`): changes nothing, so it is a query. */
  transformPreview: (transform: string, records: string) =>
    ['transform-preview', transform, records] as const,
}
