import { useId, useRef, useState, type FormEvent } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Connector, DataSink, DataSource, Flow } from '../../api/contract'
import type { EditNode } from '../../api/edit-requests'
import { queryKeys } from '../../api/query-keys'
import { resourceQueries } from '../../api/resource-queries'
import { Dialog } from '../../components/ui/dialog'
import { toast } from '../../components/ui/toast'
import { ConnectorFields, connectorFieldNames, missingConfig, useConnectorState } from './connector-fields'
import { createSink, editorQueries, refreshFlow, updateResource } from './editor-api'
import { formProblems, noProblems, type FormProblems } from './field-errors'
import { dataSetsOf, nodeKey } from './flow-parts'
import { FieldMessage, FormActions, FormError, RequiredMark, NameFields } from './form-parts'
import { PauseToEdit } from './pause-to-edit'
import { useFocusFirstProblem, useFocusOnOpen } from './use-form-focus'

/**
 * The dialogs whose main part is a connector and its config: `Add sink` on a data set, `Edit…` of a sink
 * (including which data set it reads: the keyboard way to move it) and `Edit…` of a data source.
 */

function Loading({ what, error, onClose }: { what: string; error: Error | null; onClose: () => void }) {
  if (!error) return <p role="status">Loading {what}…</p>
  return (
    <>
      <FormError message={`Could not load ${what}: ${error.message}`} />
      <FormActions busy={false} onCancel={onClose} cancelLabel="Close" />
    </>
  )
}

interface SinkDialogProps {
  flow: Flow
  mode: { type: 'add'; parent: EditNode } | { type: 'edit'; node: EditNode }
  onClose: () => void
  onSelect: (nodeKey: string | null) => void
}

export function SinkDialog({ flow, mode, onClose, onSelect }: SinkDialogProps) {
  const catalog = useQuery(editorQueries.connectors())
  const editing = mode.type === 'edit' ? mode.node : null
  const resource = useQuery({
    ...resourceQueries.detail('data_sinks', editing?.id ?? 0),
    enabled: editing !== null,
  })
  const ready = catalog.data && (!editing || resource.data)
  return (
    <Dialog title={editing ? 'Edit data sink' : 'Add sink'} onClose={onClose} className="dialog-medium">
      {ready ? (
        <SinkForm
          flow={flow}
          mode={mode}
          connectors={catalog.data.sinks}
          current={resource.data}
          onClose={onClose}
          onSelect={onSelect}
        />
      ) : (
        <Loading
          what={editing ? 'the sink' : 'the connectors'}
          error={catalog.error ?? resource.error}
          onClose={onClose}
        />
      )}
    </Dialog>
  )
}

