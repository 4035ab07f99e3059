/** The questions a run may ask a person at a terminal; a test answers them from a script. */
export interface Prompter {
  confirm(message: string): Promise<boolean>
  select<T extends string>(message: string, choices: Array<{name: string; value: T}>): Promise<T>
  /**
   * A line of text; `mask` shows a secret value as stars while it is typed (an env:NAME reference as typed);
   * `default` is pre-filled and is the answer when nothing is typed (never given for a masked question).
   */
  input(question: {
    message: string
    required?: boolean
    mask?: boolean
    default?: string
    validate?: (value: string) => boolean | string | Promise<boolean | string>
  }): Promise<string>
}
