import Type from 'typebox'

/**
 * Connector config schemas: the server validates with them and GET /api/connectors publishes them, so the
 * console's forms follow the server. Paths are relative to FILES_DIR (checked separately: see domain/paths).
 */
const FileFormat = Type.Union([Type.Literal('ndjson'), Type.Literal('csv'), Type.Literal('json')], {
  description: 'Record format of the files',
})

export const FileSourceConfig = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      description: 'A folder (every file in it) or one file, relative to the data root',
    }),
    format: FileFormat,
  },
  { additionalProperties: false },
)

export const FileSinkConfig = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      description: 'The folder output files are written to, relative to the data root',
    }),
    format: FileFormat,
  },
  { additionalProperties: false },
)

export interface ConnectorSpec {
  label: string
  config: Type.TObject
  /** Config keys holding file paths, confined to FILES_DIR. */
  pathKeys: string[]
}

export const sourceConnectors: Record<string, ConnectorSpec> = {
  file: { label: 'File', config: FileSourceConfig, pathKeys: ['path'] },
}

export const sinkConnectors: Record<string, ConnectorSpec> = {
  file: { label: 'File', config: FileSinkConfig, pathKeys: ['path'] },
}
