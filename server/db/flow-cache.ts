/**
 * Values derived from a flow, keyed by flow and version. Every write bumps the flow's version in the same
 * transaction, so an entry can never be stale for the version it is stored under. Entries must be treated
 * as immutable: writers build new objects and store them only after their transaction committed.
 */
export class VersionedCache<T> {
  private entries = new Map<string, { version: number; value: T }>()

  constructor(private readonly max: number) {}

  get(originId: number, version: number, variant = ''): T | undefined {
    const key = `${originId}${variant}`
    const hit = this.entries.get(key)
    if (!hit || hit.version !== version) return undefined
    // Re-insert so the Map's order is least-recently-used first.
    this.entries.delete(key)
    this.entries.set(key, hit)
    return hit.value
  }

  set(originId: number, version: number, value: T, variant = '') {
    const key = `${originId}${variant}`
    this.entries.delete(key)
    this.entries.set(key, { version, value })
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }
}
