import path from 'node:path'

/**
 * Resolves a connector path inside the files root, or explains why it is refused. Pure: it never touches
 * the file system, so a path that does not exist yet (a sink folder) is fine.
 */
export function confinePath(
  root: string,
  given: string,
): { ok: true; path: string } | { ok: false; reason: string } {
  if (given.trim() === '') return { ok: false, reason: 'must not be empty' }
  if (path.isAbsolute(given) || /^[a-zA-Z]:[\\/]/.test(given))
    return { ok: false, reason: 'must be a path relative to the data root, not an absolute path' }
  if (given.split(/[\\/]/).includes('..')) return { ok: false, reason: "must not contain '..'" }
  if (given.includes('\0')) return { ok: false, reason: 'must not contain NUL characters' }
  const resolved = path.resolve(root, given)
  const rel = path.relative(root, resolved)
  if (rel.startsWith('..') || path.isAbsolute(rel))
    return { ok: false, reason: 'must stay inside the data root' }
  return { ok: true, path: resolved }
}
