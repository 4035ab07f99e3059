import {
  checkReportInvariants,
  HttpClient,
  loadEmulators,
  type SandboxInstallation,
  startInstallation,
  traceCustomer,
  traceItem,
  traceOrder,
  traceRecord,
  type TraceReport,
} from './library.js'
import {generateHistory} from './generate.js'
import {expectedVerdict} from './oracle.js'
import {installationKind, playHistory} from './play.js'
import type {Entity, Expected, History} from './types.js'

/**
 * Plays histories and traces their record with synctrace, in this process, against real sandbox servers
 * on loopback. One running server set per kind of installation and worker is reused: each history swaps
 * its state in. A few workers run histories side by side.
 */

export interface HistoryOutcome {
  history: History
  /** Null when the oracle found the history outside the unambiguous region. */
  expected: Expected | null
  why: string
  actual: Expected | null
  agree: boolean
  /** What the report invariant checker (src/report/invariants.ts) says about the report. */
  invariantProblems: string[]
  report: TraceReport | null
  error: string | null
}

export function actualVerdict(report: TraceReport): Expected {
  return {
    actionKind: report.action.kind,
    brokenLink: report.verdict.brokenLink,
    cause: report.verdict.cause,
    exitCode: report.exitCode,
  }
}

function sameVerdict(a: Expected, b: Expected): boolean {
  return (
    a.cause === b.cause &&
    a.actionKind === b.actionKind &&
    a.exitCode === b.exitCode &&
    (a.brokenLink?.from ?? null) === (b.brokenLink?.from ?? null) &&
    (a.brokenLink?.to ?? null) === (b.brokenLink?.to ?? null)
  )
}

type Kind = ReturnType<typeof installationKind>

class Worker {
  private readonly slots = new Map<Kind, SandboxInstallation>()

  async play(history: History): Promise<HistoryOutcome> {
    const answer = expectedVerdict(history)
    const outcome: HistoryOutcome = {
      actual: null,
      agree: true,
      error: null,
      expected: null,
      history,
      invariantProblems: [],
      report: null,
      why: '',
    }
    if ('ambiguous' in answer) return {...outcome, why: answer.ambiguous}
    outcome.expected = answer.expected
    outcome.why = answer.why
    const kind = installationKind(history)
    const state = playHistory(history, new Date())
    let slot = this.slots.get(kind)
    if (slot) await slot.replaceState(state)
    else {
      slot = await startInstallation(state)
      this.slots.set(kind, slot)
    }
    const fault = history.knobs.fault
    const http = new HttpClient()
    try {
      if (fault) await slot.setFault(fault.hop, fault.kind === 'down' ? {kind: 'down'} : {delayMs: 120, kind: 'slow'})
      const profile = slot.profile('admin', history.knobs.protocol)
      const options = {
        commandSuffix: '--profile history',
        http,
        // No history tests a deadline (its faults are a stopped server or 120 ms of delay): a loaded machine
        // must not turn a slow answer into an unreachable hop.
        timeoutMs: 120_000,
        userId: history.knobs.user ?? undefined,
        version: '0.0.0-history',
      }
      const report = await traceHistory(history, profile, options)
      outcome.report = report
      outcome.actual = actualVerdict(report)
      outcome.agree = sameVerdict(answer.expected, outcome.actual)
      outcome.invariantProblems = checkReportInvariants(report)
    } catch (error) {
      outcome.error = (error as Error).stack ?? String(error)
      outcome.agree = false
    } finally {
      await http.close()
      if (fault) await slot.setFault(fault.hop, null)
    }
    return outcome
  }

  async stop(): Promise<void> {
    await Promise.all([...this.slots.values()].map((slot) => slot.stop()))
    this.slots.clear()
  }
}

type TraceOptions = Parameters<typeof traceCustomer>[2]

/** Traces the history's record: `trace price <customer> <item> --quantity N` for a price, else its key. */
function traceHistory(history: History, profile: Parameters<typeof traceCustomer>[0], options: TraceOptions) {
  if (history.entity === 'price')
    return traceRecord('price', profile, history.key, {
      ...options,
      keyParts: history.key.split('/'),
      params: {quantity: history.quantity},
    })
  const trace = history.entity === 'item' ? traceItem : history.entity === 'order' ? traceOrder : traceCustomer
  return trace(profile, history.key, options)
}

