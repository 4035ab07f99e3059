import type {TraceOption} from '../entities/descriptor.js'
import {UserError} from '../util/errors.js'

/**
 * An entity's own trace flags (`--quantity`, `--date`), checked as the descriptor declares them: a usage error
 * says in one line what is wrong and in one what to give instead. Flags not given are left out (the entity's
 * observe picks their default, e.g. today in the installation's zone).
 */
export function traceParams(
  options: readonly TraceOption[],
  flags: Readonly<Record<string, unknown>>,
): Record<string, string | number> {
  const params: Record<string, string | number> = {}
  for (const option of options) {
    const raw = flags[option.name]
    if (typeof raw !== 'string') continue
    params[option.name] = option.kind === 'date' ? dateParam(option, raw.trim()) : wholeNumberParam(option, raw.trim())
  }
  return params
}

function wholeNumberParam(option: TraceOption, value: string): number {
  const min = option.min ?? 0
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(number) || number < min)
    throw new UserError(
      `--${option.name} must be a whole number of at least ${min}; "${value}" is not.`,
      `Give it as a whole number, e.g. --${option.name} ${option.example}.`,
    )
  return number
}

function dateParam(option: TraceOption, value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
    throw new UserError(
      `--${option.name} must be a date as yyyy-MM-dd; "${value}" is not one.`,
      `Give it as --${option.name} ${option.example}, or leave it out for today in the installation's time zone.`,
    )
  return value
}
