/** Why a request to a hop did not give a usable answer. */
export type ProblemKind = 'unreachable' | 'timeout' | 'auth' | 'rate-limited' | 'http-error' | 'bad-response'

export interface HopProblem {
  kind: ProblemKind
  /** One line, safe to print: no secrets, no response bodies beyond a short error text. */
  message: string
  httpStatus?: number
}

export class RequestProblem extends Error {
  constructor(readonly problem: HopProblem) {
    super(problem.message)
    this.name = 'RequestProblem'
  }
}

/** Unreachable and timed-out hops are "unreachable"; every other problem is an "error" of the hop. */
export function isUnreachable(problem: HopProblem): boolean {
  return problem.kind === 'unreachable' || problem.kind === 'timeout'
}
