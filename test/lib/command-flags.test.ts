import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {projectRoot} from '../helpers/cli.js'

/**
 * Every command's flags and arguments, as the built oclif.manifest.json declares them, against a checked-in
 * snapshot (test/lib/__snapshots__/command-flags.json): a flag added, renamed, given another default or
 * moved to another help group shows in review. After a deliberate change: `npm run build`, then
 * `npx vitest run test/lib/command-flags.test.ts -u`, and commit the snapshot with the change.
 */

interface ManifestFlag {
  name: string
  char?: string
  type: 'boolean' | 'option'
  options?: string[]
  default?: unknown
  required?: boolean
  multiple?: boolean
  allowNo?: boolean
  helpGroup?: string
  exclusive?: string[]
  relationships?: {type: string; flags: Array<string | {name: string}>}[]
}

interface ManifestCommand {
  aliases: string[]
  strict?: boolean
  args: Record<string, {name: string; required?: boolean; options?: string[]}>
  flags: Record<string, ManifestFlag>
}

const byName = <T>(entries: Record<string, T>): Array<[string, T]> =>
  Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

/**
 * What a user of a flag relies on, only what is set; descriptions are left out (wording is not interface).
 * `exclusive`: the flags it is refused with (oclif's `exclusive`, and the `none` relationships).
 */
function flagInterface(flag: ManifestFlag): Record<string, unknown> {
  const {char, type, options, default: fallback, required, multiple, allowNo, helpGroup} = flag
  const refusedWith = [
    ...(flag.exclusive ?? []),
    ...(flag.relationships ?? [])
      .filter((relationship) => relationship.type === 'none')
      .flatMap((relationship) => relationship.flags.map((entry) => (typeof entry === 'string' ? entry : entry.name))),
  ]
  const exclusive = refusedWith.length > 0 ? refusedWith : undefined
  return onlySet({char, type, options, default: fallback, required, multiple, allowNo, helpGroup, exclusive})
}

function onlySet(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== false))
}

/** JSON on one line, spaced as the rest of the repository writes it. */
function line(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(line).join(', ')}]`
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, entry]) => `${JSON.stringify(key)}: ${line(entry)}`)
      .join(', ')}}`
  return JSON.stringify(value)
}

/** The snapshot's text: one command per block, one flag or argument per line, so a change is one line of the diff. */
function render(commands: Record<string, {aliases: string[]; strict: boolean; args: unknown[]; flags: object}>) {
  const blocks = Object.entries(commands).map(([id, command]) => {
    const flags = Object.entries(command.flags).map(([name, flag]) => `      ${line(name)}: ${line(flag)}`)
    return [
      `  ${line(id)}: {`,
      `    "aliases": ${line(command.aliases)},`,
      `    "strict": ${command.strict},`,
      `    "args": [${command.args.map((arg) => `\n      ${line(arg)}`).join(',')}${command.args.length ? '\n    ' : ''}],`,
      `    "flags": {\n${flags.join(',\n')}\n    }`,
      '  }',
    ].join('\n')
  })
  return `{\n${blocks.join(',\n')}\n}\n`
}

describe('command-line interface', () => {
  it("every command's flags and arguments match the checked-in snapshot", async () => {
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, ManifestCommand>
    }
    const commands = Object.fromEntries(
      byName(manifest.commands).map(([id, command]) => [
        id,
        {
          aliases: command.aliases,
          strict: command.strict ?? true,
          args: byName(command.args).map(([, {name, required, options}]) => onlySet({name, required, options})),
          flags: Object.fromEntries(byName(command.flags).map(([name, flag]) => [name, flagInterface(flag)])),
        },
      ]),
    )
    expect(Object.keys(commands).length).toBeGreaterThanOrEqual(23)
    await expect(render(commands)).toMatchFileSnapshot('__snapshots__/command-flags.json')
  })
})
