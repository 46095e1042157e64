/**
 * The API's types, taken type-only from the server's TypeBox schemas so the contract has one source and
 * nothing is generated. Type-only imports are erased at build time: no server code reaches the bundle.
 */
import type Type from 'typebox'
import type { Me as MeSchema, RoleSchema } from '../../server/schemas/auth.ts'
import type { ErrorResponse } from '../../server/schemas/common.ts'
import type { Flow as FlowSchema, FlowResponse as FlowResponseSchema } from '../../server/schemas/flows.ts'

export type Me = Type.Static<typeof MeSchema>
export type Role = Type.Static<typeof RoleSchema>
/** Every error the API sends: `{status, message}` plus details such as `field` or the ids involved. */
export type ApiErrorBody = Type.Static<typeof ErrorResponse>

/** A flow as the flow routes return it: its origin node, with data sets nested under `children`. */
export type Flow = Type.Static<typeof FlowSchema>
export type FlowStatus = Flow['status']
/** What `GET /api/flows`, `GET /api/flows/{id}` and every control route answer. */
export type FlowResponse = Type.Static<typeof FlowResponseSchema>
