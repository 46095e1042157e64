import type { NodeTypes } from '@xyflow/react'
import { DataSetNode, DataSinkNode, DataSourceNode } from './nodes/resource-node'

/** At module level: a new object per render would make React Flow remount every node. */
export const nodeTypes = {
  data_source: DataSourceNode,
  data_set: DataSetNode,
  data_sink: DataSinkNode,
} satisfies NodeTypes
