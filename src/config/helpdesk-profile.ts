import {type HelpdeskProfile, helpdeskSystem, helpdeskSystems} from '../connectors/helpdesk/registry.js'
import {registerUrlSecrets} from '../http/redact.js'
import {UserError} from '../util/errors.js'
import {resolveSecret, type SecretSource} from './secrets.js'

export type {HelpdeskProfile} from '../connectors/helpdesk/registry.js'

function invalid(name: string, problem: string, fix: string): UserError {
  return new UserError(`Profile "${name}": ${problem}.`, fix)
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

/**
 * A profile's `helpdesk` section (`{system: zendesk|freshdesk|jira, url, email, token}`) through its helpdesk's
 * descriptor (src/connectors/helpdesk/<system>/system.ts), as the `erp` section: secrets (`env:NAME`,
 * `secret:NAME` or the value) resolved and registered for redaction, then validated by its schema.
 */
export function helpdeskProfile(
  name: string,
  raw: Record<string, unknown> & {system: string},
  env: SecretSource,
): HelpdeskProfile {
  const system = helpdeskSystem(raw.system)
  if (!system)
    throw invalid(
      name,
      `helpdesk system "${raw.system.slice(0, 40)}" is not one synctrace speaks`,
      `Use one of: ${helpdeskSystems.map((entry) => entry.id).join(', ')}; or leave "helpdesk" out.`,
    )
  const resolved: Record<string, unknown> = {...raw}
  for (const setting of system.settings) {
    const value = raw[setting.field]
    if (setting.kind === 'secret' && (typeof value === 'string' || value === undefined))
      resolved[setting.field] = resolveSecret(value, `helpdesk.${setting.field}`, env)
    if (setting.kind === 'url' && typeof value === 'string') {
      registerUrlSecrets(value)
      if (!isHttpUrl(value))
        throw invalid(
          name,
          `helpdesk.${setting.field} is not an absolute http(s):// URL`,
          `Set helpdesk.${setting.field} to the ${system.displayName} URL.`,
        )
    }
  }
  const parsed = system.schema.safeParse(resolved)
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join('.') ?? ''
    const setting = system.settings.find((entry) => entry.field === field)
    throw invalid(
      name,
      `the ${system.displayName} helpdesk's helpdesk.${field} ${resolved[field] === undefined ? 'is missing' : 'is not valid'}`,
      setting
        ? `Add helpdesk.${field} to the profile (synctrace profile add --${setting.flag}).`
        : 'Fix it in the config file (the README section "Config file" has the format).',
    )
  }
  return {...(parsed.data as HelpdeskProfile), system: system.id}
}
