import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Ajv2020} from 'ajv/dist/2020.js'
import formats from 'ajv-formats'

import {projectRoot} from './cli.js'

/** The published JSON Schemas of every --json output (schemas/ at the repository root). */
export const schemasDir = join(projectRoot, 'schemas')

export type JsonSchema = Record<string, unknown>

/** Every `*.schema.json` file, by file name. */
export function readSchemas(): Map<string, JsonSchema> {
  const files = readdirSync(schemasDir).filter((name) => name.endsWith('.schema.json'))
  return new Map(files.map((name) => [name, JSON.parse(readFileSync(join(schemasDir, name), 'utf8')) as JsonSchema]))
}

/** schemas/commands.json: the schema of each command's --json output, by oclif command id. */
export function commandSchemas(): Record<string, string> {
  const {$comment: _comment, ...map} = JSON.parse(readFileSync(join(schemasDir, 'commands.json'), 'utf8')) as Record<
    string,
    string
  >
  return map
}

/**
 * An Ajv for draft 2020-12 with every schema added (they refer to each other by file name) and the formats
 * (date-time) checked. Strict: an unknown keyword or a keyword on the wrong type is an error in the schema.
 */
export function schemaValidator(schemas = readSchemas()): Ajv2020 {
  const ajv = new Ajv2020({allErrors: true, strict: true, strictRequired: false})
  // ajv-formats is CommonJS: its plugin is the module itself, or its default under ESM interop.
  const addFormats = ((formats as unknown as {default?: unknown}).default ?? formats) as unknown as (
    instance: Ajv2020,
  ) => void
  addFormats(ajv)
  for (const schema of schemas.values()) ajv.addSchema(schema)
  return ajv
}

/** The places where `value` breaks the schema, one line each (empty when it conforms). */
export function violations(ajv: Ajv2020, schema: string, value: unknown): string[] {
  const validate = ajv.getSchema(schema)
  if (!validate) throw new Error(`no schema ${schema}`)
  if (validate(value)) return []
  return (validate.errors ?? []).map(
    (error) =>
      `${schema}: ${error.instancePath || '/'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`,
  )
}
