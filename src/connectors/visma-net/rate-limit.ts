import {type WaitBudget, waitWithin} from '../../http/wait.js'

type Headers = Record<string, string | string[] | undefined>

function header(headers: Headers, name: string): number | null {
  const raw = headers[name]
  const value = Array.isArray(raw) ? raw[0] : raw
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return null
  return Number(value)
}

/** `X-RateLimit-Reset` (seconds until the window resets) in milliseconds, for a 429 without Retry-After. */
export function resetDelayMs(headers: Headers): number | undefined {
  const seconds = header(headers, 'x-ratelimit-reset')
  return seconds === null ? undefined : seconds * 1000 + 100
}

/**
 * Visma.net's limit is a fixed window per company and client whose size it does not publish; every answer
 * states it in `X-RateLimit-Limit`, `-Remaining` and `-Reset` (seconds). The gate keeps what the last answer
 * said, counts the requests sent since, and holds a request back until the window resets once the budget
 * is down to the reserve, so a burst of lookups waits for the reset instead of collecting 429s. Callers
 * report every request's outcome with `observe` (null headers when there was no answer).
 */
export class FixedWindowGate {
  private remaining: number | null = null
  private resetAt = 0
  private queue: Promise<void> = Promise.resolve()
  /** While the window's state is unknown, one request goes first and the others wait for its headers. */
  private scout: (() => void) | null = null
  private scouted: Promise<void> = Promise.resolve()
  policy: string | null = null

  constructor(
    /** Requests left untouched in every window, for the platform's own connector sharing the budget. */
    private readonly reserve = 1,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the window's state from an answer's headers; null when the request got no answer. */
  observe(headers: Headers | null): void {
    const scout = this.scout
    this.scout = null
    scout?.()
    if (!headers) return
    const remaining = header(headers, 'x-ratelimit-remaining')
    const reset = header(headers, 'x-ratelimit-reset')
    const policy = headers['x-ratelimit-policy']
    if (typeof policy === 'string') this.policy = policy
    if (remaining === null || reset === null) return
    const resetAt = this.now() + reset * 1000
    // Answers of one window can arrive out of order: the lowest count of the current window holds.
    if (this.remaining === null || resetAt > this.resetAt + 1000 || remaining < this.remaining)
      this.remaining = remaining
    this.resetAt = Math.max(this.resetAt, resetAt)
  }

  /**
   * Resolves when one more request may be sent, and counts it. A wait past the budget's deadline is not
   * waited: the request's hop gets a rate-limited problem that says how long the window asks to wait.
   */
  acquire(budget: WaitBudget): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const current = this.now()
        if (this.remaining !== null && current >= this.resetAt) this.remaining = null
        if (this.remaining === null) {
          if (this.scout) {
            await this.scouted
            continue
          }
          this.scouted = new Promise((resolve) => (this.scout = () => resolve()))
          return
        }
        if (this.remaining > this.reserve) {
          this.remaining--
          return
        }
        const who = `Visma.net: the rate limit${this.policy ? ` (${this.policy})` : ''} is used up; its window`
        await waitWithin(this.resetAt - current + 100, budget, who)
      }
    })
    this.queue = turn.catch(() => undefined)
    return turn
  }
}
