import type {IOStreams} from '../util/io.js'
import {cleanMessage} from '../util/output.js'
import type {Prompter} from '../util/prompter.js'

/** The terminal's prompter (@inquirer/prompts) on the run's streams; every message passes the output boundary. */
export function inquirerPrompter(io: IOStreams): Prompter {
  const context = {input: io.stdin, output: io.stdout as NodeJS.WritableStream}
  return {
    async confirm(message) {
      const {confirm} = await import('@inquirer/prompts')
      return confirm({default: false, message: cleanMessage(message)}, context)
    },
    async input(question) {
      const {input} = await import('@inquirer/prompts')
      return input(
        {
          default: question.default,
          message: cleanMessage(question.message),
          required: question.required,
          transformer: question.mask
            ? (answer) => (answer.startsWith('env:') ? answer : '*'.repeat(answer.length))
            : undefined,
          validate: question.validate,
        },
        context,
      )
    },
    async select(message, choices) {
      const {select} = await import('@inquirer/prompts')
      return select(
        {
          choices: choices.map((choice) => ({...choice, name: cleanMessage(choice.name)})),
          message: cleanMessage(message),
        },
        context,
      )
    },
  }
}
