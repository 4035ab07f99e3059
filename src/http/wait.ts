import {type ProblemKind, RequestProblem} from './problem.js'

/**
 * The one wait of every connector: a Retry-After, a service's "try again in N seconds", a rate limiter's
 * window. A wait that would end past its deadline is not waited at all: it is the hop's problem at once,
 * so no server can hold a run beyond --timeout by asking it to wait (and no date weeks ahead reaches
 * Node's timer, which fires at once for anything over 2^31 - 1 ms). Every wait ends on the run's abort
 * signal (Ctrl-C).
 */
export interface WaitBudget {
  /** When what waits must be done (epoch ms). */
  deadlineAt: number
  /** The timeout the deadline comes from, for the message. */
  timeoutMs: number
  /** The run's abort signal (Ctrl-C). */
  signal?: AbortSignal
}

/** Node's timers hold at most 2^31 - 1 ms; a longer delay fires at once. */
const longestTimerMs = 2 ** 31 - 1

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      Math.min(Math.max(0, ms), longestTimerMs),
    )
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}

/** Seconds for a message: whole, and "more than a year" kept readable. */
function seconds(ms: number): string {
  if (!Number.isFinite(ms) || ms > 365 * 86_400_000) return 'more than a year'
  return `${Math.ceil(ms / 1000)} s`
}

/**
 * Waits `ms` for `who` (a host, "Visma eAccounting's rate limit"), unless that would pass the budget's
 * deadline: then the hop's problem of `kind`, saying what was asked ("asks to wait N s, beyond the timeout").
 */
export async function waitWithin(
  ms: number,
  budget: WaitBudget,
  who: string,
  kind: ProblemKind = 'rate-limited',
  httpStatus?: number,
): Promise<void> {
  const waitMs = Number.isNaN(ms) ? Number.POSITIVE_INFINITY : Math.max(0, ms)
  if (Date.now() + waitMs > budget.deadlineAt || waitMs > longestTimerMs)
    throw new RequestProblem({
      ...(httpStatus === undefined ? {} : {httpStatus}),
      kind,
      message: `${who} asks to wait ${seconds(waitMs)}, beyond the timeout (${seconds(budget.timeoutMs)})`,
    })
  await sleep(waitMs, budget.signal)
}
