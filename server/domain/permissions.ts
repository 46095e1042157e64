import type { Role } from '../db/schema.js'

export interface Actor {
  userId: number
  orgId: number
  role: Role
  /** Set when the caller authenticated with an access token (POST /api/token), so logout can revoke it. */
  tokenId?: number
}

export type Action =
  | 'read'
  | 'control'
  | 'run'
  | 'create'
  | 'edit'
  | 'delete'
  | 'copy'
  | 'manage_users'
  | 'manage_orgs'
  | 'change_owner'

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2, super_user: 3 }

const needed: Record<Action, Role> = {
  read: 'viewer',
  control: 'operator',
  run: 'operator',
  create: 'admin',
  edit: 'admin',
  delete: 'admin',
  copy: 'admin',
  manage_users: 'admin',
  manage_orgs: 'super_user',
  change_owner: 'super_user',
}

const roleLabel: Record<Role, string> = {
  viewer: 'Viewer',
  operator: 'Operator',
  admin: 'Admin',
  super_user: 'Super-user',
}

/** Owners may edit, delete and copy what they own even without the admin role. */
const ownerMay = new Set<Action>(['edit', 'delete', 'copy'])

export function atLeast(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum]
}

/** Null when allowed, otherwise the reason, naming the role needed (shown as a 403 and in the console). */
export function denial(actor: Actor, action: Action, ownerId?: number): string | null {
  if (atLeast(actor.role, needed[action])) return null
  if (
    ownerId !== undefined &&
    ownerId === actor.userId &&
    ownerMay.has(action) &&
    atLeast(actor.role, 'operator')
  )
    return null
  const owner = ownerMay.has(action) ? ' or ownership' : ''
  return `${roleLabel[needed[action]]} role${owner} required to ${action.replace('_', ' ')}`
}

/** Whether the actor sees rows of this org at all; other orgs' rows are reported as not found. */
export function seesOrg(actor: Actor, orgId: number): boolean {
  return actor.role === 'super_user' || actor.orgId === orgId
}

export function canGrant(actor: Actor, role: Role): boolean {
  return rank[actor.role] >= rank[role]
}
