import type {Profile} from '../config/profile.js'
import type {HelpdeskConnector} from '../connectors/helpdesk/types.js'
import type {RunContext} from '../context/run-context.js'
import type {TraceReport} from '../report/types.js'
import type {NoteToAdd} from '../ticket/post.js'
import type {PostOutcome} from '../ticket/types.js'
import {UserError} from '../util/errors.js'
import type {FixOutcome} from './fix-loop.js'

/** The profile's helpdesk connector, and the ticket id checked against what its ids look like. */
export async function helpdeskFor(
  profile: Profile,
  ctx: RunContext,
  ticket: string,
): Promise<{connector: HelpdeskConnector; displayName: string}> {
  if (!profile.helpdesk)
    throw new UserError(
      `Profile "${profile.name}" has no helpdesk section, so no ticket can be read or noted.`,
      'Add one: synctrace profile add <name> --helpdesk zendesk|freshdesk|jira --helpdesk-url … --helpdesk-token env:NAME.',
    )
  const {helpdeskConnector, helpdeskSystem} = await import('../connectors/helpdesk/registry.js')
  const system = helpdeskSystem(profile.helpdesk.system)
  if (system && !system.ticketPattern.test(ticket))
    throw new UserError(
      `"${ticket.slice(0, 40)}" is not a ${system.displayName} ticket id.`,
      `Give the ticket as ${system.displayName} shows it, e.g. ${system.ticketExample}.`,
    )
  const connector = await helpdeskConnector(profile.helpdesk, ctx.http())
  return {connector, displayName: system?.displayName ?? 'helpdesk'}
}

/** Adds the note once; the helpdesk's refusals worded with their exit codes. */
export async function postNote(connector: HelpdeskConnector, note: NoteToAdd): Promise<PostOutcome> {
  const {postOnce} = await import('../ticket/post.js')
  const {helpdeskProblem} = await import('../ticket/helpdesk-errors.js')
  try {
    return await postOnce(connector, note)
  } catch (error) {
    throw helpdeskProblem(error, note.ticket, 'add the note to')
  }
}

/** What `--post` says it did, for stderr. */
export function postLine(outcome: PostOutcome): string {
  if (outcome.status === 'already-on-ticket')
    return `The same report is already on the ticket ${outcome.ticket} (note ${outcome.noteId}): nothing posted.`
  if (outcome.status === 'unconfirmed')
    return `The helpdesk's answer to the note on ticket ${outcome.ticket} was lost, and the note is not on the ticket when read again; it was not sent again. Run the command again to post it.`
  const changed = outcome.changes.length > 0 ? `, saying what changed: ${outcome.changes.join('; ')}` : ''
  return `Added an internal note to ticket ${outcome.ticket}${outcome.noteId ? ` (note ${outcome.noteId})` : ''}${changed}.`
}

/** "Done and verified" lines of the fix loop for the note: each action, its job, and the verdict before → after. */
export function fixMarkdown(fix: FixOutcome): string {
  const lines = ['**Done by synctrace:**', '']
  for (const step of fix.steps) {
    const job = step.job ? `job ${step.job.id}, ${step.job.status}` : step.outcome
    lines.push(`- ${step.description} (${job})`)
    for (const check of step.verification)
      lines.push(`  - ${check.entity} ${check.key}: ${check.before.headline} → ${check.after.headline}`)
  }
  lines.push(
    '',
    fix.consistent
      ? 'Verified: consistent at every hop.'
      : `Remaining: ${fix.remaining?.headline ?? 'not consistent'}.`,
  )
  return lines.join('\n')
}

/** The note of one trace: the report as pasted into a ticket, with what the fix loop did, and its fingerprint. */
export async function traceNote(
  ticket: string,
  report: TraceReport & {fix?: FixOutcome},
  pasted: TraceReport,
): Promise<NoteToAdd> {
  const {renderMarkdown} = await import('../render/markdown.js')
  const {traceFingerprint} = await import('../ticket/post.js')
  const {verdictLine} = await import('../ticket/render.js')
  const final = report.fix?.steps.at(-1)?.trace ?? report
  const fixPart = report.fix && report.fix.steps.length > 0 ? `\n\n${fixMarkdown(report.fix)}` : ''
  return {
    fingerprint: traceFingerprint(final),
    markdown: `${renderMarkdown(pasted)}${fixPart}`,
    subject: `trace ${report.entity} ${report.key}`,
    ticket,
    verdicts: [verdictLine(final.entity, final.key, final, null)],
  }
}
