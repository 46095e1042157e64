import { useId, useRef, useState, type FormEvent } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import type { Connector, Flow } from '../../api/contract'
import { createDenial } from '../../api/permissions'
import { queryKeys } from '../../api/query-keys'
import { sessionQueries } from '../../api/session-queries'
import { Dialog } from '../../components/ui/dialog'
import { toast } from '../../components/ui/toast'
import { ConnectorFields, connectorFieldNames, missingConfig, useConnectorState } from './connector-fields'
import { createFlow, editorQueries } from './editor-api'
import { formProblems, noProblems, type FormProblems } from './field-errors'
import { FormActions, FormError, RadioGroup, NameFields } from './form-parts'
import { useFocusFirstProblem, useFocusOnOpen } from './use-form-focus'
import './editor.css'

export const flowTypeOptions: { value: Flow['flow_type']; label: string; help: string }[] = [
  { value: 'streaming', label: 'Streaming', help: 'Processes new input continuously while it is active' },
  { value: 'batch', label: 'Batch', help: 'Processes input only when a run is started' },
]

/** `New flow` on /flows: a name, a type and a data source; the flow opens on its canvas to be extended there. */
export function NewFlowButton() {
  const id = useId()
  const { data: me } = useQuery(sessionQueries.me())
  const denial = createDenial(me)
  const [open, setOpen] = useState(false)
  return (
    <>
      <button
        type="button"
        className="button button-primary"
        // aria-disabled keeps the button focusable, so its reason can be read.
        aria-disabled={denial ? true : undefined}
        aria-describedby={denial ? `${id}-reason` : undefined}
        title={denial ?? undefined}
        onClick={() => !denial && setOpen(true)}
      >
        New flow
      </button>
      {denial && (
        <span id={`${id}-reason`} className="visually-hidden">
          {denial}
        </span>
      )}
      {open && <NewFlowDialog onClose={() => setOpen(false)} />}
    </>
  )
}

function NewFlowDialog({ onClose }: { onClose: () => void }) {
  const catalog = useQuery(editorQueries.connectors())
  return (
    <Dialog title="New flow" onClose={onClose} className="dialog-medium">
      {catalog.data ? (
        <NewFlowForm sources={catalog.data.sources} onClose={onClose} />
      ) : catalog.error ? (
        <>
          <FormError message={`Could not load the connectors: ${catalog.error.message}`} />
          <FormActions busy={false} onCancel={onClose} cancelLabel="Close" />
        </>
      ) : (
        <p role="status">Loading the connectors…</p>
      )}
    </Dialog>
  )
}

function NewFlowForm({ sources, onClose }: { sources: Connector[]; onClose: () => void }) {
  const id = useId()
  const navigate = useNavigate()
  const client = useQueryClient()
  const form = useRef<HTMLFormElement>(null)
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [flowType, setFlowType] = useState<Flow['flow_type']>('streaming')
  const connector = useConnectorState(sources, '', null)
  const [problems, setProblems] = useState<FormProblems>(noProblems)
  useFocusFirstProblem(form, problems)
  useFocusOnOpen(form)

  const create = useMutation({
    mutationFn: () =>
      createFlow({
        name: name.trim(),
        ...(description.trim() && { description: description.trim() }),
        flow_type: flowType,
        data_source: { connector_type: connector.type, source_config: connector.config },
      }),
    onSuccess: async (response) => {
      const flow = response.flows[0]
      void client.invalidateQueries({ queryKey: queryKeys.flows.list(), exact: true })
      toast.success(`Created flow “${flow?.name ?? name}”. Add data sets and sinks from its node menus.`)
      // Leaving the list closes the dialog with it.
      if (flow) await navigate(`/flows/${flow.id}`)
      else onClose()
    },
    onError: (error) => {
      // The source's fields come back as `data_source.source_config.path`; the form names them without the prefix.
      const sourceFields = connectorFieldNames('source', connector.connector, Object.keys(connector.config))
      const mapped = formProblems(error, [
        'name',
        'description',
        'flow_type',
        ...sourceFields.map((f) => `data_source.${f}`),
      ])
      const fields = Object.fromEntries(
        Object.entries(mapped.fields).map(([field, message]) => [
          field.replace(/^data_source\./, ''),
          message,
        ]),
      )
      setProblems({ fields, general: mapped.general })
    },
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    const fields: Record<string, string> = missingConfig('source', connector.connector, connector.config)
    if (!name.trim()) fields.name = 'Give the flow a name'
    setProblems({ fields, general: null })
    if (Object.keys(fields).length === 0) create.mutate()
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
            nameHelp="Also the name of its data source."
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
        <ConnectorFields
          side="source"
          connectors={sources}
          type={connector.type}
          config={connector.config}
          onTypeChange={connector.changeType}
          onConfigChange={connector.setConfig}
          errors={problems.fields}
          idPrefix={id}
        />
      </div>
      <FormError message={problems.general} />
      <FormActions submitLabel="Create flow" busy={create.isPending} onCancel={onClose} />
    </form>
  )
}
