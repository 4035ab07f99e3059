import {HelpdeskError, type HelpdeskFailure} from '../connectors/helpdesk/errors.js'
import {ExitCode, type ExitCodeValue, UserError} from '../util/errors.js'

/**
 * A helpdesk's refusal as the user reads it, with its exit code (README "Exit codes"): a ticket that is not
 * there or credentials it refuses are the command's or profile's mistake (2); a note it refuses to add (a
 * role without the right, Zendesk's 5000 comments) is refused (5); a helpdesk that cannot be asked (down,
 * rate-limited beyond the waits it asked for) is a hop that could not be checked (4).
 */
const advice: Record<HelpdeskFailure, {exitCode: ExitCodeValue; fix: string}> = {
  auth: {
    exitCode: ExitCode.usage,
    fix: "Check the profile's helpdesk.email and helpdesk.token (synctrace doctor checks them).",
  },
  'bad-response': {exitCode: ExitCode.incomplete, fix: 'Run again with --debug to see the answer.'},
  'comment-limit': {
    exitCode: ExitCode.refused,
    fix: 'The ticket holds as many comments as the helpdesk allows: add the report to a follow-up ticket.',
  },
  forbidden: {
    exitCode: ExitCode.refused,
    fix: "Use an agent's API token that may see the ticket and add internal notes.",
  },
  'not-found': {
    exitCode: ExitCode.usage,
    fix: 'Check the ticket id (for Jira Service Management its key, e.g. SUP-12).',
  },
  'rate-limited': {exitCode: ExitCode.incomplete, fix: 'The helpdesk limits requests: run again in a minute.'},
  rejected: {exitCode: ExitCode.refused, fix: 'Run again with --debug to see what the helpdesk refused.'},
  unreachable: {
    exitCode: ExitCode.incomplete,
    fix: "Check the profile's helpdesk.url and the network, then run again.",
  },
}

/** A HelpdeskError as a UserError naming the ticket (anything else unchanged). */
export function helpdeskProblem(error: unknown, ticket: string, doing: string): unknown {
  if (!(error instanceof HelpdeskError)) return error
  const {exitCode, fix} = advice[error.reason]
  // The helpdesk's own message often ends its sentence; the line ends it once.
  const reason = error.reason === 'not-found' ? `ticket ${ticket} was not found` : error.message.replace(/\.+$/, '')
  return new UserError(`Could not ${doing} ticket ${ticket}: ${reason}.`, fix, exitCode)
}
