import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {entityNames} from '../../dist/entities/index.js'
import {hopNames} from '../../dist/report/entities.js'
import {hopPairs} from '../../dist/reconcile/types.js'
import {ExitCode} from '../../dist/util/errors.js'
import {projectRoot} from '../helpers/cli.js'
import {commandSchemas, type JsonSchema, readSchemas, schemaValidator} from '../helpers/json-schemas.js'

/**
 * The schemas themselves (schemas/): valid and strict draft 2020-12, one for every command that prints
 * --json, every object closed, and every enum the same as the union of the code it documents, so that a
 * cause or class added or renamed in the code cannot ship without its schema.
 */

const schemas = readSchemas()

/** The string literals of a TypeScript union in a source file: the line holding `marker` and the `| '…'` lines after it. */
function unionIn(file: string, marker: string): string[] {
  const text = readFileSync(join(projectRoot, file), 'utf8')
  const start = text.indexOf(marker)
  if (start < 0) throw new Error(`${marker} is not in ${file}`)
  const lines = text.slice(start).split('\n')
  const union = [lines[0] as string]
  for (const line of lines.slice(1)) {
    if (!/^\s*\|/.test(line)) break
    union.push(line)
  }
  return [...union.join('\n').matchAll(/'([^']+)'/g)].map((match) => match[1] as string)
}

/** The node at a JSON pointer inside a schema file (`trace-report.schema.json#/$defs/cause`). */
function node(ref: string): JsonSchema {
  const [file, pointer = ''] = ref.split('#')
  let at: unknown = schemas.get(file as string)
  for (const part of pointer.split('/').filter(Boolean)) at = (at as Record<string, unknown>)[part]
  if (!at) throw new Error(`nothing at ${ref}`)
  return at as JsonSchema
}

const enumOf = (ref: string) => (node(ref).enum ?? (node(ref) as {const?: unknown}).const) as unknown[]

/** Every subschema that describes an object, with its place. */
function objectSchemas(value: unknown, path: string, found: Array<{path: string; schema: JsonSchema}>): void {
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) objectSchemas(entry, `${path}/${index}`, found)
    return
  }
  if (!value || typeof value !== 'object') return
  const schema = value as JsonSchema
  const isObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'))
  if (isObject || schema.properties) found.push({path, schema})
  for (const [key, child] of Object.entries(schema)) {
    // Property names and enum values are data, not subschemas.
    if (key === 'enum' || key === 'const' || key === 'required') continue
    objectSchemas(child, `${path}/${key}`, found)
  }
}

/** Objects that are open on purpose: a request body as the platform defines it, a profile as the config file holds it, the building blocks composed under `unevaluatedProperties: false`. */
const openOnPurpose = [
  'action-result.schema.json#/$defs/request/properties/body',
  'action-result.schema.json#/$defs/actionResultFields',
  'action-result.schema.json#/$defs/actionResultRequired',
  'action-result.schema.json#/$defs/fixOutcome/if',
  'sandbox.schema.json#/$defs/profile',
  'sandbox.schema.json#/$defs/profile/properties/cms',
  'sandbox.schema.json#/$defs/profile/properties/app',
  'sandbox.schema.json#/$defs/profile/properties/webshop',
  'sandbox.schema.json#/$defs/profile/properties/erp',
  'sandbox.schema.json#/$defs/profile/properties/ftp',
]

