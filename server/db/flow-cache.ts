/**
 * Serialized flow responses keyed by flow and version. Every write bumps the flow's version, so an entry
 * can never be stale for the version it is stored under; polling an unchanged flow skips the rebuild.
 */
export class FlowBodyCache {
  private entries = new Map<string, { version: number; body: string }>()

  constructor(private readonly max = 256) {}

  get(originId: number, variant: string, version: number): string | undefined {
    const key = `${originId}${variant}`
    const hit = this.entries.get(key)
    if (!hit || hit.version !== version) return undefined
    // Re-insert so the Map's order is least-recently-used first.
    this.entries.delete(key)
    this.entries.set(key, hit)
    return hit.body
  }

  set(originId: number, variant: string, version: number, body: string) {
    const key = `${originId}${variant}`
    this.entries.delete(key)
    this.entries.set(key, { version, body })
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }
}
