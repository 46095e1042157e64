import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ACCESS_TOKEN_SECONDS, actorForKey, issueKey, revokeKey } from '../db/users.js'
import { HttpError, unauthorized } from '../errors.js'
import { ErrorResponse } from '../schemas/common.js'
import { Token } from '../schemas/auth.js'

/** Basic credentials are the API key as given or base64 of it (with or without a trailing ':'). */
function keysFromBasic(header: string | undefined): string[] {
  if (!header || !/^basic /i.test(header)) return []
  const raw = header.slice(6).trim()
  const decoded = Buffer.from(raw, 'base64').toString('utf8')
  return [raw, decoded, decoded.replace(/:$/, ''), decoded.split(':')[1] ?? ''].filter(Boolean)
}

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/token',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange an API key (HTTP Basic) for a short-lived access token',
        security: [],
        response: { 200: Token, 401: ErrorResponse },
      },
    },
    async (request) => {
      for (const key of keysFromBasic(request.headers.authorization)) {
        const actor = await actorForKey(app.db, key)
        if (actor && actor.tokenId === undefined) {
          const token = await issueKey(app.db, actor.userId, { kind: 'access_token' })
          return { access_token: token.key, token_type: 'Bearer' as const, expires_in: ACCESS_TOKEN_SECONDS }
        }
      }
      throw unauthorized('POST /api/token needs "Authorization: Basic <api key>" with a valid API key')
    },
  )

  app.post(
    '/token/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke the access token this request carries',
        response: {
          200: Type.Object({ status: Type.Integer(), message: Type.String() }),
          400: ErrorResponse,
        },
      },
    },
    async (request) => {
      const { tokenId } = request.actor
      if (tokenId === undefined)
        throw new HttpError(
          400,
          'Logout revokes access tokens; this request used an API key. Send the token as Bearer',
        )
      await revokeKey(app.db, tokenId)
      return { status: 200, message: 'Ok' }
    },
  )
}
