import {createHash} from 'node:crypto'

type Json = Record<string, unknown>

/**
 * What the server remembers per Idempotency-Key: the body it was sent with and the answer it gave, so the
 * same request sent again (after a lost response) gets the same job instead of a second one.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, {bodyHash: string; result: Json}>()

  static hash(body: unknown): string {
    return createHash('sha256')
      .update(JSON.stringify(body ?? null))
      .digest('hex')
  }

  lookup(key: string, body: unknown): {result: Json} | {mismatch: true} | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    return entry.bodyHash === IdempotencyStore.hash(body) ? {result: entry.result} : {mismatch: true}
  }

  remember(key: string, body: unknown, result: Json): void {
    this.entries.set(key, {bodyHash: IdempotencyStore.hash(body), result})
  }
}
