/**
 * oclif's command-line errors (a mistyped or missing flag or argument, a bad value, flags that conflict),
 * worded once for every command: one line of cause and one of what to do, with the closest flag or value.
 */
import {closestMatches, orList} from '../util/closest.js'
import {commandUsage, type UsageSource} from './usage.js'

export interface CommandLineSource extends UsageSource {
  args?: Record<string, {name?: string; required?: boolean; description?: string; options?: readonly string[]}>
  flags?: Record<
    string,
    {char?: string; required?: boolean; type?: string; options?: readonly string[]; description?: string}
  >
}

export interface CommandLineError {
  message: string
  suggestions: string[]
}

/** "The customer code as the ERP shows it (…)" → "the customer code": how an argument is named in a sentence. */
export function argumentNoun(name: string, description: string | undefined): string {
  const head = (description ?? '').split(/ as |\s*\(|[.,:;]/)[0]?.trim() ?? ''
  if (head === '') return `the <${name}> argument`
  const noun = head.charAt(0).toLowerCase() + head.slice(1)
  return noun.startsWith('the ') ? noun : `the ${noun}`
}

/** "--timeout" must be "a whole number of seconds" (from a description starting "Seconds …"). */
function integerWhat(description: string | undefined): string {
  const unit = /^(seconds|minutes|records)\b/i.exec(description ?? '')?.[1]?.toLowerCase()
  return unit ? `a whole number of ${unit}` : 'a whole number'
}

function flagNames(command: CommandLineSource): string[] {
  return Object.entries(command.flags ?? {}).flatMap(([name, flag]) => {
    const names = [`--${name}`]
    if (flag.type === 'boolean' && name === 'color') names.push('--no-color')
    return names
  })
}

class Describer {
  readonly usage: string
  readonly help: string

  constructor(
    readonly name: string,
    readonly command: CommandLineSource,
  ) {
    this.usage = commandUsage(name, command)
    this.help = `see ${name} --help`
  }

  unknownFlags(typed: string[]): CommandLineError {
    const first = typed[0] ?? ''
    const bare = first.replace(/=.*$/, '')
    const close = bare.startsWith('--') ? closestMatches(bare, flagNames(this.command), 2) : []
    const message = `Unknown flag${typed.length === 1 ? '' : 's'} ${typed.join(', ')}.`
    if (close.length > 0) return {message, suggestions: [`Did you mean ${orList(close)}? (${this.help})`]}
    return {message, suggestions: [`Usage: ${this.usage} (${this.help} for its flags)`]}
  }

  missingArgs(args: {name?: string; description?: string}[]): CommandLineError {
    const nouns = args.map((arg) => argumentNoun(arg.name ?? '', arg.description))
    return {
      message: `Missing ${orList(nouns, 'and')}: ${this.usage.replace(/ \[flags\]$/, '')}`,
      suggestions: [`Give ${args.length === 1 ? 'it' : 'them'} after the command (${this.help}).`],
    }
  }

  unexpectedArgs(extra: string[]): CommandLineError {
    const quote = extra.length > 0 && Object.keys(this.command.args ?? {}).length > 0
    return {
      message: `Unexpected argument${extra.length === 1 ? '' : 's'}: ${extra.join(', ')}.`,
      suggestions: [`Usage: ${this.usage}${quote ? ' (quote a value that holds spaces)' : ''}; ${this.help}.`],
    }
  }

  /** oclif's "Parsing --timeout \n\tExpected an integer but received: abc": the flag's rule in words. */
  badValue(flagName: string, reason: string): CommandLineError {
    const flag = this.command.flags?.[flagName]
    const what = integerWhat(flag?.description)
    const received = /received: (.*)$/.exec(reason)?.[1] ?? ''
    const min = /greater than or equal to (-?\d+)/.exec(reason)?.[1]
    const max = /less than or equal to (-?\d+)/.exec(reason)?.[1]
    const bound = min ? `at least ${min}` : max ? `at most ${max}` : undefined
    if (/^Expected an integer/.test(reason))
      return {
        message: `--${flagName} must be ${what}${bound ? `, ${bound}` : ''}, got '${received}'.`,
        suggestions: [
          min || max
            ? `Give --${flagName} ${min ? `${min} or more` : `${max} or less`}.`
            : `Give it in digits, e.g. --${flagName} ${/seconds/.test(what) ? 30 : 10}.`,
        ],
      }
    return {
      message: `--${flagName}: ${reason.replace(/\.$/, '')}.`,
      suggestions: [`Usage: ${this.usage}; ${this.help}.`],
    }
  }

  badOption(flagName: string, input: string, options: readonly string[]): CommandLineError {
    const close = closestMatches(input, options, 1)
    return {
      message: `--${flagName} must be one of ${orList([...options])}, got '${input}'.`,
      suggestions: [
        close.length > 0 ? `Did you mean --${flagName} ${close[0]}?` : `Use --${flagName} ${options.join('|')}.`,
      ],
    }
  }

  badArgOption(input: string, options: readonly string[]): CommandLineError {
    const close = closestMatches(input, options, 1)
    return {
      message: `The argument must be one of ${orList([...options])}, got '${input}'.`,
      suggestions: [close.length > 0 ? `Did you mean ${close[0]}?` : `Usage: ${this.usage}; ${this.help}.`],
    }
  }

  /** One reason of oclif's flag validation: a required flag, or flags that cannot go together. */
  failedValidation(reason: string): CommandLineError {
    const required = /^Missing required flag (\S+)$/.exec(reason)
    if (required) return {message: `Missing the flag --${required[1]}.`, suggestions: [`Usage: ${this.usage}`]}
    const conflict = /^--([\w-]+)(?:=\S*)? cannot also be provided when using --([\w-]+)$/.exec(reason)
    if (conflict) {
      const [, other, flag] = conflict as unknown as [string, string, string]
      return {
        message: `--${flag} and --${other} cannot be used together.`,
        suggestions: [conflictAdvice[[flag, other].sort().join(' ')] ?? `Keep one of --${flag} and --${other}.`],
      }
    }
    return {message: reason.endsWith('.') ? reason : `${reason}.`, suggestions: [`Usage: ${this.usage}; ${this.help}.`]}
  }
}

/** What to do about two flags that conflict, by the pair (sorted); otherwise: keep one of them. */
const conflictAdvice: Record<string, string> = {
  'config sandbox': 'Use --sandbox alone to try the sandbox, or --profile (and --config) for a real installation.',
  'fault scale': 'Faults apply to the seeded sandbox: drop --scale to use --fault.',
  'format json': 'Use --json (or --format json) for JSON, or --format alone for another format.',
  'profile sandbox': 'Use --sandbox alone to try the sandbox, or --profile for a real installation.',
}

// eslint-disable-next-line no-control-regex
const ansi = /\u001B\[[0-9;]*m/g

/** The reasons of oclif's "The following error(s) occurred:" list, one per line. */
function validationReasons(message: string): string[] {
  return message
    .replace(ansi, '')
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== 'See more help with --help')
}

type OclifError = Error & {args?: unknown[]; flags?: string[]; parse?: unknown}

/**
 * A command-line error of oclif in our words, or undefined when the error is something else. `name` is the
 * command as typed ("synctrace trace customer").
 */
export function describeCommandLineError(
  error: OclifError,
  name: string,
  command: CommandLineSource,
): CommandLineError | undefined {
  const describer = new Describer(name, command)
  const message = error.message.replace(ansi, '')
  const parsing = /^Parsing --([\w-]+)\s*\n\t([^\n]*)/.exec(message)
  if (parsing) return describer.badValue(parsing[1] as string, parsing[2] as string)
  const option = /^Expected --([\w-]+)=(.*) to be one of: (.*)\n/.exec(message)
  if (option) return describer.badOption(option[1] as string, option[2] as string, (option[3] as string).split(', '))
  const argOption = /^Expected (.*) to be one of: (.*)\n/.exec(message)
  if (argOption) return describer.badArgOption(argOption[1] as string, (argOption[2] as string).split(', '))
  if (/^Nonexistent flags?: /.test(message) && Array.isArray(error.flags)) return describer.unknownFlags(error.flags)
  if (/^Unexpected arguments?: /.test(message) && Array.isArray(error.args))
    return describer.unexpectedArgs(error.args.map(String))
  if (/^Missing \d+ required args?/.test(message) && Array.isArray(error.args))
    return describer.missingArgs(error.args as {name?: string; description?: string}[])
  const expects = /^Flag --([\w-]+) expects a value/.exec(message)
  if (expects)
    return {message: `--${expects[1]} needs a value.`, suggestions: [`Usage: ${describer.usage}; ${describer.help}.`]}
  const once = /^Flag --([\w-]+) can only be specified once/.exec(message)
  if (once) return {message: `--${once[1]} was given more than once.`, suggestions: [`Give --${once[1]} once.`]}
  if (/^The following errors? occurred:/.test(message)) {
    const [first] = validationReasons(message)
    if (first) return describer.failedValidation(first)
  }
  if ('parse' in error) return {message: message.split('\n')[0] as string, suggestions: [`Usage: ${describer.usage}`]}
  return undefined
}
