import {formatDuration} from '../util/time.js'
import type {Evidence} from './types.js'

/**
 * Pairs of evidence times that cannot be in the other order when every clock is right: the first happened
 * before the second. `who` names the clocks that wrote each time, for the text that says which disagree.
 */
interface OrderedPair {
  earlier: string
  later: string
  /** The clocks that wrote the two times ("the ERP's", "the CMS's"); one value when it is the same system. */
  clocks: [string, string]
  /** For pairs of a run and its outcome: both entries must name the same run. */
  sameRun?: boolean
}

const runStarts = ['lastCustomerSync', 'latestCustomerSync', 'lastItemSync', 'lastStockSync']

export const orderedPairs: OrderedPair[] = [
  // The CMS stores the ERP's change time of the version it writes: that change came before the write.
  {clocks: ["the ERP's", "the CMS's"], earlier: 'cmsErpModifiedAt', later: 'cmsSyncedAt'},
  // A run's outcome for one record is written while that run runs.
  ...runStarts.map(
    (run): OrderedPair => ({
      clocks: ["the CMS's", "the CMS's"],
      earlier: run,
      later: 'syncRecordOutcome',
      sameRun: true,
    }),
  ),
  {clocks: ["the CMS's", "the CMS's"], earlier: 'lastStockSync', later: 'stockRecordOutcome', sameRun: true},
  // A run finishes after it starts.
  {clocks: ["the CMS's", "the CMS's"], earlier: 'lastStockSync', later: 'lastStockSyncFinished', sameRun: true},
  // A record made on a device or in the webshop reaches the CMS after it was made.
  {clocks: ["the device's", "the CMS's"], earlier: 'createdAt', later: 'receivedAt'},
  {clocks: ["the webshop's", "the CMS's"], earlier: 'placedAt', later: 'receivedAt'},
]

/** A pair of evidence entries in one list whose times contradict the order they must have. */
export interface OutOfOrder {
  pair: OrderedPair
  earlier: Evidence
  later: Evidence
  /** How far the "earlier" one lies after the "later" one. */
  byMs: number
}

/** Every ordered pair in one evidence list (a hop's or the verdict's) whose times are the wrong way round. */
export function outOfOrderTimes(evidence: Evidence[]): OutOfOrder[] {
  const found: OutOfOrder[] = []
  for (const pair of orderedPairs) {
    for (const earlier of evidence.filter((entry) => entry.name === pair.earlier && entry.at !== undefined)) {
      for (const later of evidence.filter((entry) => entry.name === pair.later && entry.at !== undefined)) {
        if (pair.sameRun && (earlier.runId === undefined || earlier.runId !== later.runId)) continue
        const byMs = Date.parse(earlier.at as string) - Date.parse(later.at as string)
        // Whole seconds: the CMS truncates the times it stores.
        if (byMs >= 1000) found.push({byMs, earlier, later, pair})
      }
    }
  }
  return found
}

export const clockEvidenceName = 'clockDisagreement'

/** The evidence that says which clocks disagree, naming both entries by their labels. */
export function clockDisagreementEvidence(found: OutOfOrder): Evidence {
  const [first, second] = found.pair.clocks
  const whose =
    first === second ? `${first} own records contradict each other` : `${first} clock and ${second} disagree`
  return {
    label: 'Clocks disagree',
    name: clockEvidenceName,
    text: `"${found.earlier.label}" is ${formatDuration(found.byMs)} after "${found.later.label}", which cannot happen first: ${whose}, so an order of events read from these clocks may be off by as much.`,
  }
}

/** Adds the clock evidence to a list with times out of order (once per pair); returns whether any was found. */
export function noteClockDisagreements(evidence: Evidence[]): boolean {
  const found = outOfOrderTimes(evidence)
  for (const entry of found) {
    const note = clockDisagreementEvidence(entry)
    if (!evidence.some((existing) => existing.name === clockEvidenceName && existing.text === note.text))
      evidence.push(note)
  }
  return found.length > 0
}

/** Invariant: every out-of-order pair in a list is explained there by a clock-disagreement entry naming both. */
export function unexplainedOutOfOrder(evidence: Evidence[]): string[] {
  return outOfOrderTimes(evidence)
    .filter(
      (found) =>
        !evidence.some(
          (entry) =>
            entry.name === clockEvidenceName &&
            entry.text?.includes(`"${found.earlier.label}"`) &&
            entry.text.includes(`"${found.later.label}"`),
        ),
    )
    .map(
      (found) =>
        `${found.earlier.name} (${found.earlier.at}) is after ${found.later.name} (${found.later.at}), and no evidence says which clock is off`,
    )
}
