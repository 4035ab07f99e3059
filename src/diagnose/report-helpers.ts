import type {HopProblem} from '../http/problem.js'
import {isUnreachable} from '../http/problem.js'
import {fieldLabel, type FieldDiff} from '../model/compare.js'
import type {SyncRun} from '../connectors/platform/types.js'
import type {Fetched} from '../observe/fetched.js'
import type {Evidence, HopName, HopReport} from '../report/types.js'
import {formatInZone} from '../util/time.js'

export {needsSeconds} from '../util/time.js'
import type {Clock} from './conclude.js'

/** Building blocks of every entity's hop reports. */

/** A time in the installation's zone; `seconds` when the sentence compares it with one in the same minute (`needsSeconds`). */
export const time = (date: Date, clock: Clock, seconds = false) => formatInZone(date, clock.timeZone, {seconds})

export function timeEvidence(name: string, label: string, date: Date | null | undefined): Evidence[] {
  return date ? [{at: date.toISOString(), label, name}] : []
}

export function runEvidence(run: SyncRun | undefined, name: string, label: string): Evidence[] {
  if (!run) return [{label, name, text: 'none found'}]
  const what = `${run.runId}, ${run.mode}, ${run.status}${run.error ? `: ${run.error}` : ''}`
  return [{...(run.startedAt ? {at: run.startedAt.toISOString()} : {}), label, name, runId: run.runId, text: what}]
}

export function describeRun(run: SyncRun, clock: Clock, seconds = false): string {
  return `${run.startedAt ? time(run.startedAt, clock, seconds) : 'unknown time'}, run ${run.runId}, ${run.mode}`
}

export function problemReport(
  hop: HopName,
  system: string,
  fetched: {problem: HopProblem; durationMs: number},
  comparedWith: HopName | null,
): HopReport {
  return {
    comparedWith,
    derived: [],
    diff: [],
    durationMs: fetched.durationMs,
    evidence: [],
    hop,
    notCompared: [],
    problem: fetched.problem,
    record: null,
    status: isUnreachable(fetched.problem) ? 'unreachable' : 'error',
    summary: fetched.problem.message,
    system,
  }
}

export function baseReport(hop: HopName, system: string, durationMs: number, comparedWith: HopName | null): HopReport {
  return {
    comparedWith,
    derived: [],
    diff: [],
    durationMs,
    evidence: [],
    hop,
    notCompared: [],
    problem: null,
    record: null,
    status: 'present',
    summary: '',
    system,
  }
}

export function diffLabels(diff: FieldDiff[]): string {
  return [...new Set(diff.map((entry) => fieldLabel(entry.field)))].join(', ')
}

/** Presence of a record at a hop, as far as it could be told. */
export type Presence = 'present' | 'missing' | 'unknown'

export function presenceOf<T>(fetched: Fetched<T | null> | null): Presence {
  if (!fetched || !fetched.ok) return 'unknown'
  return fetched.value === null ? 'missing' : 'present'
}