export interface BatchResult {
  outcomes: HistoryOutcome[]
  /** Histories traced (the ambiguous ones are not). */
  played: number
  disagreements: HistoryOutcome[]
  /** Reports the invariant checker found fault with. */
  invariantFailures: HistoryOutcome[]
  ms: number
}

/**
 * Plays `count` traced histories from seeds `seed`, `seed + 1`, …, skipping the ones the oracle calls
 * ambiguous, with `concurrency` workers.
 */
export async function runHistories(options: {
  count: number
  seed: number
  concurrency?: number
  /** Only histories of this entity (`npm run scenarios -- --entity price`). */
  entity?: Entity
  onOutcome?: (outcome: HistoryOutcome) => void
}): Promise<BatchResult> {
  const started = Date.now()
  await loadEmulators()
  const workers = Array.from({length: options.concurrency ?? 4}, () => new Worker())
  const outcomes: HistoryOutcome[] = []
  let nextSeed = options.seed
  let played = 0
  const take = (): History | null => {
    // Ambiguous histories are set aside without a trace; the batch still traces `count` histories.
    for (let guard = 0; guard < 1000 && played < options.count; guard++) {
      const history = generateHistory(nextSeed++, {entity: options.entity})
      const answer = expectedVerdict(history)
      if ('ambiguous' in answer) {
        outcomes.push({
          actual: null,
          agree: true,
          error: null,
          expected: null,
          history,
          invariantProblems: [],
          report: null,
          why: answer.ambiguous,
        })
        continue
      }
      played++
      return history
    }
    return null
  }
  try {
    await Promise.all(
      workers.map(async (worker) => {
        for (let history = take(); history; history = take()) {
          const outcome = await worker.play(history)
          outcomes.push(outcome)
          options.onOutcome?.(outcome)
        }
      }),
    )
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()))
  }
  const traced = outcomes.filter((outcome) => outcome.expected !== null)
  return {
    disagreements: traced.filter((outcome) => !outcome.agree),
    invariantFailures: traced.filter((outcome) => outcome.invariantProblems.length > 0),
    ms: Date.now() - started,
    outcomes,
    played: traced.length,
  }
}

/** A disagreement as text: the seed to replay it, the history, what the oracle expected and what synctrace said. */
export function describeOutcome(outcome: HistoryOutcome): string {
  const {history} = outcome
  const link = (verdict: Expected | null) =>
    verdict?.brokenLink ? `${verdict.brokenLink.from ?? '∅'} → ${verdict.brokenLink.to}` : 'none'
  const lines = [
    `seed ${history.seed}: ${history.entity} ${history.key} on ${history.knobs.erp} (replay: npm run scenarios -- --count 1 --seed ${history.seed})`,
    `  knobs: ${JSON.stringify(history.knobs)}`,
    ...(history.entity === 'order' ? [`  erp lacks: ${JSON.stringify(history.erpLacks)}`] : []),
    ...history.events.map((event) => `  ${String(event.ago).padStart(6)} min ago  ${JSON.stringify(event)}`),
    `  oracle:    ${outcome.expected?.cause} / ${outcome.expected?.actionKind} / exit ${outcome.expected?.exitCode} / ${link(outcome.expected)}  (${outcome.why})`,
    `  synctrace: ${outcome.actual?.cause} / ${outcome.actual?.actionKind} / exit ${outcome.actual?.exitCode} / ${link(outcome.actual)}`,
  ]
  if (outcome.report) {
    lines.push(`  hops: ${outcome.report.hops.map((hop) => `${hop.hop}=${hop.status}`).join(' ')}`)
    lines.push(`  summary: ${outcome.report.verdict.summary}`)
  }
  if (outcome.invariantProblems.length > 0) lines.push(`  invariants: ${outcome.invariantProblems.join('; ')}`)
  if (outcome.error) lines.push(`  error: ${outcome.error}`)
  return lines.join('\n')
}
