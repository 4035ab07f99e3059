import {type HopProblem, type ProblemKind, RequestProblem} from '../../http/problem.js'

/**
 * Why a helpdesk call failed, for the exit code and the advice: the credentials (`auth`, incl. Jira's 404
 * for bad credentials), a role that may not do it (`forbidden`), no such ticket (`not-found`), the rate
 * limit still hit after the waits Retry-After asked for (`rate-limited`), Zendesk's 5000 comments per ticket
 * (`comment-limit`), a request the helpdesk refused as invalid (`rejected`), or an answer synctrace cannot
 * use (`bad-response`, a pagination link to another origin among them).
 */
export type HelpdeskFailure =
  | 'auth'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'comment-limit'
  | 'rejected'
  | 'bad-response'
  | 'unreachable'

const kinds: Record<HelpdeskFailure, ProblemKind> = {
  auth: 'auth',
  'bad-response': 'bad-response',
  'comment-limit': 'http-error',
  forbidden: 'auth',
  'not-found': 'http-error',
  'rate-limited': 'rate-limited',
  rejected: 'http-error',
  unreachable: 'unreachable',
}

/** A helpdesk's problem: a RequestProblem (so the run's error handling knows it) with the reason it failed. */
export class HelpdeskError extends RequestProblem {
  constructor(
    readonly reason: HelpdeskFailure,
    message: string,
    httpStatus?: number,
  ) {
    super({kind: kinds[reason], message, ...(httpStatus === undefined ? {} : {httpStatus})})
    this.name = 'HelpdeskError'
  }
}

/** The reason behind a problem the HTTP client reported. */
export function failureOf(problem: HopProblem): HelpdeskFailure {
  if (problem.kind === 'unreachable' || problem.kind === 'timeout') return 'unreachable'
  if (problem.kind === 'rate-limited' || problem.httpStatus === 429) return 'rate-limited'
  if (problem.httpStatus === 401) return 'auth'
  if (problem.httpStatus === 403) return 'forbidden'
  if (problem.httpStatus === 404) return 'not-found'
  if (problem.httpStatus === 400 || problem.httpStatus === 422) return 'rejected'
  return problem.kind === 'bad-response' ? 'bad-response' : 'rejected'
}
