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
