import type { ResourceMetrics } from '../../api/contract'

/** Resource names by `<resource_type>-<id>` (`data_set-20001`), the same keys the canvas uses for its nodes. */
export type ResourceNames = Readonly<Record<string, string>>

type ResourceType = ResourceMetrics['resource_type']

export const resourceKindLabel: Record<ResourceType, string> = {
  data_source: 'Source',
  data_set: 'Data set',
  data_sink: 'Sink',
}

/** A resource's name, or "Data set 20001" when the flow no longer has it (deleted since the run). */
export function resourceLabel(type: ResourceType, id: number, names: ResourceNames): string {
  return names[`${type}-${id}`] ?? `${resourceKindLabel[type]} ${id}`
}

/** An error record's `errorStage` ("data_set 20001") → the resource's name and kind, when it names one. */
export function stageLabel(stage: string, names: ResourceNames): { name: string; kind: string | null } {
  const match = /^(data_source|data_set|data_sink) (\d+)$/.exec(stage)
  if (!match) return { name: stage, kind: null }
  const type = match[1] as ResourceType
  return { name: resourceLabel(type, Number(match[2]), names), kind: resourceKindLabel[type] }
}
