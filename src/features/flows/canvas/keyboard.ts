import type { FlowStructure } from '../flow-model'
import { findNode } from '../flow-model'
import type { FlowLayout } from './layout'

export type Direction = 'left' | 'right' | 'up' | 'down'

/**
 * Where an arrow key moves focus from `key`: left to the upstream node, right to the nearest downstream node,
 * up and down to the next node in the same column (across branches, so a column can be scanned top to bottom).
 */
export function neighbour(
  structure: FlowStructure,
  layout: FlowLayout,
  key: string,
  direction: Direction,
): string | undefined {
  const node = findNode(structure, key)
  if (!node) return undefined
  if (direction === 'left') return node.parent ?? undefined
  if (direction === 'right') {
    const y = layout.position(key)?.y ?? 0
    let best: string | undefined
    let bestDistance = Infinity
    for (const candidate of layout.columns[node.depth + 1] ?? []) {
      if (findNode(structure, candidate)?.parent !== key) continue
      const distance = Math.abs((layout.position(candidate)?.y ?? 0) - y)
      if (distance < bestDistance) [best, bestDistance] = [candidate, distance]
    }
    return best
  }
  const column = layout.columns[node.depth] ?? []
  const at = column.indexOf(key)
  return column[direction === 'up' ? at - 1 : at + 1]
}
