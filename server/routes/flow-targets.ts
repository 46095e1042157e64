import type { Target } from '../domain/flow-tree.js'

/** Every URL prefix that names a flow through one of its parts, as seeds 000 and 001 list them. */
export const flowTargets: { path: string; kind: Target['kind']; label: string }[] = [
  { path: '/flows/:id', kind: 'flow_nodes', label: 'flow node' },
  { path: '/data_sources/:id/flow', kind: 'data_sources', label: 'data source' },
  { path: '/data_sets/:id/flow', kind: 'data_sets', label: 'data set' },
  { path: '/data_sinks/:id/flow', kind: 'data_sinks', label: 'data sink' },
]

/** Deprecated /data_flows routes (seed 000), same behaviour as their /flow equivalents. */
export const legacyTargets: { path: string; kind: Target['kind']; label: string }[] = [
  { path: '/data_flows/data_source/:id', kind: 'data_sources', label: 'data source' },
  { path: '/data_flows/:id', kind: 'data_sets', label: 'data set' },
  { path: '/data_flows/data_sink/:id', kind: 'data_sinks', label: 'data sink' },
]

export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  const bare = (t: string) => t.trim().replace(/^W\//, '')
  return header.split(',').some((t) => bare(t) === bare(etag))
}
