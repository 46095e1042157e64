import { useMemo } from 'react'
import {
  useIsMutating,
  useMutation,
  useMutationState,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query'
import type { Flow, FlowStatus } from '../../api/contract'
import { queryKeys } from '../../api/query-keys'
import { isRunActive, startRun } from '../../api/run-queries'
import { toast } from '../../components/ui/toast'
import {
  controlFlow,
  deleteFlowScope,
  inBatches,
  setResourceStatus,
  statusAfter,
  type ControlAction,
} from './api/flow-control'
import { flowQueries, type FlowDetail, type FlowListPage } from './api/flow-queries'
import {
  parseNodeKey,
  pluralOf,
  resources,
  scopeKeys,
  stateOf,
  type ActionScope,
  type FlowStructure,
  type ResourceRef,
} from './flow-model'
import { useLatestRun } from './latest-run'

/**
 * Every call that changes a flow's statuses or structure. They share one mutation key per flow: while any is in
 * flight the flow refreshes every second, and the statuses it expects are shown at once (optimistic) through
 * `usePendingStatuses`. Nothing optimistic is written into the cache, so an error needs no rollback: the
 * expectation simply ends with the call, and the server's answer (or the previous statuses) shows.
 */

/** What every status-changing call carries: the statuses it expects, by node key. */
export interface StatusCall {
  flowId: number
  expected: Record<string, FlowStatus>
}

export interface ControlCall extends StatusCall {
  target: ResourceRef
  action: ControlAction
  scope: ActionScope
  /** The status of every node in scope before the call, so Undo can restore exactly that. */
  previous: Record<string, FlowStatus>
}

export interface UndoCall extends StatusCall {
  original: ControlCall
  /** Node key → the status it had before the original call (only nodes the call changed). */
  restore: Record<string, FlowStatus>
}

export interface DeleteCall extends StatusCall {
  target: ResourceRef
  scope: ActionScope
  /** Pause the active resources in scope first (the server refuses to delete active ones). */
  pauseFirst: boolean
}

export type UndoStep =
  | { type: 'flow'; target: ResourceRef; action: ControlAction; scope: ActionScope }
  | { type: 'resource'; target: ResourceRef; action: ControlAction }

const verbs: Record<ControlAction, string> = { activate: 'Activated', pause: 'Paused' }

/** Builds the call for a menu item or row button from what the console shows now. */
export function controlCall(
  flowId: number,
  structure: FlowStructure,
  statusOf: (key: string) => FlowStatus | undefined,
  targetKey: string,
  action: ControlAction,
  scope: ActionScope,
): ControlCall {
  const target = parseNodeKey(targetKey)
  if (!target) throw new Error(`Not a node key: ${targetKey}`)
  const previous: Record<string, FlowStatus> = {}
  const expected: Record<string, FlowStatus> = {}
  for (const key of scopeKeys(structure, targetKey, scope)) {
    const status = statusOf(key)
    if (status === undefined) continue
    previous[key] = status
    expected[key] = statusAfter(action)
  }
  return { flowId, target, action, scope, previous, expected }
}

/**
 * How to put back exactly what a call changed. When it changed everything in its scope from one status, the
 * opposite call on the same scope does it in one transaction; otherwise each changed resource goes back on its
 * own (single-resource routes: no cascade). The API cannot set `INIT`, so those become `PAUSED` (not running,
 * as before).
 */
export function undoSteps(original: ControlCall, restore: Record<string, FlowStatus>): UndoStep[] {
  const opposite: ControlAction = original.action === 'pause' ? 'activate' : 'pause'
  const changed = Object.keys(restore)
  const inScope = Object.keys(original.previous).length
  if (changed.length === inScope && changed.every((k) => restore[k] === statusAfter(opposite)))
    return [{ type: 'flow', target: original.target, action: opposite, scope: original.scope }]
  return changed.flatMap((key) => {
    const target = parseNodeKey(key)
    if (!target) return []
    return [{ type: 'resource' as const, target, action: restore[key] === 'ACTIVE' ? 'activate' : 'pause' }]
  })
}

/** Puts a control call's answer in the cache: the open flow and its row in the list. */
function reconcile(client: QueryClient, flowId: number, flow: Flow, changedKeys: string[]) {
  client.setQueryData<FlowDetail>(queryKeys.flows.detail(flowId), { flow, etag: null })
  client.setQueryData<FlowListPage>(queryKeys.flows.list(), (old) =>
    old ? { ...old, flows: old.flows.map((f) => (f.id === flow.id ? flow : f)) } : old,
  )
  invalidateResources(client, changedKeys)
}

/** The cached details of exactly these resources (the details panel) are stale now. */
function invalidateResources(client: QueryClient, keys: string[]) {
  if (keys.length === 0) return
  const wanted = new Set(keys)
  void client.invalidateQueries({
    queryKey: queryKeys.resources.all(),
    predicate: (query) => {
      const [, plural, id] = query.queryKey
      return [...wanted].some((key) => {
        const ref = parseNodeKey(key)
        return ref !== null && pluralOf[ref.kind] === plural && ref.id === id
      })
    },
  })
}

/** Refetches the open flow (and marks the list stale) and waits, so the canvas is current when a call ends. */
async function refreshFlow(client: QueryClient, flowId: number) {
  void client.invalidateQueries({ queryKey: queryKeys.flows.list(), exact: true })
  await client.invalidateQueries({ queryKey: queryKeys.flows.detail(flowId), exact: true })
}

export function useFlowActions(flowId: number) {
  const client = useQueryClient()
  const mutationKey = queryKeys.flows.control(flowId)

  const undo = useMutation({
    mutationKey,
    mutationFn: async (call: UndoCall) => {
      const steps = undoSteps(call.original, call.restore)
      const single = steps.flatMap((s) => (s.type === 'resource' ? [s] : []))
      for (const step of steps)
        if (step.type === 'flow') await controlFlow(step.target, step.action, step.scope)
      await inBatches(single, 4, (step) => setResourceStatus(step.target, step.action))
      await refreshFlow(client, flowId)
    },
    onSuccess: (_, call) => {
      const keys = Object.keys(call.restore)
      invalidateResources(client, keys)
      const wereInit = keys.filter((k) => call.restore[k] === 'INIT').length
      toast.success(
        `Restored ${resources(keys.length)}` +
          (wereInit
            ? `; ${wereInit} that ${wereInit === 1 ? 'was' : 'were'} Init ${wereInit === 1 ? 'is' : 'are'} Paused`
            : ''),
      )
    },
    onError: (error) => {
      void refreshFlow(client, flowId)
      toast.error(`Undo failed: ${error.message}`)
    },
  })

  const control = useMutation({
    mutationKey,
    mutationFn: (call: ControlCall) => controlFlow(call.target, call.action, call.scope),
    onSuccess: (flow, call) => {
      const now = stateOf(flow).resources
      const restore: Record<string, FlowStatus> = {}
      for (const [key, before] of Object.entries(call.previous))
        if (now[key] && now[key].status !== before) restore[key] = before
      const changed = Object.keys(restore)
      reconcile(client, flowId, flow, changed)
      if (changed.length === 0) {
        toast.success(`Nothing changed: ${call.action === 'activate' ? 'already active' : 'already paused'}`)
        return
      }
      const expected: Record<string, FlowStatus> = {}
      for (const key of changed) expected[key] = restore[key] === 'ACTIVE' ? 'ACTIVE' : 'PAUSED'
      toast.success(`${verbs[call.action]} ${resources(changed.length)}`, {
        label: 'Undo',
        run: () => undo.mutate({ flowId, original: call, restore, expected }),
      })
    },
    onError: (error) => toast.error(error.message),
  })

  const remove = useMutation({
    mutationKey,
    mutationFn: async (call: DeleteCall) => {
      if (call.pauseFirst) await controlFlow(call.target, 'pause', call.scope)
      const result = await deleteFlowScope(call.target, call.scope)
      // The whole flow is gone when its source is: the caller leaves the page; nothing to refresh.
      if (result.deleted.data_sources.length === 0) await refreshFlow(client, flowId)
      return result
    },
    onSuccess: (result, call) => {
      const n =
        result.deleted.data_sources.length +
        result.deleted.data_sets.length +
        result.deleted.data_sinks.length
      if (result.deleted.data_sources.length > 0)
        client.setQueryData<FlowListPage>(queryKeys.flows.list(), (old) =>
          old ? { flows: old.flows.filter((f) => f.id !== flowId), total: old.total - 1 } : old,
        )
      toast.success(`${call.pauseFirst ? 'Paused and deleted' : 'Deleted'} ${resources(n)}`)
    },
    onError: (error) => {
      // "Pause and delete" may have paused before the delete failed: show what the server has now.
      void refreshFlow(client, flowId)
      toast.error(error.message)
    },
  })

  const run = useMutation({
    mutationKey: queryKeys.flows.runStart(flowId),
    // Caches the new run and refreshes the flow's run list (the panel then shows it).
    mutationFn: (flowNodeId: number) => startRun(client, flowNodeId, undefined),
    onSuccess: () => toast.success('Run started'),
    onError: (error) => toast.error(error.message),
  })

  return { control, undo, remove, run }
}

function expectedOf(variables: unknown): Record<string, FlowStatus> | undefined {
  if (typeof variables !== 'object' || variables === null || !('expected' in variables)) return undefined
  return (variables as StatusCall).expected
}

/**
 * The statuses that calls in flight expect, by node key (later calls win), or undefined when none is in
 * flight. Merged over the server's statuses when drawing, never written into the cache.
 */
export function usePendingStatuses(flowId: number): Record<string, FlowStatus> | undefined {
  const pending = useMutationState({
    filters: { mutationKey: queryKeys.flows.control(flowId), status: 'pending' },
    select: (mutation) => expectedOf(mutation.state.variables),
  })
  return useMemo(() => {
    const present = pending.filter((p): p is Record<string, FlowStatus> => p !== undefined)
    if (present.length === 0) return undefined
    const merged: Record<string, FlowStatus> = {}
    for (const expected of present) Object.assign(merged, expected)
    return merged
  }, [pending])
}

export const FAST_POLL_MS = 1_000
export const POLL_MS = 5_000

/** Every 5 s; every second while a control call is in flight or a run is active (it changes statuses). */
export const flowPollInterval = (state: { controlInFlight: boolean; runActive: boolean }) =>
  state.controlInFlight || state.runActive ? FAST_POLL_MS : POLL_MS

const selectProcessing = ({ flow }: FlowDetail) => flow.runtime_status === 'PROCESSING'

export function useFlowPollInterval(flowId: number): number {
  const inFlight = useIsMutating({ mutationKey: queryKeys.flows.control(flowId) }) > 0
  // A run is active when the newest one is Pending or Running, or when the flow says data is moving (an older
  // run still Running behind a newer one that was cancelled while it waited).
  const latest = useLatestRun(flowId)
  const { data: processing = false } = useQuery({ ...flowQueries.detail(flowId), select: selectProcessing })
  return flowPollInterval({ controlInFlight: inFlight, runActive: isRunActive(latest?.status) || processing })
}
