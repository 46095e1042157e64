import { useId, useMemo, useRef, useState, type FormEvent } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import type { Flow, FlowConfiguration, FlowResponse } from '../../api/contract'
import { editDenial } from '../../api/permissions'
import { queryKeys } from '../../api/query-keys'
import { sessionQueries } from '../../api/session-queries'
import { Dialog } from '../../components/ui/dialog'
import { toast } from '../../components/ui/toast'
import { copyFlow, editorQueries, refreshFlow, updateFlow } from './editor-api'
import { formProblems, noProblems, type FormProblems } from './field-errors'
import { FieldMessage, FormActions, FormError, RadioGroup, RequiredMark, NameFields } from './form-parts'
import { flowTypeOptions } from './new-flow'
import { useFocusFirstProblem, useFocusOnOpen } from './use-form-focus'

/** The flow header's dialogs: Flow settings, Duplicate flow and (super-users) Change owner. Each saves in one call. */

type Policy = NonNullable<FlowConfiguration['error_record_policy']>
type Stage = 'DISCARD' | 'WRITE_TO_FILE'

const policyOptions: { value: Policy; label: string; help: string }[] = [
  { value: 'ORIGINAL_RECORD', label: 'Original record', help: 'As the source read it' },
  { value: 'STAGE_RECORD', label: 'Stage record', help: 'As the failing data set or sink saw it' },
]
const stageOptions: { value: Stage; label: string; help: string }[] = [
  { value: 'DISCARD', label: 'Discard', help: 'Counted in the run, not kept' },
  { value: 'WRITE_TO_FILE', label: 'Write to file', help: 'Appended as NDJSON, with the error, to a folder' },
]

/** The flow's stored configuration, read defensively: the response types it as an open record. */
function configurationOf(flow: Flow) {
  const c = flow.configuration as FlowConfiguration
  const stage = c.error_stage
  return {
    retry: c.retry_pipeline_on_error === true,
    policy: c.error_record_policy ?? 'ORIGINAL_RECORD',
    stage: stage?.type ?? 'DISCARD',
    directory: stage && 'directory' in stage ? stage.directory : '',
  }
}

interface FlowDialogProps {
  flow: Flow
  onClose: () => void
}

