/** How long the sandbox's jobs take at the user's pace: long enough to show progress, short enough to wait for. */
export const jobTiming = {progressStepMs: 250, progressSteps: 5, queuedMs: 250, deviceStartMs: 1500, republishMs: 800}

/** The environment variable a spawned CLI's `--sandbox` reads its time scale from (a test knob). */
export const timeScaleVariable = 'SYNCTRACE_SANDBOX_TIME_SCALE'

/**
 * The sandbox's time scale: the option when given, else `SYNCTRACE_SANDBOX_TIME_SCALE`, else 1 (the user's
 * pace). Every job's time is multiplied by it: 0.01 makes each job a hundred times faster.
 */
export function resolveTimeScale(option?: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[timeScaleVariable]
  const scale = option ?? (raw === undefined || raw.trim() === '' ? 1 : Number(raw))
  if (!Number.isFinite(scale) || scale <= 0)
    throw new Error(
      option === undefined
        ? `${timeScaleVariable} must be a number above 0 (1 is the usual pace, 0.01 a hundred times faster), not "${raw}"`
        : `the sandbox's time scale must be a number above 0, not ${option}`,
    )
  return scale
}

/** Timers of running jobs at the sandbox's time scale, cleared when the sandbox stops. */
export class JobTimers {
  private readonly timers = new Set<NodeJS.Timeout>()

  /** `timeScale` multiplies every delay; a test may change it for the jobs it starts next. */
  constructor(public timeScale = 1) {}

  /** Runs `work` after `ms` of the sandbox's time. */
  after(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      work()
    }, ms * this.timeScale)
    this.timers.add(timer)
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }
}