describe('the published JSON Schemas', () => {
  it('every schema file is a valid draft 2020-12 schema whose $id is its file name, and all compile strictly together', () => {
    const ajv = schemaValidator(schemas)
    expect(schemas.size).toBeGreaterThanOrEqual(14)
    for (const [file, schema] of schemas) {
      expect(schema.$schema, file).toBe('https://json-schema.org/draft/2020-12/schema')
      expect(schema.$id, file).toBe(file)
      expect(ajv.validateSchema(schema), `${file}: ${JSON.stringify(ajv.errors)}`).toBe(true)
      expect(() => ajv.getSchema(file), file).not.toThrow()
    }
  })

  it('every command that takes --json names its schema in schemas/commands.json, and each named schema exists', () => {
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, {flags: Record<string, unknown>}>
    }
    const withJson = Object.entries(manifest.commands)
      .filter(([, command]) => 'json' in command.flags)
      .map(([id]) => id)
      .sort()
    const map = commandSchemas()
    expect(withJson.length).toBeGreaterThanOrEqual(23)
    // "<id> --<flag>": a flag that changes the output's shape (doctor --all), of a command that takes --json.
    const variants = Object.keys(map).filter((key) => key.includes(' '))
    expect(
      Object.keys(map)
        .filter((key) => !key.includes(' '))
        .sort(),
    ).toEqual(withJson)
    for (const variant of variants) {
      const [id, flag] = variant.split(' --') as [string, string]
      expect(withJson, variant).toContain(id)
      expect(Object.keys(manifest.commands[id]?.flags ?? {}), variant).toContain(flag)
    }
    expect(variants).toEqual(expect.arrayContaining(['doctor --all', 'sandbox --fleet']))
    for (const [id, file] of Object.entries(map)) expect(schemas.has(file), `${id} → ${file}`).toBe(true)
    // Every schema is the output of a command, an error, or a part of another (a record of reconcile's).
    const named = new Set([...Object.values(map), 'error.schema.json', 'reconcile-record.schema.json'])
    expect([...schemas.keys()].filter((file) => !named.has(file))).toEqual([])
  })

  it('every object in the schemas is closed (a new field fails), except the few open on purpose', () => {
    const open: string[] = []
    for (const [file, schema] of schemas) {
      const found: Array<{path: string; schema: JsonSchema}> = []
      objectSchemas(schema, `${file}#`, found)
      for (const {path, schema: object} of found) {
        const closed =
          object.additionalProperties === false ||
          object.unevaluatedProperties === false ||
          (typeof object.additionalProperties === 'object' && !object.properties)
        if (!closed && !openOnPurpose.includes(path)) open.push(path)
      }
    }
    expect(open).toEqual([])
  })

  it("every enum is the code's union: causes, actions, owners, statuses, problems, classes, outcomes, exit codes", () => {
    const pairs: Array<[string, unknown[]]> = [
      ['trace-report.schema.json#/$defs/cause', unionIn('src/report/types.ts', 'export type CauseCode =')],
      ['trace-report.schema.json#/$defs/actionKind', unionIn('src/report/types.ts', 'export type ActionKind =')],
      ['trace-report.schema.json#/$defs/actionOwner', unionIn('src/report/types.ts', 'export type ActionOwner =')],
      ['trace-report.schema.json#/$defs/hopStatus', unionIn('src/report/types.ts', 'export type HopStatus =')],
      ['trace-report.schema.json#/$defs/hopName', [...hopNames]],
      ['trace-report.schema.json#/$defs/entity', [...entityNames]],
      [
        'trace-report.schema.json#/$defs/problem/properties/kind',
        unionIn('src/http/problem.ts', 'export type ProblemKind ='),
      ],
      ['reconcile-record.schema.json#/$defs/class', unionIn('src/reconcile/types.ts', 'export type ReconcileClass =')],
      ['reconcile.schema.json#/properties/between', [...hopPairs]],
      ['action-result.schema.json#/$defs/outcome', unionIn('src/actions/audit.ts', '  outcome: ')],
      [
        'action-result.schema.json#/$defs/target/oneOf/0/properties/entity',
        unionIn('src/connectors/platform/types.ts', 'export type SyncEntity ='),
      ],
      ['action-result.schema.json#/$defs/exitCode', Object.values(ExitCode)],
      ['error.schema.json#/properties/error/properties/exitCode', Object.values(ExitCode).filter((code) => code !== 0)],
      [
        'doctor.schema.json#/$defs/hop/properties/status',
        unionIn('src/doctor/health.ts', 'export type HealthStatus ='),
      ],
      [
        'doctor-fleet.schema.json#/$defs/problem/properties/kind',
        unionIn('src/doctor/fleet-types.ts', 'export type FleetProblemKind ='),
      ],
    ]
    for (const [ref, union] of pairs) {
      expect(union.length, ref).toBeGreaterThan(1)
      expect([...enumOf(ref)].sort(), ref).toEqual([...union].sort())
    }
  })
})
