import Type from 'typebox'

export const Id = Type.Integer({ minimum: 1 })
export const IdParams = Type.Object({ id: Id })
export const Timestamp = Type.String({ format: 'date-time' })
export const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()])

export const ErrorResponse = Type.Object(
  {
    status: Type.Integer(),
    message: Type.String(),
  },
  { additionalProperties: true, description: 'Every error: what is wrong and how to fix it, plus details' },
)

export const Pagination = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
})

/** Truthy query flags as the seeds write them: ?all=1, ?dry_run=true. */
export const Flag = Type.Optional(Type.Union([Type.Boolean(), Type.Literal('1'), Type.Literal('0')]))

export const isSet = (flag: boolean | '1' | '0' | undefined) => flag === true || flag === '1'

export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
}
