import type { Flow, FlowStatus } from '../../api/contract'
import type { StatusTone } from '../../components/ui/status-badge'

export const flowStatusLabel: Record<FlowStatus, string> = {
  ACTIVE: 'Active',
  PAUSED: 'Paused',
  INIT: 'Init',
}
export const flowStatusTone: Record<FlowStatus, StatusTone> = {
  ACTIVE: 'positive',
  PAUSED: 'warning',
  INIT: 'neutral',
}

export const flowTypeLabel: Record<Flow['flow_type'], string> = { streaming: 'Streaming', batch: 'Batch' }
