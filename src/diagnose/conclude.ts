import type {Installation} from '../connectors/platform/types.js'
import {hopLabels} from '../report/entities.js'
import {uncheckedOnPath} from '../report/invariants.js'
import type {
  CauseCode,
  Evidence,
  HopName,
  HopReport,
  InstallationSummary,
  OrderLinePrice,
  Verdict,
} from '../report/types.js'
import {type ActionContext, actionFor} from './actions.js'
import {noteClockDisagreements} from '../report/time-order.js'

/** A hop's report plus the cause of a break on the link into it, if the link is broken. */
export interface Assessment {
  report: HopReport
  cause: CauseCode | null
  /** The sentence that explains the break, with its evidence. */
  causeSummary?: string
  causeEvidence?: Evidence[]
  /** For actions addressed to one app user. */
  userId?: string
  /** What the action's sync or republish names, when not the record itself (a price's customer or list). */
  sync?: {noun: string; key: string}
  /** The broken link when it is not the one into this hop (a transfer the CMS could not make breaks CMS → ERP). */
  brokenLink?: {from: HopName | null; to: HopName}
  /** Not a break, but worth saying in an ok verdict (stock that moved after the last sync). */
  note?: {cause: CauseCode; summary: string; evidence: Evidence[]}
}

export interface Clock {
  now: Date
  timeZone: string
}

export interface Diagnosis {
  installation: InstallationSummary | null
  chain: HopName[]
  hops: HopReport[]
  verdict: Verdict
  action: ReturnType<typeof actionFor>
  exitCode: 0 | 3 | 4
  /** An order's lines against the customer's price (`trace order`): beside the verdict, never part of it. */
  orderLines?: OrderLinePrice[]
}

/** A hop as named inside a sentence ("the ERP"). */
export const hopNames = Object.fromEntries(
  Object.entries(hopLabels).map(([hop, labels]) => [hop, labels.inSentence]),
) as Record<HopName, string>

export function installationSummary(installation: Installation | undefined, clock: Clock): InstallationSummary | null {
  return installation
    ? {
        autoSync: installation.autoSync,
        connection: installation.connection,
        erp: installation.erpSystem,
        filters: installation.filters,
        id: installation.id,
        name: installation.name,
        timezone: clock.timeZone,
      }
    : null
}

type Concluded = {verdict: Verdict; exitCode: 0 | 3 | 4}

/** The first broken link wins; what else is broken, unchecked or noted goes in the other findings. */
function brokenVerdict(
  first: Assessment & {cause: CauseCode},
  broken: Assessment[],
  otherNotes: string[],
  upstreamOf: Partial<Record<HopName, HopName | null>>,
  complete: boolean,
): Concluded {
  const to = first.report.hop
  return {
    exitCode: 3,
    verdict: {
      brokenLink: first.brokenLink ?? {from: upstreamOf[to] ?? null, to},
      cause: first.cause,
      complete,
      evidence: first.causeEvidence ?? first.report.evidence,
      ok: false,
      otherFindings: [
        ...broken.slice(1).map((assessment) => assessment.causeSummary ?? assessment.report.summary),
        ...otherNotes,
      ],
      summary: first.causeSummary ?? first.report.summary,
    },
  }
}

/** Nothing broken, but a hop on the path could not be checked: incomplete (exit 4), never "missing". */
function incompleteVerdict(unchecked: HopReport[], otherNotes: string[]): Concluded {
  const cause: CauseCode = unchecked.some((hop) => hop.status === 'unreachable')
    ? 'hop-unreachable'
    : unchecked.some((hop) => hop.status === 'error')
      ? 'hop-error'
      : 'hop-not-checked'
  const why = (hop: HopReport) =>
    hop.status === 'unreachable'
      ? 'was unreachable'
      : hop.status === 'error'
        ? 'answered with an error'
        : 'was not checked'
  return {
    exitCode: 4,
    verdict: {
      brokenLink: null,
      cause,
      complete: false,
      evidence: [],
      ok: false,
      otherFindings: otherNotes,
      summary: `The chain could not be fully checked: ${unchecked.map((hop) => `${hopNames[hop.hop]} ${why(hop)} (${hop.problem?.message ?? hop.summary})`).join('; ')}. Nothing else was found broken.`,
    },
  }
}

/** Consistent at every hop checked; a note (expected stock lag) is said, and hops not asked are named. */
function okVerdict(hops: HopReport[], notes: NonNullable<Assessment['note']>[], subject: string): Concluded {
  const note = notes[0]
  return {
    exitCode: 0,
    verdict: {
      brokenLink: null,
      cause: note?.cause ?? 'consistent',
      complete: true,
      evidence: note?.evidence ?? [],
      ok: true,
      otherFindings: hops.filter((hop) => hop.status === 'not-checked' && hop.hop !== 'erp').map((hop) => hop.summary),
      summary: note
        ? `${subject} is consistent at every hop checked. ${note.summary}`
        : `${subject} is consistent at every hop checked.`,
    },
  }
}

/**
 * The verdict from the hops' assessments, in chain order: the first broken link wins; a hop that could
 * not be checked makes the verdict incomplete (exit 4 when nothing else is broken), never "missing".
 */
export function conclude(options: {
  assessments: Assessment[]
  /** Where each hop's record comes from; null for the chain's source. */
  upstreamOf: Partial<Record<HopName, HopName | null>>
  /** "Customer 10042", "Item P-100". */
  subject: string
  context: ActionContext
  installation: Installation | undefined
  clock: Clock
  chain: HopName[]
}): Diagnosis {
  const {assessments} = options
  const hops = assessments.map((assessment) => assessment.report)
  const broken = assessments.filter((assessment) => assessment.cause !== null)
  // A hop whose own answer is the finding (an unreadable export row) was checked; the others were not.
  const direction = options.chain[0] === 'erp' ? 'inbound' : 'outbound'
  const unchecked = uncheckedOnPath({chain: options.chain, direction, hops})
  const uncheckedNotes = unchecked.map(
    (hop) => `${hopNames[hop.hop]} could not be checked (${hop.status}): ${hop.problem?.message ?? hop.summary}`,
  )
  const first = broken[0]
  const notes = assessments.flatMap((assessment) => (assessment.note ? [assessment.note] : []))
  const otherNotes = [...uncheckedNotes, ...notes.map((note) => note.summary)]
  const context: ActionContext = {
    ...options.context,
    userId: first?.userId ?? options.context.userId,
    ...(first?.sync ? {sync: first.sync} : {}),
  }

  const {exitCode, verdict} = first?.cause
    ? brokenVerdict(
        first as Assessment & {cause: CauseCode},
        broken,
        otherNotes,
        options.upstreamOf,
        unchecked.length === 0,
      )
    : unchecked.length > 0
      ? incompleteVerdict(unchecked, otherNotes)
      : okVerdict(hops, notes, options.subject)
  // Times that contradict the order they must have are shown as such, never silently beside each other.
  for (const hop of hops) noteClockDisagreements(hop.evidence)
  noteClockDisagreements(verdict.evidence)
  return {
    action: actionFor(verdict.cause, context),
    chain: options.chain,
    exitCode,
    hops,
    installation: installationSummary(options.installation, options.clock),
    verdict,
  }
}
