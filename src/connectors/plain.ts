/**
 * A reader of flat records of plain shape (strings, booleans, ISO times, or nothing), for the bulk
 * listings: it maps them as the zod building blocks of schema.ts do (`text`, `optionalText`,
 * `optionalFlag`, `optionalTime`) and returns undefined for anything else, which then goes to the record's
 * zod schema (that accepts a numeric code, or names the bad field). A million records read this way cost a
 * fraction of a million schema checks.
 */
export type PlainKind = 'key' | 'text' | 'flag' | 'time'

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/

export function plainTime(value: unknown): Date | null | undefined {
  if (value === null || value === undefined || value === '') return null
  if (typeof value !== 'string' || !isoTime.test(value)) return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

export function plainFlat<T>(raw: unknown, fields: Record<string, PlainKind>): T | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined
  const record = raw as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const field in fields) {
    const value = record[field]
    switch (fields[field]) {
      case 'key':
        if (typeof value !== 'string') return undefined
        out[field] = value
        break
      case 'text':
        if (typeof value === 'string') out[field] = value
        else if (value === null || value === undefined) out[field] = null
        else return undefined
        break
      case 'flag':
        if (typeof value === 'boolean') out[field] = value
        else if (value === null || value === undefined) out[field] = null
        else return undefined
        break
      case 'time': {
        const time = plainTime(value)
        if (time === undefined) return undefined
        out[field] = time
        break
      }
    }
  }
  return out as T
}
