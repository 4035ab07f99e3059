/** The documented exit codes of synctrace. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  breakFound: 3,
  incomplete: 4,
  /** (fix commands) not allowed for the CMS role, or refused by the server (403). */
  refused: 5,
  /** (fix commands) the job failed, or did not finish in time. */
  jobFailed: 6,
  interrupted: 130,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * A problem the user can act on: shown as one line of cause and one of what to do, never with a stack.
 * Thrown by the library; commands turn it into oclif's error output with its exit code.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly suggestion: string,
    readonly exitCode: ExitCodeValue = ExitCode.usage,
  ) {
    super(message)
    this.name = 'UserError'
  }
}
