import type {Prompter} from '../util/prompter.js'
import {UserError} from '../util/errors.js'
import {type ConfigFiles, checkAnswer, keepSecret} from './profile-edit.js'

/** What an answer must be (`checkAnswer`). */
export type AnswerKind = Parameters<typeof checkAnswer>[0]

/** The flags of `profile add` (and every ERP setting's flag, by its name: `--tenant`, `--client-secret`, ...). */
export interface ProfileAddFlags {
  config?: string
  force: boolean
  default: boolean
  'from-sandbox'?: string
  'store-secrets': boolean
  erp: string
  connection: string
  installation?: string
  timeout?: number
  'ftp-url'?: string
  'ftp-user'?: string
  'ftp-layout'?: string
  'ftp-customer-file'?: string
  'ftp-item-file'?: string
  'ca-cert'?: string
  'host-key-sha256'?: string
  [flag: string]: unknown
}

/** What a question may add to its kind: optional, a pre-filled default, its own check of the answer. */
export interface AskOptions {
  optional?: boolean
  default?: string
  validate?: (answer: string) => true | string
}

/** A secret's answer when nothing is typed: another secret's reference ("the CMS token"). */
export interface SecretFallback {
  reference: string
  label: string
}

const keepEarlier = 'keep the one given before'

/**
 * Each value from its flag, else from a person's answer (none without a terminal: the flag is named).
 * Re-entering after a failed connection check asks again what the flags gave, pre-filled with what was given.
 */
export class ProfileQuestions {
  /** Set while re-entering: flags no longer answer, they pre-fill. */
  reentering = false
  /** What each flag's value was, given or typed, for re-entering. */
  private readonly answers = new Map<string, string>()
  /** How each secret was kept (`env:NAME`, `secret:NAME`), for re-entering. */
  private readonly kept = new Map<string, string>()
  private readonly typed = new Set<string>()
  /** The secrets answered by their fallback (the CMS token): on re-entering, the fallback again. */
  private readonly fellBack = new Set<string>()

  constructor(
    readonly flags: ProfileAddFlags,
    private readonly files: ConfigFiles,
    private readonly name: string,
    readonly prompter: Prompter | null,
  ) {}

  get interactive(): boolean {
    return this.prompter !== null
  }

  /** The flag's value (never while re-entering: then it is asked again), remembered. */
  given(flag: string): string | undefined {
    if (this.reentering) return undefined
    const value = this.flagValue(flag)
    if (value !== undefined) this.answers.set(flag, value)
    return value
  }

  /** The flag's value, also while re-entering (a value that is never asked for). */
  flagValue(flag: string): string | undefined {
    const value = this.flags[flag]
    return typeof value === 'string' && value !== '' ? value : undefined
  }

  async ask(flag: string, message: string, kind: AnswerKind = 'text', options: AskOptions = {}): Promise<string> {
    const value = this.given(flag)
    if (value !== undefined) return value
    const {optional = false} = options
    if (!this.prompter) {
      if (optional) return ''
      throw new UserError(
        `--${flag} is required when not running interactively.`,
        `Pass --${flag} (see synctrace profile add --help).`,
      )
    }
    if (kind === 'secret') return this.askSecret(flag, message, null)
    // Each answer is checked as it is given: a mistake is asked again, nothing typed before is lost.
    const answer = await this.prompter.input({
      default: (this.reentering ? this.answers.get(flag) : undefined) ?? options.default,
      message: optional ? `${message} (optional)` : message,
      required: !optional,
      validate: (typed) =>
        optional && typed === '' ? true : (options.validate ?? ((a) => checkAnswer(kind, a)))(typed),
    })
    this.typed.add(flag)
    this.answers.set(flag, answer)
    return answer
  }

  async select<T extends string>(message: string, choices: Array<{name: string; value: T}>): Promise<T> {
    if (!this.prompter) throw new Error(`select without a terminal: ${message}`)
    return this.prompter.select(message, choices)
  }

  /**
   * A secret as the profile keeps it: an `env:NAME` reference as it is, a value in the secrets file (given as a
   * flag: with --store-secrets; typed at the prompt: always). `fallback` answers an empty answer on a terminal.
   */
  async secret(flag: string, field: string, message: string, fallback: SecretFallback | null = null): Promise<string> {
    const value = this.given(flag)
    if (value !== undefined) return this.keep(field, value, flag)
    if (!this.prompter)
      throw new UserError(
        `--${flag} is required when not running interactively.`,
        `Pass --${flag} (see synctrace profile add --help).`,
      )
    const earlier = this.reentering && !this.fellBack.has(flag) ? this.kept.get(flag) : undefined
    const answer = await this.askSecret(flag, message, earlier ? {label: keepEarlier, reference: earlier} : fallback)
    return this.typed.has(flag) ? this.keep(field, answer, flag) : answer
  }

  /** A secret of a flag given, or typed (asked with `ask`), kept in the profile's way. */
  keep(field: string, value: string, flag: string): string {
    const storing = this.flags['store-secrets'] || this.typed.has(flag)
    // A value stored for this field before (an answer re-entered, a profile replaced) is not kept beside the new one.
    delete this.files.secrets[`${this.name}.${field}`]
    const kept = keepSecret(this.files, this.name, field, value, storing, `--${flag}`)
    this.kept.set(flag, kept)
    return kept
  }

  /** Masked; an empty answer is the fallback's reference when there is one. */
  private async askSecret(flag: string, message: string, fallback: SecretFallback | null): Promise<string> {
    const answer = await (this.prompter as Prompter).input({
      mask: true,
      message: `${message} (${fallback ? `empty: ${fallback.label}; ` : ''}env:NAME, or the value to store in the secrets file)`,
      required: fallback === null,
      validate: (typed) => (fallback && typed === '' ? true : checkAnswer('secret', typed)),
    })
    if (answer === '' && fallback) {
      this.typed.delete(flag)
      if (fallback.label !== keepEarlier) this.fellBack.add(flag)
      this.kept.set(flag, fallback.reference)
      return fallback.reference
    }
    this.fellBack.delete(flag)
    this.typed.add(flag)
    return answer
  }
}
