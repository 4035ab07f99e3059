/**
 * NetSuite limits how many requests an account has in flight at once (one pool shared by every integration
 * of the account: SOAP, REST, RESTlets), not how many per minute. The client keeps to a small number of its
 * own, so that it leaves room for the platform's connector and never collects rejections by itself.
 */
export class ConcurrencyLimit {
  private active = 0
  private readonly waiting: Array<() => void> = []

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`a concurrency limit must be a whole number of at least 1, not ${limit}`)
  }

  /** Runs `task` once fewer than `limit` others are running. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else this.active++
    try {
      return await task()
    } finally {
      const next = this.waiting.shift()
      // The slot passes straight to the next in line, so `active` never drops below the running count.
      if (next) next()
      else this.active--
    }
  }

  /** How many tasks are running now. */
  get running(): number {
    return this.active
  }
}
