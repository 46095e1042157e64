import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { createOrg, createUser, issueKey, now, revokeKey, userOut } from '../db/users.js'
import { conflict, forbidden, notFound } from '../errors.js'
import { canGrant, denial, seesOrg, type Action, type Actor } from '../domain/permissions.js'
import { errorResponses, Id, IdParams, Pagination } from '../schemas/common.js'
import { ApiKeyCreated, ApiKeyInfo, CreateOrg, CreateUser, Me, Org, User } from '../schemas/auth.js'
import { pageOf, paginate } from './pagination.js'

export function authorize(actor: Actor, action: Action, ownerId?: number) {
  const reason = denial(actor, action, ownerId)
  if (reason) throw forbidden(reason)
}

export const orgRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app

  async function visibleUser(actor: Actor, id: number) {
    const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    if (!user || !seesOrg(actor, user.org_id)) throw notFound(`User ${id}`)
    return user
  }

  app.get(
    '/me',
    { schema: { tags: ['auth'], summary: 'The caller', response: { 200: Me, ...errorResponses } } },
    async (request) => {
      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', request.actor.userId)
        .executeTakeFirstOrThrow()
      const org = await db
        .selectFrom('orgs')
        .selectAll()
        .where('id', '=', user.org_id)
        .executeTakeFirstOrThrow()
      return { ...userOut(user), org }
    },
  )

  app.get(
    '/orgs',
    {
      schema: {
        tags: ['orgs'],
        summary: 'Orgs the caller can see',
        querystring: Pagination,
        response: { 200: Type.Array(Org), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { page, perPage } = pageOf(request.query)
      const scoped = db
        .selectFrom('orgs')
        .$if(request.actor.role !== 'super_user', (q) => q.where('id', '=', request.actor.orgId))
      const rows = await scoped
        .selectAll()
        .orderBy('id')
        .limit(perPage)
        .offset((page - 1) * perPage)
        .execute()
      const { n } = await scoped.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      paginate(request, reply, Number(n), page, perPage, rows.length)
      return rows
    },
  )

  app.post(
    '/orgs',
    {
      schema: {
        tags: ['orgs'],
        summary: 'Create an org (super-users)',
        body: CreateOrg,
        response: { 200: Org, ...errorResponses },
      },
    },
    async (request) => {
      authorize(request.actor, 'manage_orgs')
      return createOrg(db, request.body.name)
    },
  )

  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Users the caller can see',
        querystring: Pagination,
        response: { 200: Type.Array(User), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { page, perPage } = pageOf(request.query)
      const scoped = db
        .selectFrom('users')
        .$if(request.actor.role !== 'super_user', (q) => q.where('org_id', '=', request.actor.orgId))
      const rows = await scoped
        .selectAll()
        .orderBy('id')
        .limit(perPage)
        .offset((page - 1) * perPage)
        .execute()
      const { n } = await scoped.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      paginate(request, reply, Number(n), page, perPage, rows.length)
      return rows.map(userOut)
    },
  )

  app.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user in an org (admins: their own org; super-users: any)',
        body: CreateUser,
        response: { 200: User, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request) => {
      const { actor } = request
      authorize(actor, 'manage_users')
      const orgId = request.body.org_id ?? actor.orgId
      const org = await db.selectFrom('orgs').select('id').where('id', '=', orgId).executeTakeFirst()
      if (!org || !seesOrg(actor, orgId))
        throw Object.assign(notFound(`Org ${orgId}`), { message: `org_id: Org ${orgId} not found` })
      if (!canGrant(actor, request.body.role))
        throw forbidden(`role: only a super-user can create a ${request.body.role}`)
      const email = request.body.email.toLowerCase()
      const taken = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()
      if (taken) throw conflict(`email: a user with email ${email} already exists`, { field: 'email' })
      return userOut(await createUser(db, { ...request.body, email, org_id: orgId }))
    },
  )

  const KeyParams = Type.Object({ id: Id, keyId: Id })

  /**
   * Anyone manages their own keys; admins manage keys of their org's users, but never of a higher role:
   * a key for the org's super-user would make the admin a super-user.
   */
  async function keyOwner(actor: Actor, userId: number) {
    const user = await visibleUser(actor, userId)
    if (user.id !== actor.userId) {
      authorize(actor, 'manage_users')
      if (!canGrant(actor, user.role))
        throw forbidden(`only a super-user can manage the API keys of a ${user.role}`)
    }
    return user
  }

  app.post(
    '/users/:id/api_keys',
    {
      schema: {
        tags: ['users'],
        summary: 'Create an API key; the key is shown only in this response',
        params: IdParams,
        response: { 200: ApiKeyCreated, ...errorResponses },
      },
    },
    async (request) => {
      const user = await keyOwner(request.actor, request.params.id)
      const { id, key, created_at } = await issueKey(db, user.id)
      return { id, api_key: key, created_at }
    },
  )

  app.get(
    '/users/:id/api_keys',
    {
      schema: {
        tags: ['users'],
        summary: "A user's API keys (never the keys themselves)",
        params: IdParams,
        response: { 200: Type.Array(ApiKeyInfo), ...errorResponses },
      },
    },
    async (request) => {
      const user = await keyOwner(request.actor, request.params.id)
      return db
        .selectFrom('api_keys')
        .select(['id', 'created_at', 'revoked_at'])
        .where('user_id', '=', user.id)
        .where('kind', '=', 'api_key')
        .orderBy('id')
        .execute()
    },
  )

  app.delete(
    '/users/:id/api_keys/:keyId',
    {
      schema: {
        tags: ['users'],
        summary: 'Revoke an API key',
        params: KeyParams,
        response: { 200: ApiKeyInfo, ...errorResponses },
      },
    },
    async (request) => {
      const user = await keyOwner(request.actor, request.params.id)
      const key = await db
        .selectFrom('api_keys')
        .select(['id', 'created_at', 'revoked_at'])
        .where('id', '=', request.params.keyId)
        .where('user_id', '=', user.id)
        .where('kind', '=', 'api_key')
        .executeTakeFirst()
      if (!key) throw notFound(`API key ${request.params.keyId}`)
      if (key.revoked_at === null) await revokeKey(db, key.id)
      return { ...key, revoked_at: key.revoked_at ?? now() }
    },
  )
}
