import type {z} from 'zod'

import type {HttpClient} from '../http/client.js'
import type {ErpConnector} from './erp.js'
import type {TokenKeeper} from './oauth2.js'

/**
 * One value of an ERP's profile section: the field in the config file, and the `profile add` flag (and
 * prompt) that gives it. Flags shared by several ERPs (`--erp-url`, `--erp-token`, `--client-id`) are one
 * flag; each ERP describes what it means for it.
 */
export interface ErpSetting {
  /** The field of the profile's `erp` section. */
  field: string
  /** The flag of `profile add`, without the dashes. */
  flag: string
  /** The flag's help, for this ERP ("the access token"). */
  description: string
  kind: 'text' | 'url' | 'secret'
  /** The question asked on a terminal when the flag is missing; without one the value is never asked for. */
  prompt?: string
  /** Used when neither the flag nor an answer gives a value. */
  default?: string
  /** May be left out: not asked without a terminal, "(optional)" on one. */
  optional?: boolean
  /** Asked only when this holds for the values known so far (by field). */
  askWhen?: (known: Readonly<Record<string, string | undefined>>) => boolean
  /**
   * The ERP replaces this secret on every use (a rotating refresh token): it must live where the new one can
   * be written back (`secret:NAME`) or be managed outside (`env:NAME`); a literal in the config is refused.
   */
  rotates?: true
}

/** What a connector may ask of the run around it. */
export interface ErpSession {
  /**
   * Writes a new value of one of the section's secret fields back to where the profile keeps it (an ERP
   * that rotates its refresh token). False when it cannot: the field is an `env:` reference or a literal.
   */
  saveSecret(field: string, value: string): Promise<boolean>
  /** A warning for stderr (through the output boundary). */
  warn(message: string): void
  /** Where access tokens are kept between runs (the profile's token cache); absent with --no-cache. */
  keptToken?: TokenKeeper
}

/**
 * Everything synctrace knows about one ERP API, in one place: its id in the profile, its name, its
 * profile section (validated with zod after the secrets are resolved) and `profile add` flags, and how to
 * build its connector. A descriptor is data: its connector's code is loaded by `connect` (a dynamic import), so a
 * run loads the connector of its profile's ERP only. `src/connectors/registry.ts` lists them.
 */
export interface ErpSystem<Section extends {url: string} = {url: string}> {
  /** The profile's `erp.system`: `businesscentral`, `fortnox`, ... */
  id: string
  displayName: string
  /** The `erp.system` the CMS reports for installations on this ERP (default: the id). */
  cmsSystem?: string
  settings: readonly ErpSetting[]
  /** The section, secrets already resolved: unknown fields are dropped, a wrong one is the profile's error. */
  schema: z.ZodType<Section>
  /** A rule across fields ("a token or client credentials"): the problem, or null. */
  check?(section: Section): {problem: string; fix: string} | null
  /** Loads its connector's code (`await import('./connector.js')`) and builds the connector. */
  connect(section: Section, http: HttpClient, session: ErpSession): Promise<ErpConnector>
  /** The URLs of other origins the connector talks to besides `url` (a token endpoint), for progress lines. */
  otherUrls?(section: Section): string[]
}

/** Keeps the section's type inside its own descriptor; the registry holds descriptors of every kind. */
export function defineErpSystem<Section extends {url: string}>(system: ErpSystem<Section>): ErpSystem {
  return system as unknown as ErpSystem
}

/**
 * Every `profile add` flag a set of descriptors uses (the ERPs', the helpdesks'), once, with what it means for
 * each system that uses it.
 */
export function settingFlags(
  systems: readonly {settings: readonly ErpSetting[]}[],
): Array<{flag: string; kind: ErpSetting['kind']; description: string}> {
  const flags = new Map<string, {flag: string; kind: ErpSetting['kind']; descriptions: string[]}>()
  for (const system of systems)
    for (const setting of system.settings) {
      const entry = flags.get(setting.flag) ?? {descriptions: [], flag: setting.flag, kind: setting.kind}
      entry.descriptions.push(setting.description)
      flags.set(setting.flag, entry)
    }
  return [...flags.values()].map(({descriptions, flag, kind}) => ({
    description: `${descriptions.join('; ')}${kind === 'secret' ? ' (env:NAME, or a value with --store-secrets)' : ''}.`,
    flag,
    kind,
  }))
}
