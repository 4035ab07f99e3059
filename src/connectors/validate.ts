import {RequestProblem} from '../http/problem.js'

/**
 * Shape checks for what a hop answered. A body that does not have the contract's shape is a problem of
 * that hop ("bad-response"), reported as such, never silently read as "no record".
 */
export type JsonObject = Record<string, unknown>

export function malformed(system: string, what: string): RequestProblem {
  return new RequestProblem({kind: 'bad-response', message: `${system}: malformed answer, ${what}`})
}

export function asObject(value: unknown, system: string, what: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed(system, `${what} is not a JSON object`)
  return value as JsonObject
}

export function asArray(value: unknown, system: string, what: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(system, `${what} is not a list`)
  return value
}

export function requiredString(object: JsonObject, field: string, system: string, what: string): string {
  const value = object[field]
  if (typeof value !== 'string' && typeof value !== 'number') throw malformed(system, `${what} has no "${field}"`)
  return String(value)
}

export function optionalString(object: JsonObject, field: string): string | null {
  const value = object[field]
  if (value === null || value === undefined) return null
  return typeof value === 'string' ? value : String(value)
}

export function optionalBoolean(object: JsonObject, field: string): boolean | null {
  const value = object[field]
  if (typeof value === 'boolean') return value
  if (value === 1 || value === '1' || value === 'true') return true
  if (value === 0 || value === '0' || value === 'false') return false
  return null
}

export function optionalNumber(object: JsonObject, field: string): number | null {
  const value = object[field]
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return null
}

export function stringList(object: JsonObject, field: string): string[] | null {
  const value = object[field]
  if (!Array.isArray(value)) return null
  return value.filter((entry) => typeof entry === 'string' || typeof entry === 'number').map(String)
}
