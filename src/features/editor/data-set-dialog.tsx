import { useId, useRef, useState, type FormEvent } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { DataSet, Flow } from '../../api/contract'
import type { EditNode } from '../../api/edit-requests'
import { queryKeys } from '../../api/query-keys'
import { resourceQueries } from '../../api/resource-queries'
import { Dialog } from '../../components/ui/dialog'
import { toast } from '../../components/ui/toast'
import { createDataSet, refreshFlow, updateResource } from './editor-api'
import { formProblems, noProblems, type FormProblems } from './field-errors'
import { FieldMessage, FormActions, FormError, NameFields } from './form-parts'
import { kindWord, nodeKey } from './flow-parts'
import { PauseToEdit } from './pause-to-edit'
import { PreviewOutput, useSampleRecords, useTransformPreview } from './transform-preview'
import { useFocusFirstProblem, useFocusOnOpen } from './use-form-focus'

type Mode = { type: 'add'; parent: EditNode } | { type: 'edit'; node: EditNode }

interface DataSetDialogProps {
  flow: Flow
  mode: Mode
  onClose: () => void
  onSelect: (nodeKey: string | null) => void
}

/** `Add data set` (under a source or data set) and `Edit…` of a data set: name and transform, with a live preview. */
export function DataSetDialog({ flow, mode, onClose, onSelect }: DataSetDialogProps) {
  const editing = mode.type === 'edit' ? mode.node : null
  const resource = useQuery({
    ...resourceQueries.detail('data_sets', editing?.id ?? 0),
    enabled: editing !== null,
  })
  const title = editing ? `Edit data set` : 'Add data set'
  return (
    <Dialog title={title} onClose={onClose} className="dialog-wide">
      {editing && !resource.data ? (
        resource.error ? (
          <>
            <FormError message={`Could not load the data set: ${resource.error.message}`} />
            <FormActions busy={false} onCancel={onClose} cancelLabel="Close" />
          </>
        ) : (
          <p role="status">Loading the data set…</p>
        )
      ) : (
        <DataSetForm flow={flow} mode={mode} current={resource.data} onClose={onClose} onSelect={onSelect} />
      )}
    </Dialog>
  )
}

function DataSetForm({
  flow,
  mode,
  current,
  onClose,
  onSelect,
}: DataSetDialogProps & { current: DataSet | undefined }) {
  const id = useId()
  const client = useQueryClient()
  const form = useRef<HTMLFormElement>(null)
  const [name, setName] = useState(current?.name ?? '')
  const [description, setDescription] = useState(current?.description ?? '')
  const [transform, setTransform] = useState(current?.transform ?? '')
  const [samples, setSamples] = useSampleRecords(flow.id)
  const [problems, setProblems] = useState<FormProblems>(noProblems)
  useFocusFirstProblem(form, problems)
  useFocusOnOpen(form)
  const preview = useTransformPreview(transform, samples)
  // An active data set keeps its transform: the server refuses to change it (405) until it is paused.
  const locked = mode.type === 'edit' && mode.node.status === 'ACTIVE'
  const upstream = mode.type === 'add' ? mode.parent : null

  const save = useMutation({
    mutationKey: queryKeys.flows.edit(flow.id),
    mutationFn: async () => {
      if (mode.type === 'add') {
        const parent =
          mode.parent.kind === 'data_source'
            ? { data_source_id: mode.parent.id }
            : { parent_data_set_id: mode.parent.id }
        const created = await createDataSet({
          name: name.trim(),
          ...(description.trim() && { description: description.trim() }),
          transform,
          ...parent,
        })
        await refreshFlow(client, flow.id)
        return created
      }
      const updated = await updateResource('data_sets', mode.node.id, {
        name: name.trim(),
        description: description.trim() || null,
        ...(!locked && { transform }),
      })
      await refreshFlow(client, flow.id, { plural: 'data_sets', id: mode.node.id })
      return updated
    },
    onSuccess: (saved) => {
      toast.success(
        mode.type === 'add'
          ? `Added data set “${saved.name}” (Init until activated)`
          : `Saved data set “${saved.name}”`,
      )
      if (mode.type === 'add') onSelect(nodeKey('data_set', saved.id))
      onClose()
    },
    onError: (error) => setProblems(formProblems(error, ['name', 'description', 'transform'])),
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    if (!name.trim()) return setProblems({ fields: { name: 'Give the data set a name' }, general: null })
    setProblems(noProblems)
    save.mutate()
  }

  const transformId = `${id}-transform`
  const transformError = problems.fields.transform ?? preview.compileError ?? undefined
  return (
    <form ref={form} className="editor-form" onSubmit={submit} noValidate>
      {upstream && (
        <p className="form-lead">
          Reads the records of the {kindWord[upstream.kind]} <strong>{upstream.name}</strong>.
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
          <div className="field">
            <label htmlFor={transformId}>Transform (JSONata)</label>
            {locked && <PauseToEdit>The transform is read-only while the data set is active.</PauseToEdit>}
            <textarea
              id={transformId}
              className="code-input"
              rows={7}
              spellCheck={false}
              value={transform}
              readOnly={locked}
              placeholder='e.g. amount >= 100 ? {"id": id, "amount": amount} : undefined'
              aria-invalid={transformError ? true : undefined}
              aria-describedby={`${transformId}-help${transformError ? ` ${transformId}-error` : ''}`}
              onChange={(e) => setTransform(e.target.value)}
            />
            <p id={`${transformId}-help`} className="hint">
              Evaluated on each record. Empty passes records through; <code>undefined</code> drops a record;
              an array makes several; <code>$error("why")</code> makes it an error record.
            </p>
            <FieldMessage id={`${transformId}-error`} message={transformError} />
          </div>
        </div>
        <section className="preview" aria-label="Preview">
          <div className="field">
            <label htmlFor={`${id}-samples`}>Sample records</label>
            <textarea
              id={`${id}-samples`}
              className="code-input"
              wrap="off"
              rows={7}
              spellCheck={false}
              value={samples}
              aria-invalid={preview.samples.ok ? undefined : true}
              aria-describedby={`${id}-samples-help`}
              onChange={(e) => setSamples(e.target.value)}
            />
            <p id={`${id}-samples-help`} className={preview.samples.ok ? 'hint' : 'field-problem'}>
              {preview.samples.ok
                ? 'One JSON record per line, or a JSON array, standing for what reaches this data set. Only used for this preview.'
                : preview.samples.message}
            </p>
          </div>
          <PreviewOutput preview={preview} />
        </section>
      </div>
      <FormError message={problems.general} />
      <FormActions
        submitLabel={mode.type === 'add' ? 'Add data set' : 'Save'}
        busy={save.isPending}
        onCancel={onClose}
      />
    </form>
  )
}
