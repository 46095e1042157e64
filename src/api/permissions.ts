import type { Me, Role } from './contract'

/**
 * What the signed-in user may do, mirroring the server's rules so the console can disable what would be refused
 * and say why. The server still decides: a 403 is shown as its message.
 */
const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2, super_user: 3 }

export const atLeast = (role: Role, minimum: Role) => rank[role] >= rank[minimum]

/** Why `me` may not activate, pause or run; null when allowed (or while `me` is loading: the server decides). */
export function controlDenial(me: Me | undefined): string | null {
  if (!me || atLeast(me.role, 'operator')) return null
  return 'Operator role required'
}

/** Why `me` may not delete in a flow owned by `ownerId`: admins may, and operators who own it. */
export function deleteDenial(me: Me | undefined, ownerId: number): string | null {
  if (!me || atLeast(me.role, 'admin')) return null
  if (me.id === ownerId && atLeast(me.role, 'operator')) return null
  return 'Admin role required'
}

/** Why `me` may not create resources (new flows, data sets, sinks): the server asks for the admin role. */
export function createDenial(me: Me | undefined): string | null {
  if (!me || atLeast(me.role, 'admin')) return null
  return 'Admin role required'
}

/** Why `me` may not edit or copy a flow owned by `ownerId`: admins may, and operators who own it. */
export const editDenial = deleteDenial

/** Only super-users may give a flow to another user or org. */
export const canChangeOwner = (me: Me | undefined) => me?.role === 'super_user'
