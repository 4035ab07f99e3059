import {type WaitBudget, waitWithin} from '../http/wait.js'

/**
 * A sliding window kept by the client: at most `limit` requests in any `windowMs`, so a burst of lookups
 * waits its turn instead of collecting 429s. Fortnox allows 25 requests per 5 seconds per access token (the
 * defaults); Visma eAccounting 600 per minute per endpoint. A turn that would come after the request's
 * deadline is refused at once, as the hop's problem (`waitWithin`), and Ctrl-C ends the wait.
 */
export class SlidingWindowLimiter {
  private readonly sent: number[] = []
  private queue: Promise<void> = Promise.resolve()

  constructor(
    readonly limit = 25,
    readonly windowMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when one more request of `system` may be sent within `budget`, and counts it. */
  acquire(budget: WaitBudget, system: string): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const current = this.now()
        while (this.sent.length > 0 && (this.sent[0] as number) <= current - this.windowMs) this.sent.shift()
        if (this.sent.length < this.limit) {
          this.sent.push(current)
          return
        }
        const who = `${system}'s rate limit (${this.limit} requests per ${Math.round(this.windowMs / 1000)} s)`
        await waitWithin((this.sent[0] as number) + this.windowMs - current + 5, budget, who)
      }
    })
    this.queue = turn.catch(() => undefined)
    return turn
  }
}
