/**
 * The one query-key factory. Keys go generic → specific so invalidating `flows.all` refreshes every list and
 * detail, and a mutation can name exactly what it changed.
 */
export const queryKeys = {
  me: () => ['me'] as const,
  flows: {
    all: () => ['flows'] as const,
    list: () => [...queryKeys.flows.all(), 'list'] as const,
    detail: (flowId: number) => [...queryKeys.flows.all(), flowId] as const,
    runs: (flowId: number) => [...queryKeys.flows.detail(flowId), 'runs'] as const,
  },
}
