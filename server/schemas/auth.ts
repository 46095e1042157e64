import Type from 'typebox'
import { Id, Timestamp } from './common.js'

export const RoleSchema = Type.Union([
  Type.Literal('super_user'),
  Type.Literal('admin'),
  Type.Literal('operator'),
  Type.Literal('viewer'),
])

export const Org = Type.Object({ id: Id, name: Type.String(), created_at: Timestamp, updated_at: Timestamp })
export const CreateOrg = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 255 }) },
  { additionalProperties: false },
)

export const User = Type.Object({
  id: Id,
  org_id: Id,
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  created_at: Timestamp,
  updated_at: Timestamp,
})
export const CreateUser = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    org_id: Type.Optional(Id),
    role: RoleSchema,
  },
  { additionalProperties: false },
)
export const Me = Type.Object({ ...User.properties, org: Org })

export const ApiKeyCreated = Type.Object({
  id: Id,
  api_key: Type.String({ description: 'Shown only in this response; store it now' }),
  created_at: Timestamp,
})
export const ApiKeyInfo = Type.Object({
  id: Id,
  created_at: Timestamp,
  revoked_at: Type.Union([Timestamp, Type.Null()]),
})

export const Token = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds until the token expires' }),
})
