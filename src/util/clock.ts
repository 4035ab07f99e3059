import {sleep} from '../http/wait.js'

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

/** The wall clock: `Date.now` and the connectors' abortable wait (`sleep`, src/http/wait.ts). */
export const systemClock: Clock = {now: () => Date.now(), sleep}
