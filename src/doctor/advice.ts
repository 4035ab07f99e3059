import type {Installation} from '../connectors/platform/types.js'
import {causeTable} from '../diagnose/causes.js'
import type {HopProblem} from '../http/problem.js'
import type {ActionOwner, CauseCode} from '../report/types.js'
import {shellQuote} from '../util/shell.js'
import {type HopHealth, type HopIssue, issuesOf} from './health.js'
import type {SyncHealth} from './syncs.js'

/** One problem doctor found: what is wrong, who acts on it, what they do, and the command where one fits. */
export interface DoctorAdvice {
  problem: string
  /** The trace's cause it is, where one is (its owner and text come from the cause table). */
  cause: CauseCode | null
  owner: ActionOwner
  description: string
  command: string | null
}

/** Where doctor's advice points: the profile it checked and the flags that reach the same installation. */
export interface AdviceContext {
  profile: string
  commandSuffix: string
}

type Hop = HopHealth['hop']

const names: Record<Hop, string> = {
  app: 'the app backend',
  cms: 'the CMS',
  erp: 'the ERP',
  ftp: 'the file server',
  webshop: 'the webshop',
}

/** Who runs each hop: the platform's services are platform support's, the ERP its consultant's, the file server the IT partner's. */
const operator: Record<Hop, ActionOwner> = {
  app: 'platform-support',
  cms: 'platform-support',
  erp: 'erp-consultant',
  ftp: 'it-partner',
  webshop: 'platform-support',
}

const ownerWords: Record<ActionOwner, string> = {
  admin: 'an admin',
  'erp-consultant': 'the ERP consultant',
  'it-partner': 'the IT partner',
  nobody: 'nobody',
  'platform-support': 'platform support',
  'sales-rep': 'the sales rep',
  support: 'support',
}

const withSuffix = (command: string, context: AdviceContext) =>
  context.commandSuffix ? `${command} ${context.commandSuffix}` : command

const showProfile = (context: AdviceContext) => `synctrace profile show ${shellQuote(context.profile)}`

/** A request to the hop that failed: who can make it answer. */
function forRequest(hop: Hop, problem: HopProblem, context: AdviceContext): Omit<DoctorAdvice, 'problem'> {
  const owner = operator[hop]
  if (problem.kind === 'rate-limited')
    return {
      cause: null,
      command: withSuffix('synctrace doctor', context),
      description: `Wait a minute and check again: ${names[hop]} limits how often it is asked.`,
      owner: 'nobody',
    }
  if (problem.kind === 'auth')
    return {
      cause: null,
      command: showProfile(context),
      description: `Check the credentials of ${names[hop]} in profile ${context.profile}; if they are right, ${ownerWords[owner]} issues new ones (an API token, a login), and they are saved with synctrace profile add.`,
      owner: hop === 'cms' || hop === 'app' || hop === 'webshop' ? 'admin' : owner,
    }
  const what =
    problem.kind === 'unreachable' || problem.kind === 'timeout' ? 'does not answer' : 'answers with an error'
  return {
    cause: problem.kind === 'unreachable' || problem.kind === 'timeout' ? 'hop-unreachable' : 'hop-error',
    command: showProfile(context),
    description: `Check the URL in profile ${context.profile} and this machine's network; if both are right, contact ${ownerWords[owner]}: ${names[hop]} ${what}.`,
    owner,
  }
}

/** A problem among the hop's notes. */
function forIssue(hop: Hop, issue: HopIssue, context: AdviceContext): Omit<DoctorAdvice, 'problem'> {
  if (issue === 'export-stale' || issue === 'export-missing') {
    const template = causeTable[issue]
    const described = template.describe({
      commandSuffix: context.commandSuffix,
      entity: 'customer',
      key: '',
      traceCommand: '',
    })
    return {cause: issue, command: null, description: described, owner: template.owner}
  }
  if (issue === 'clock-skew')
    return {
      cause: null,
      command: null,
      description: `Check this machine's clock first (set by NTP); if it is right, ${ownerWords[operator[hop]]} sets the clock of ${names[hop]}: "changed after the sync" verdicts compare its times.`,
      owner: operator[hop],
    }
  return {
    cause: null,
    command: null,
    description:
      'Contact platform support: the CMS does not describe its installation (/installation), so doctor cannot tell its connection, ERP or schedule.',
    owner: 'platform-support',
  }
}

/** An entity's automatic sync that is overdue or failed. */
function forSync(sync: SyncHealth, context: AdviceContext): Omit<DoctorAdvice, 'problem'> {
  if (sync.lastRunStatus === 'failed')
    return {
      cause: null,
      command: null,
      description: `Contact platform support with the run id and its error: the CMS's latest ${sync.entity} sync failed.`,
      owner: 'platform-support',
    }
  return {
    cause: null,
    command: withSuffix(`synctrace sync ${sync.entity} --full`, context),
    description: `Start a full ${sync.entity} sync (admin) with the command below, and ask platform support why the automatic sync did not run.`,
    owner: 'admin',
  }
}

/**
 * One entry per problem, in the order doctor lists them: every hop's failed request, the problems among its
 * notes, overdue or failed syncs, and a profile that points at another installation.
 */
export function adviceFor(
  hops: HopHealth[],
  syncs: SyncHealth[],
  installation: {found: Installation | null; expected: string | undefined},
  context: AdviceContext,
): DoctorAdvice[] {
  const advice: DoctorAdvice[] = []
  for (const hop of hops)
    if (hop.problem)
      advice.push({problem: `${hop.hop}: ${hop.problem.message}`, ...forRequest(hop.hop, hop.problem, context)})
  for (const hop of hops)
    for (const {issue, note} of issuesOf(hop))
      advice.push({problem: `${hop.hop}: ${note}`, ...forIssue(hop.hop, issue, context)})
  for (const sync of syncs.filter((entry) => entry.overdue))
    advice.push({problem: `sync: ${sync.summary}`, ...forSync(sync, context)})
  const {expected, found} = installation
  if (found && expected && found.id !== expected)
    advice.push({
      cause: null,
      command: showProfile(context),
      description: `Point profile ${context.profile} at installation ${expected}'s CMS URL, or use the profile of installation ${found.id}.`,
      owner: 'admin',
      problem: `cms: the CMS reports installation ${found.id}, the profile expects ${expected}`,
    })
  return advice
}

/** "platform support", "the ERP consultant": who acts, as a line says it. */
export const ownerLabel = (owner: ActionOwner): string => ownerWords[owner].replace(/^(an?|the) /, '')