export function FlowSettingsDialog({ flow, onClose }: FlowDialogProps) {
  const id = useId()
  const client = useQueryClient()
  const form = useRef<HTMLFormElement>(null)
  const { data: me } = useQuery(sessionQueries.me())
  const denial = editDenial(me, flow.owner_id)
  const initial = useMemo(() => configurationOf(flow), [flow])
  const [name, setName] = useState(flow.name)
  const [description, setDescription] = useState(flow.description ?? '')
  const [flowType, setFlowType] = useState(flow.flow_type)
  const [retry, setRetry] = useState(initial.retry)
  const [policy, setPolicy] = useState<Policy>(initial.policy)
  const [stage, setStage] = useState<Stage>(initial.stage)
  const [directory, setDirectory] = useState(initial.directory)
  const [problems, setProblems] = useState<FormProblems>(noProblems)
  useFocusFirstProblem(form, problems)
  useFocusOnOpen(form)

  const save = useMutation({
    mutationKey: queryKeys.flows.edit(flow.id),
    mutationFn: async () => {
      await updateFlow(flow.id, {
        name: name.trim(),
        description: description.trim() || null,
        flow_type: flowType,
        configuration: {
          retry_pipeline_on_error: retry,
          error_record_policy: policy,
          error_stage:
            stage === 'WRITE_TO_FILE' ? { type: stage, directory: directory.trim() } : { type: stage },
        },
      })
      await refreshFlow(client, flow.id)
    },
    onSuccess: () => {
      toast.success('Saved the flow settings')
      onClose()
    },
    onError: (error) =>
      setProblems(
        formProblems(error, [
          'name',
          'description',
          'flow_type',
          'configuration.retry_pipeline_on_error',
          'configuration.error_record_policy',
          'configuration.error_stage.type',
          'configuration.error_stage.directory',
        ]),
      ),
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    const fields: Record<string, string> = {}
    if (!name.trim()) fields.name = 'Give the flow a name'
    if (stage === 'WRITE_TO_FILE' && !directory.trim())
      fields['configuration.error_stage.directory'] = 'Give the folder error records are written to'
    setProblems({ fields, general: null })
    if (Object.keys(fields).length === 0) save.mutate()
  }

  const directoryId = `${id}-directory`
  const directoryError = problems.fields['configuration.error_stage.directory']
  const readOnly = denial !== null
  return (
    <Dialog title="Flow settings" onClose={onClose} className="dialog-medium">
      <form ref={form} className="editor-form" onSubmit={submit} noValidate>
        {readOnly && (
          <p className="notice">
            You can read these settings; changing them needs the admin role or owning the flow.
          </p>
        )}
        <fieldset className="form-plain form-columns" disabled={readOnly}>
          <div>
            <NameFields
              id={id}
              name={name}
              onName={setName}
              description={description}
              onDescription={setDescription}
              problems={problems}
            />
            <RadioGroup
              name={`${id}-type`}
              legend="Type"
              value={flowType}
              options={flowTypeOptions}
              onChange={setFlowType}
              error={problems.fields.flow_type}
            />
          </div>
          <fieldset className="form-section">
            <legend>Errors</legend>
            <div className="field field-check">
              <div className="check-row">
                <input
                  id={`${id}-retry`}
                  type="checkbox"
                  checked={retry}
                  aria-describedby={`${id}-retry-help`}
                  onChange={(e) => setRetry(e.target.checked)}
                />
                <label htmlFor={`${id}-retry`}>Retry on error</label>
              </div>
              <p id={`${id}-retry-help`} className="hint">
                Retry a run when its source cannot be read or a sink cannot be written, before failing it.
              </p>
              <FieldMessage
                id={`${id}-retry-error`}
                message={problems.fields['configuration.retry_pipeline_on_error']}
              />
            </div>
            <RadioGroup
              name={`${id}-policy`}
              legend="Error record policy"
              value={policy}
              options={policyOptions}
              onChange={setPolicy}
              error={problems.fields['configuration.error_record_policy']}
            />
            <RadioGroup
              name={`${id}-stage`}
              legend="Error stage"
              value={stage}
              options={stageOptions}
              onChange={setStage}
              error={problems.fields['configuration.error_stage.type']}
            />
            {stage === 'WRITE_TO_FILE' && (
              <div className="field field-nested">
                <label htmlFor={directoryId}>
                  Directory
                  <RequiredMark />
                </label>
                <input
                  id={directoryId}
                  aria-required="true"
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  value={directory}
                  placeholder="e.g. errors/orders"
                  aria-invalid={directoryError ? true : undefined}
                  aria-describedby={`${directoryId}-help${directoryError ? ` ${directoryId}-error` : ''}`}
                  onChange={(e) => setDirectory(e.target.value)}
                />
                <p id={`${directoryId}-help`} className="hint">
                  A folder relative to the server’s data root.
                </p>
                <FieldMessage id={`${directoryId}-error`} message={directoryError} />
              </div>
            )}
          </fieldset>
        </fieldset>
        <FormError message={problems.general} />
        <FormActions
          submitLabel={readOnly ? undefined : 'Save'}
          cancelLabel={readOnly ? 'Close' : 'Cancel'}
          busy={save.isPending}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  )
}

export function DuplicateFlowDialog({ flow, onClose }: FlowDialogProps) {
  const id = useId()
  const client = useQueryClient()
  const navigate = useNavigate()
  const form = useRef<HTMLFormElement>(null)
  const [name, setName] = useState(`${flow.name} (copy)`)
  const [description, setDescription] = useState(flow.description ?? '')
  const [problems, setProblems] = useState<FormProblems>(noProblems)
  useFocusFirstProblem(form, problems)
  useFocusOnOpen(form)

  const copy = useMutation({
    mutationFn: () => copyFlow(flow.id, { name: name.trim(), description: description.trim() || null }),
    onSuccess: async (response: FlowResponse) => {
      const created = response.flows[0]
      void client.invalidateQueries({ queryKey: queryKeys.flows.list(), exact: true })
      toast.success(`Duplicated as “${created?.name ?? name}”; everything in it is paused`)
      if (created) await navigate(`/flows/${created.id}`)
      else onClose()
    },
    onError: (error) => setProblems(formProblems(error, ['name', 'description'])),
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    if (!name.trim()) return setProblems({ fields: { name: 'Give the copy a name' }, general: null })
    setProblems(noProblems)
    copy.mutate()
  }

  return (
    <Dialog title="Duplicate flow" onClose={onClose}>
      <form ref={form} className="editor-form" onSubmit={submit} noValidate>
        <p className="form-lead">
          Copies <strong>{flow.name}</strong> with every data set and sink. The copy starts paused.
        </p>
        <NameFields
          id={id}
          name={name}
          onName={setName}
          description={description}
          onDescription={setDescription}
          problems={problems}
        />
        <FormError message={problems.general} />
        <FormActions submitLabel="Duplicate" busy={copy.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  )
}

export function ChangeOwnerDialog({ flow, onClose }: FlowDialogProps) {
  const id = useId()
  const client = useQueryClient()
  const form = useRef<HTMLFormElement>(null)
  const users = useQuery(editorQueries.users())
  const orgs = useQuery(editorQueries.orgs())
  const [orgId, setOrgId] = useState(flow.org_id)
  const [ownerId, setOwnerId] = useState(flow.owner_id)
  const [credentials, setCredentials] = useState(false)
  const [problems, setProblems] = useState<FormProblems>(noProblems)
  useFocusFirstProblem(form, problems)
  useFocusOnOpen(form, users.data !== undefined && orgs.data !== undefined)
  const members = (users.data ?? []).filter((u) => u.org_id === orgId)
  const owner = members.find((u) => u.id === ownerId)

  const change = useMutation({
    mutationKey: queryKeys.flows.edit(flow.id),
    mutationFn: async () => {
      await updateFlow(flow.id, { owner_id: ownerId, org_id: orgId, include_data_credentials: credentials })
      // Every resource's owner changed: cached resources are stale.
      void client.invalidateQueries({ queryKey: queryKeys.resources.all() })
      await refreshFlow(client, flow.id)
    },
    onSuccess: () => {
      toast.success(`${flow.name} now belongs to ${owner?.name ?? `user ${ownerId}`}`)
      onClose()
    },
    onError: (error) => setProblems(formProblems(error, ['owner_id', 'org_id', 'include_data_credentials'])),
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    if (!owner) return setProblems({ fields: { owner_id: 'Choose a user of this org' }, general: null })
    setProblems(noProblems)
    change.mutate()
  }

  const loadError = users.error ?? orgs.error
  return (
    <Dialog title="Change owner" onClose={onClose}>
      {!users.data || !orgs.data ? (
        loadError ? (
          <>
            <FormError message={`Could not load users and orgs: ${loadError.message}`} />
            <FormActions busy={false} onCancel={onClose} cancelLabel="Close" />
          </>
        ) : (
          <p role="status">Loading users and orgs…</p>
        )
      ) : (
        <form ref={form} className="editor-form" onSubmit={submit} noValidate>
          <p className="form-lead">
            Gives <strong>{flow.name}</strong> and every resource in it to another user. The new owner must
            belong to the org.
          </p>
          <div className="field">
            <label htmlFor={`${id}-org`}>
              Org
              <RequiredMark />
            </label>
            <select
              id={`${id}-org`}
              aria-required="true"
              value={orgId}
              aria-invalid={problems.fields.org_id ? true : undefined}
              aria-describedby={problems.fields.org_id ? `${id}-org-error` : undefined}
              onChange={(e) => {
                const next = Number(e.target.value)
                setOrgId(next)
                setOwnerId(users.data.find((u) => u.org_id === next)?.id ?? 0)
              }}
            >
              {orgs.data.map((org) => (
                <option key={org.id} value={org.id}>
                  {org.name}
                </option>
              ))}
            </select>
            <FieldMessage id={`${id}-org-error`} message={problems.fields.org_id} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-owner`}>
              Owner
              <RequiredMark />
            </label>
            <select
              id={`${id}-owner`}
              aria-required="true"
              value={owner ? ownerId : ''}
              aria-invalid={problems.fields.owner_id ? true : undefined}
              aria-describedby={problems.fields.owner_id ? `${id}-owner-error` : undefined}
              onChange={(e) => setOwnerId(Number(e.target.value))}
            >
              {!owner && <option value="">{members.length ? 'Choose…' : 'This org has no users'}</option>}
              {members.map((user) => (
                <option key={user.id} value={user.id}>
                  {`${user.name} (${user.email})`}
                </option>
              ))}
            </select>
            <FieldMessage id={`${id}-owner-error`} message={problems.fields.owner_id} />
          </div>
          <div className="field field-check">
            <div className="check-row">
              <input
                id={`${id}-credentials`}
                type="checkbox"
                checked={credentials}
                aria-describedby={`${id}-credentials-help`}
                onChange={(e) => setCredentials(e.target.checked)}
              />
              <label htmlFor={`${id}-credentials`}>Include data credentials</label>
            </div>
            <p id={`${id}-credentials-help`} className="hint">
              Also give the credentials its source and sinks use; otherwise they stay with their owner.
            </p>
          </div>
          <FormError message={problems.general} />
          <FormActions submitLabel="Change owner" busy={change.isPending} onCancel={onClose} />
        </form>
      )}
    </Dialog>
  )
}
