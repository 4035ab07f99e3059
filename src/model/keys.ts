import {UserError} from '../util/errors.js'

export const maxKeyLength = 200

/**
 * Checks a record key typed by the user. Quotes, slashes, `%` and unicode are fine (every connector
 * encodes them); what no system can hold is refused with a reason. Surrounding whitespace is dropped,
 * and the caller is told so.
 */
export function validateKey(what: string, raw: string): {key: string; trimmed: boolean} {
  const key = raw.trim()
  if (key === '') throw new UserError(`The ${what} is empty.`, `Give the ${what} as the ERP shows it, e.g. 10042.`)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F-\u009F]/.test(key))
    throw new UserError(
      `The ${what} contains a control character.`,
      'Type the code again; it may have been pasted with a hidden character.',
    )
  if (key.length > maxKeyLength)
    throw new UserError(
      `The ${what} is ${key.length} characters long; codes are at most ${maxKeyLength}.`,
      `Check the ${what}: it may be a pasted text rather than a code.`,
    )
  return {key, trimmed: key !== raw}
}
