/**
 * The time a run reads and waits on. Code that polls or waits takes a `Clock` instead of calling `Date.now`
 * and `setTimeout` itself, so a test can hand one that waits less (or not at all) and the run's context
 * can carry one clock for everything it does.
 */
export interface Clock {
  /** The current time, epoch ms. */
  now(): number
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** Node's timers hold at most 2^31 - 1 ms; a longer delay would fire at once. */
const longestTimerMs = 2 ** 31 - 1

/** The wall clock: `Date.now` and an abortable `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const onAbort = () => {
        clearTimeout(timer)
        reject(signal?.reason)
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.min(Math.max(0, ms), longestTimerMs),
      )
      signal?.addEventListener('abort', onAbort, {once: true})
    }),
}
