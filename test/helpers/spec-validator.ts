import {Ajv} from 'ajv'
import {Ajv2020} from 'ajv/dist/2020.js'
import formats from 'ajv-formats'

type Json = Record<string, unknown>

/** One answer an emulator gave, as a spec check reads it. */
export interface Answer {
  method: string
  path: string
  status: number
  body: unknown
}

/** The response schema of the operation a path matches, validated with the spec's own components. */
export function specValidator(spec: Json, version: '3.0' | '3.1') {
  const ajv =
    version === '3.1' ? new Ajv2020({allErrors: true, strict: false}) : new Ajv({allErrors: true, strict: false})
  // ajv-formats is CommonJS: its plugin is the module itself, or its default under ESM interop.
  const addFormats = ((formats as unknown as {default?: unknown}).default ?? formats) as unknown as (
    instance: typeof ajv,
  ) => void
  addFormats(ajv)
  for (const format of ['int32', 'int64', 'double', 'float', 'byte', 'binary', 'decimal']) ajv.addFormat(format, true)
  ajv.addSchema({...spec, $id: 'spec'})
  const paths = Object.keys(spec.paths as Json)
  // The paths are relative to the server's base path (eAccounting's `/v2`).
  const basePath = new URL(
    (spec.servers as Array<{url: string}> | undefined)?.[0]?.url ?? 'http://x/',
  ).pathname.replace(/\/$/, '')
  return (answer: Answer): string[] => {
    const path = basePath && answer.path.startsWith(basePath) ? answer.path.slice(basePath.length) : answer.path
    // A literal segment beats a parameter (`/salespricelists/prices` is not `/salespricelists/{id}`).
    const template = paths
      .filter((candidate) => new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`, 'i').test(path))
      .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0]
    if (!template) return [`${answer.path}: no operation in the specification`]
    const operation = ((spec.paths as Json)[template] as Json)[answer.method.toLowerCase()] as Json
    const content = ((operation.responses as Json)[String(answer.status)] as Json | undefined)?.content as
      | Json
      | undefined
    if (!content) return []
    const pointer = `spec#/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/${answer.method.toLowerCase()}/responses/${answer.status}/content/${Object.keys(content)[0]?.replace(/\//g, '~1')}/schema`
    const validate = ajv.getSchema(pointer) ?? ajv.compile({$ref: pointer})
    return validate(answer.body)
      ? []
      : (validate.errors ?? []).map(
          (error: {instancePath: string; message?: string}) =>
            `${answer.method} ${answer.path}: ${error.instancePath || '(body)'} ${error.message}`,
        )
  }
}
