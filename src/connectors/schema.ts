import {z} from 'zod'

import {RequestProblem} from '../http/problem.js'

/**
 * Building blocks for the schemas every hop's answer is checked against (zod). A field of the wrong kind
 * is that hop's error naming the field ("bad-response"), never a crash and never read as "no record".
 * Absent and null are the same: a field the hop does not give.
 */

/** A JSON object as a hop sent it, before or beside its schema. */
export type JsonObject = Record<string, unknown>

/** A key or a text: a string, or a number written as one (ERPs send numeric codes as numbers). */
export const text = z.union([z.string(), z.number().finite().transform(String)])

/** A text the hop may leave out: null when absent. */
export const optionalText = text.nullish().transform((value) => value ?? null)

/** A short identifier on one line (user, role, installation id, job id): at most 200 characters. */
export const identifier = text.refine((value) => value.length <= 200, {message: 'is longer than 200 characters'})

/** A time: an ISO 8601 string, or absent. A string that is no time is the hop's error. */
export const optionalTime = z
  .string()
  .nullish()
  .transform((value, context) => {
    if (value === null || value === undefined || value.trim() === '') return null
    const parsed = new Date(value)
    if (Number.isNaN(parsed.getTime())) {
      context.addIssue({code: 'custom', message: `"${value.slice(0, 40)}" is not a time`})
      return z.NEVER
    }
    return parsed
  })

/** A yes/no: a boolean, or 1/0 and "true"/"false" as exports and older APIs write them. */
export const optionalFlag = z
  .union([z.boolean(), z.literal(1), z.literal(0), z.enum(['1', '0', 'true', 'false'])])
  .nullish()
  .transform((value) =>
    value === null || value === undefined ? null : value === true || value === 1 || value === '1' || value === 'true',
  )

/** A number, or a numeric string. */
export const optionalNumber = z
  .union([
    z.number().finite(),
    z
      .string()
      .regex(/^\s*-?\d+(\.\d+)?\s*$/)
      .transform(Number),
  ])
  .nullish()
  .transform((value) => value ?? null)

/** A list of codes (sales reps, user ids); null when absent. */
export const optionalTextList = z
  .array(text)
  .nullish()
  .transform((value) => value ?? null)

/** An error a hop reports: a string, or `{message}`. */
export const optionalErrorText = z
  .union([z.string(), z.looseObject({message: z.string().optional()}).transform((error) => error.message ?? 'error')])
  .nullish()
  .transform((value) => value ?? null)

function pathText(path: PropertyKey[]): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : String(part)))
    .join('.')
    .replace(/\.\[/g, '[')
}

/**
 * Checks an answer against its schema; the first problem is the hop's error, naming the field:
 * `CMS: malformed answer, /installation: "autoSync.timezone" "Mars/Olympus_Mons" is not a known time zone`.
 */
export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, system: string, what: string): z.output<S> {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue && issue.path.length > 0 ? ` "${pathText(issue.path)}"` : ''
  const message =
    issue?.code === 'invalid_type'
      ? `is not ${issue.expected === 'object' ? 'a JSON object' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`
      : (issue?.message ?? 'does not have the expected shape')
  throw new RequestProblem({
    kind: 'bad-response',
    message: `${system}: malformed answer, ${what}:${field || ''} ${message}`.replace(/:\s+is /, ' is '),
  })
}
