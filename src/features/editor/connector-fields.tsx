import { useState } from 'react'
import type { Connector } from '../../api/contract'
import { ConfigForm } from './config-form'
import { defaultsOf, fieldsOf, missingRequired } from './config-schema'
import { FieldMessage, RequiredMark } from './form-parts'

interface ConnectorFieldsProps {
  side: 'source' | 'sink'
  connectors: Connector[]
  type: string
  config: Record<string, unknown>
  onTypeChange: (type: string) => void
  onConfigChange: (config: Record<string, unknown>) => void
  /** Messages by the server's field names: `connector_type`, `source_config.path`, … */
  errors: Record<string, string>
  readOnly?: boolean
  idPrefix: string
}

/** Which connector, and its settings: a form generated from the connector's config schema. */
export function ConnectorFields({
  side: role,
  connectors,
  type,
  config,
  onTypeChange,
  onConfigChange,
  errors,
  readOnly = false,
  idPrefix,
}: ConnectorFieldsProps) {
  const connector = connectors.find((c) => c.type === type)
  const configKey = `${role}_config.`
  const configErrors = Object.fromEntries(
    Object.entries(errors)
      .filter(([field]) => field.startsWith(configKey))
      .map(([field, message]) => [field.slice(configKey.length), message]),
  )
  const id = `${idPrefix}-connector`
  return (
    <fieldset className="form-section" disabled={readOnly}>
      <legend>{role === 'source' ? 'Source' : 'Destination'}</legend>
      <div className="field">
        <label htmlFor={id}>
          Connector
          <RequiredMark />
        </label>
        <select
          id={id}
          aria-required="true"
          value={type}
          aria-invalid={errors.connector_type ? true : undefined}
          aria-describedby={errors.connector_type ? `${id}-error` : undefined}
          onChange={(e) => onTypeChange(e.target.value)}
        >
          {!connector && <option value="">{type ? `${type} (unknown)` : 'Choose…'}</option>}
          {connectors.map((c) => (
            <option key={c.type} value={c.type}>
              {c.label}
            </option>
          ))}
        </select>
        <FieldMessage id={`${id}-error`} message={errors.connector_type} />
      </div>
      {connector && (
        <ConfigForm
          schema={connector.config_schema}
          value={config}
          onChange={onConfigChange}
          errors={configErrors}
          readOnly={readOnly}
          idPrefix={`${idPrefix}-config`}
        />
      )}
    </fieldset>
  )
}

/** The fields a connector form shows, as the server names them, for mapping its answer (see field-errors). */
export function connectorFieldNames(
  role: 'source' | 'sink',
  connector: Connector | undefined,
  keys: string[],
): string[] {
  const schemaKeys = Object.keys(
    (connector?.config_schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {},
  )
  return ['connector_type', ...[...new Set([...schemaKeys, ...keys])].map((k) => `${role}_config.${k}`)]
}

type Role = 'source' | 'sink'

/** Connector type and config, with the config reset to the new connector's defaults when the type changes. */
export function useConnectorState(
  connectors: Connector[],
  initialType: string,
  initialConfig: Record<string, unknown> | null,
) {
  const [type, setType] = useState(initialType || connectors[0]?.type || '')
  const connector = connectors.find((c) => c.type === type)
  const [config, setConfig] = useState<Record<string, unknown>>(
    () => initialConfig ?? defaultsOf(fieldsOf(connector?.config_schema)),
  )
  const changeType = (next: string) => {
    setType(next)
    setConfig(defaultsOf(fieldsOf(connectors.find((c) => c.type === next)?.config_schema)))
  }
  return { type, connector, config, setConfig, changeType }
}

/** Required config fields left empty, as the server's field names. */
export function missingConfig(role: Role, connector: Connector | undefined, config: Record<string, unknown>) {
  const missing = missingRequired(fieldsOf(connector?.config_schema), config)
  return Object.fromEntries(
    Object.entries(missing).map(([key, message]) => [`${role}_config.${key}`, message]),
  )
}
