import {dirname, join} from 'node:path'

import {registerSecret} from '../http/redact.js'
import {UserError} from '../util/errors.js'
import {readOwnFile} from './files.js'

/** Where secret references are looked up. */
export interface SecretSource {
  env: NodeJS.ProcessEnv
  /** The secrets file's values by name, and its path for messages. */
  stored: Record<string, string>
  storedPath: string
}

export function secretsPathFor(configPath: string): string {
  return join(dirname(configPath), 'secrets.json')
}

/** `env:NAME` → the variable; `secret:NAME` → the secrets file; anything else is the secret itself. */
export function resolveSecret(
  value: string | undefined,
  where: string,
  source: SecretSource = {env: process.env, stored: {}, storedPath: 'secrets.json'},
): string | undefined {
  if (value === undefined) return undefined
  if (value.startsWith('secret:')) {
    const name = value.slice('secret:'.length)
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(name))
      throw new UserError(
        `${where} is a malformed secret: reference.`,
        'Write it as secret:NAME (letters, digits, ".", "_", "-"), as synctrace profile add --store-secrets does.',
      )
    const secret = Object.hasOwn(source.stored, name) ? source.stored[name] : undefined
    if (secret === undefined)
      throw new UserError(
        `${where} refers to the stored secret "${name}", which ${source.storedPath} does not have.`,
        'Store it again with synctrace profile add, or use an env:NAME reference.',
      )
    registerSecret(secret)
    return secret
  }
  if (value.startsWith('env:')) {
    const name = value.slice('env:'.length)
    // `env:` and `env:1BAD` are mistakes, never literal tokens to send.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new UserError(
        `${where} is a malformed env: reference.`,
        'Write it as env:NAME, with a variable name of letters, digits and "_" that does not start with a digit.',
      )
    const resolved = source.env[name]
    if (resolved === undefined || resolved === '')
      throw new UserError(
        `${where} refers to the environment variable ${name}, which is not set.`,
        `Set ${name} (export ${name}=...) and run the command again.`,
      )
    registerSecret(resolved)
    return resolved
  }
  registerSecret(value)
  return value
}

/** The secrets file beside a config: `{"name": "value"}`; absent means empty; readable by others is refused. */
export async function readSecretsFile(path: string): Promise<Record<string, string>> {
  const text = await readOwnFile(path, 'secrets', 'secrets file')
  if (text === null) return {}
  try {
    const parsed = JSON.parse(text) as unknown
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    )
  } catch {
    throw new UserError(
      `The secrets file ${path} is not a JSON object of names and values.`,
      'Fix or remove the file, then store the secrets again with synctrace profile add.',
    )
  }
}
