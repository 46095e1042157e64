/** Errors routes throw; the one error handler in app.ts turns them into the JSON error shape. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export const badRequest = (field: string, message: string, details: Record<string, unknown> = {}) =>
  new HttpError(400, `${field}: ${message}`, { field, ...details })
export const unauthorized = (message = 'A valid API key or access token is required') =>
  new HttpError(401, message)
export const forbidden = (message: string) => new HttpError(403, message)
export const notFound = (what: string) => new HttpError(404, `${what} not found`)
export const notAllowed = (message: string, details: Record<string, unknown> = {}) =>
  new HttpError(405, message, details)
export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new HttpError(409, message, details)
export const unprocessable = (message: string, details: Record<string, unknown> = {}) =>
  new HttpError(422, message, details)

/** 400 for one or more field problems: the message names the first, `errors` lists them all. */
export function invalidFields(problems: { field: string; message: string }[]): never {
  const [first] = problems
  if (!first) throw new Error('invalidFields() needs at least one problem')
  throw new HttpError(400, `${first.field}: ${first.message}`, { field: first.field, errors: problems })
}
