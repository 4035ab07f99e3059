/**
 * Shell completion: what to offer for the word being typed, from the commands' manifest (oclif.manifest.json)
 * and, for `--profile`, the profiles of the config file. `bin/run.js __complete <words…>` answers it without
 * loading oclif (one TAB is one Node start); the shells' scripts are `synctrace autocomplete bash|zsh`.
 */
import {readFileSync} from 'node:fs'

import {installationValues} from './sandbox-installations.js'

export interface ManifestFlag {
  name: string
  char?: string
  type: 'boolean' | 'option'
  options?: string[]
  multiple?: boolean
  allowNo?: boolean
  hidden?: boolean
}

export interface ManifestCommand {
  id: string
  hidden?: boolean
  args: Record<string, {name: string; options?: string[]}>
  flags: Record<string, ManifestFlag>
}

/** The answer to the shell: the words to offer, or `files` when the value is a path (the shell completes those). */
export type Completion = {words: string[]} | {files: true}

const pathFlags = new Set(['config', 'output', 'write-config', 'ca-cert'])

/** The profile names in the config file the command line points at (--config, $SYNCTRACE_CONFIG, the default). */
async function profileNames(words: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const at = words.lastIndexOf('--config')
  const {configPathFor} = await import('../config/config-file.js')
  const path = configPathFor({configPath: at >= 0 ? words[at + 1] : undefined}, env)
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as {profiles?: Record<string, unknown>}
    return Object.keys(parsed.profiles ?? {})
  } catch {
    return []
  }
}

/** The command the leading words name, and how many words it took. */
function findCommand(words: string[], commands: ManifestCommand[]): {command?: ManifestCommand; used: number} {
  for (let used = Math.min(3, words.length); used >= 1; used--) {
    const id = words.slice(0, used).join(':')
    const command = commands.find((entry) => entry.id === id)
    if (command) return {command, used}
  }
  return {used: 0}
}

/** The next word of a command id after the typed ones: a topic's commands, or the top level. */
function commandWords(typed: string[], commands: ManifestCommand[]): string[] {
  const prefix = typed.length > 0 ? `${typed.join(':')}:` : ''
  const next = commands
    .filter((command) => !command.hidden && command.id.startsWith(prefix))
    .map((command) => command.id.slice(prefix.length).split(':')[0] as string)
  return [...new Set(next)].sort()
}

function flagWords(command: ManifestCommand, words: string[]): string[] {
  return Object.values(command.flags)
    .filter((flag) => !flag.hidden && (flag.multiple || !words.includes(`--${flag.name}`)))
    .flatMap((flag) => [`--${flag.name}`, ...(flag.allowNo ? [`--no-${flag.name}`] : [])])
    .sort()
}

/** The flag a value is being typed for: the previous word, `--format` or `-f`. */
function flagBefore(previous: string | undefined, command: ManifestCommand): ManifestFlag | undefined {
  if (!previous?.startsWith('-') || previous.includes('=')) return undefined
  const flags = Object.values(command.flags)
  const flag = previous.startsWith('--')
    ? flags.find((entry) => `--${entry.name}` === previous)
    : flags.find((entry) => entry.char && `-${entry.char}` === previous)
  return flag?.type === 'option' ? flag : undefined
}

async function flagValues(flag: ManifestFlag, words: string[], env: NodeJS.ProcessEnv): Promise<Completion> {
  if (flag.options) return {words: [...flag.options]}
  if (flag.name === 'profile') return {words: await profileNames(words, env)}
  if (flag.name === 'installation') return {words: installationValues}
  if (pathFlags.has(flag.name)) return {files: true}
  return {words: []}
}

/**
 * What to offer for the last word of `words` (the words after `synctrace`; the last is the one being typed,
 * possibly empty): command words, then the flags (also after arguments), a flag's values, an argument's values.
 */
export async function complete(
  words: string[],
  commands: ManifestCommand[],
  env: NodeJS.ProcessEnv,
): Promise<Completion> {
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  const {command, used} = findCommand(before, commands)
  const matching = (list: string[]): Completion => ({words: list.filter((word) => word.startsWith(current))})
  if (!command) return matching(commandWords(before, commands))
  const flag = flagBefore(before.at(-1), command)
  if (flag) {
    const values = await flagValues(flag, before, env)
    return 'files' in values ? values : matching(values.words)
  }
  if (current.startsWith('-')) return matching(flagWords(command, before))
  const argIndex = before.slice(used).filter((word, index, rest) => {
    if (word.startsWith('-')) return false
    const previous = index > 0 ? rest[index - 1] : before[used - 1]
    return !flagBefore(previous, command)
  }).length
  const arg = Object.values(command.args)[argIndex]
  return matching(arg?.options ?? [])
}

/** `bin/run.js __complete <words…>`: one completion per line; a path value prints `:files`. */
export async function printCompletions(words: string[], manifestPath: URL, env: NodeJS.ProcessEnv): Promise<string> {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {commands: Record<string, ManifestCommand>}
  const result = await complete(words, Object.values(manifest.commands), env)
  return 'files' in result ? ':files\n' : result.words.map((word) => `${word}\n`).join('')
}