function SinkForm({
  flow,
  mode,
  connectors,
  current,
  onClose,
  onSelect,
}: SinkDialogProps & { connectors: Connector[]; current: DataSink | undefined }) {
  const id = useId()
  const client = useQueryClient()
  const form = useRef<HTMLFormElement>(null)
  const [name, setName] = useState(current?.name ?? '')
  const [description, setDescription] = useState(current?.description ?? '')
  const [dataSetId, setDataSetId] = useState(
    current?.data_set_id ?? (mode.type === 'add' ? mode.parent.id : 0),
  )
  const connector = useConnectorState(connectors, current?.connector_type ?? '', current?.sink_config ?? null)
  const [problems, setProblems] = useState<FormProblems>(noProblems)
  useFocusFirstProblem(form, problems)
  useFocusOnOpen(form)
  const locked = mode.type === 'edit' && mode.node.status === 'ACTIVE'
  const dataSets = dataSetsOf(flow)

  const save = useMutation({
    mutationKey: queryKeys.flows.edit(flow.id),
    mutationFn: async () => {
      const config = { connector_type: connector.type, sink_config: connector.config }
      if (mode.type === 'add') {
        const created = await createSink({
          name: name.trim(),
          ...(description.trim() && { description: description.trim() }),
          data_set_id: mode.parent.id,
          ...config,
        })
        await refreshFlow(client, flow.id)
        return created
      }
      const updated = await updateResource('data_sinks', mode.node.id, {
        name: name.trim(),
        description: description.trim() || null,
        // Config and data set are sent only when they can change: an active sink refuses them (405).
        ...(!locked && config),
        ...(!locked && dataSetId !== current?.data_set_id && { data_set_id: dataSetId }),
      })
      await refreshFlow(client, flow.id, { plural: 'data_sinks', id: mode.node.id })
      return updated
    },
    onSuccess: (saved) => {
      toast.success(
        mode.type === 'add'
          ? `Added sink “${saved.name}” (Init until activated)`
          : `Saved data sink “${saved.name}”`,
      )
      if (mode.type === 'add') onSelect(nodeKey('data_sink', saved.id))
      onClose()
    },
    onError: (error) =>
      setProblems(
        formProblems(error, [
          'name',
          'description',
          'data_set_id',
          ...connectorFieldNames('sink', connector.connector, Object.keys(connector.config)),
        ]),
      ),
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    const fields: Record<string, string> = locked
      ? {}
      : missingConfig('sink', connector.connector, connector.config)
    if (!name.trim()) fields.name = 'Give the sink a name'
    setProblems({ fields, general: null })
    if (Object.keys(fields).length === 0) save.mutate()
  }

  const setFieldId = `${id}-data-set`
  return (
    <form ref={form} className="editor-form" onSubmit={submit} noValidate>
      {mode.type === 'add' && (
        <p className="form-lead">
          Writes the records of the data set <strong>{mode.parent.name}</strong>.
        </p>
      )}
      <div className="form-columns">
        <div>
          <NameFields
            id={id}
            name={name}
            onName={setName}
            description={description}
            onDescription={setDescription}
            problems={problems}
          />
          {locked && (
            <PauseToEdit>
              Its data set, connector and settings are read-only while the sink is active.
            </PauseToEdit>
          )}
          {mode.type === 'edit' && (
            <div className="field">
              <label htmlFor={setFieldId}>
                Reads from
                <RequiredMark />
              </label>
              <select
                id={setFieldId}
                aria-required="true"
                value={dataSetId}
                disabled={locked}
                aria-invalid={problems.fields.data_set_id ? true : undefined}
                aria-describedby={`${setFieldId}-help${problems.fields.data_set_id ? ` ${setFieldId}-error` : ''}`}
                onChange={(e) => setDataSetId(Number(e.target.value))}
              >
                {dataSets.map((set) => (
                  <option key={set.id} value={set.id}>
                    {`${'\u2003'.repeat(set.depth)}${set.name}`}
                  </option>
                ))}
              </select>
              <p id={`${setFieldId}-help`} className="hint">
                The data set whose records this sink writes. Choosing another one moves the sink (or drag it
                onto a data set on the canvas).
              </p>
              <FieldMessage id={`${setFieldId}-error`} message={problems.fields.data_set_id} />
            </div>
          )}
        </div>
        <ConnectorFields
          side="sink"
          connectors={connectors}
          type={connector.type}
          config={connector.config}
          onTypeChange={connector.changeType}
          onConfigChange={connector.setConfig}
          errors={problems.fields}
          readOnly={locked}
          idPrefix={id}
        />
      </div>
      <FormError message={problems.general} />
      <FormActions
        submitLabel={mode.type === 'add' ? 'Add sink' : 'Save'}
        busy={save.isPending}
        onCancel={onClose}
      />
    </form>
  )
}

interface SourceDialogProps {
  flow: Flow
  node: EditNode
  onClose: () => void
}

export function SourceDialog({ flow, node, onClose }: SourceDialogProps) {
  const catalog = useQuery(editorQueries.connectors())
  const resource = useQuery(resourceQueries.detail('data_sources', node.id))
  return (
    <Dialog title="Edit data source" onClose={onClose} className="dialog-medium">
      {catalog.data && resource.data ? (
        <SourceForm
          flow={flow}
          node={node}
          connectors={catalog.data.sources}
          current={resource.data}
          onClose={onClose}
        />
      ) : (
        <Loading what="the data source" error={catalog.error ?? resource.error} onClose={onClose} />
      )}
    </Dialog>
  )
}

function SourceForm({
  flow,
  node,
  connectors,
  current,
  onClose,
}: SourceDialogProps & { connectors: Connector[]; current: DataSource }) {
  const id = useId()
  const client = useQueryClient()
  const form = useRef<HTMLFormElement>(null)
  const [name, setName] = useState(current.name)
  const [description, setDescription] = useState(current.description ?? '')
  const connector = useConnectorState(connectors, current.connector_type, current.source_config)
  const [problems, setProblems] = useState<FormProblems>(noProblems)
  useFocusFirstProblem(form, problems)
  useFocusOnOpen(form)
  const locked = node.status === 'ACTIVE'

  const save = useMutation({
    mutationKey: queryKeys.flows.edit(flow.id),
    mutationFn: async () => {
      const updated = await updateResource('data_sources', node.id, {
        name: name.trim(),
        description: description.trim() || null,
        ...(!locked && { connector_type: connector.type, source_config: connector.config }),
      })
      await refreshFlow(client, flow.id, { plural: 'data_sources', id: node.id })
      return updated
    },
    onSuccess: (saved) => {
      toast.success(`Saved data source “${saved.name}”`)
      onClose()
    },
    onError: (error) =>
      setProblems(
        formProblems(error, [
          'name',
          'description',
          ...connectorFieldNames('source', connector.connector, Object.keys(connector.config)),
        ]),
      ),
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    const fields: Record<string, string> = locked
      ? {}
      : missingConfig('source', connector.connector, connector.config)
    if (!name.trim()) fields.name = 'Give the data source a name'
    setProblems({ fields, general: null })
    if (Object.keys(fields).length === 0) save.mutate()
  }

  return (
    <form ref={form} className="editor-form" onSubmit={submit} noValidate>
      <div className="form-columns">
        <div>
          <NameFields
            id={id}
            name={name}
            onName={setName}
            description={description}
            onDescription={setDescription}
            problems={problems}
          />
          {locked && (
            <PauseToEdit>
              The connector and its settings are read-only while the source is active.
            </PauseToEdit>
          )}
        </div>
        <ConnectorFields
          side="source"
          connectors={connectors}
          type={connector.type}
          config={connector.config}
          onTypeChange={connector.changeType}
          onConfigChange={connector.setConfig}
          errors={problems.fields}
          readOnly={locked}
          idPrefix={id}
        />
      </div>
      <FormError message={problems.general} />
      <FormActions submitLabel="Save" busy={save.isPending} onCancel={onClose} />
    </form>
  )
}
