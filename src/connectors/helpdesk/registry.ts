import type {HttpClient} from '../../http/client.js'
import {settingFlags} from '../erp-system.js'
import {freshdesk} from './freshdesk/system.js'
import {jira} from './jira/system.js'
import type {HelpdeskConnector, HelpdeskSetting, HelpdeskSystem} from './types.js'
import {zendesk} from './zendesk/system.js'

/**
 * The helpdesks synctrace posts to: one folder and one entry each, as the ERPs (src/connectors/registry.ts).
 * Their sandbox emulators live apart, in src/sandbox/helpdesk/.
 */
export const helpdeskSystems: readonly HelpdeskSystem[] = [zendesk, freshdesk, jira]

export type HelpdeskId = HelpdeskSystem['id']

export function helpdeskSystem(id: unknown): HelpdeskSystem | undefined {
  return helpdeskSystems.find((system) => system.id === id)
}

/** Every `profile add` flag the helpdesks use, once, with what it means for each (as `erpSettingFlags`). */
export function helpdeskSettingFlags(): Array<{flag: string; kind: HelpdeskSetting['kind']; description: string}> {
  return settingFlags(helpdeskSystems)
}

/** A resolved `helpdesk` section: its system and the fields of that system's descriptor, secrets resolved. */
export type HelpdeskProfile = {system: HelpdeskId; url: string} & Record<string, string>

/** The connector of a profile's helpdesk section (its code loaded now: only `--post`, `ticket` and doctor need one). */
export async function helpdeskConnector(section: HelpdeskProfile, http: HttpClient): Promise<HelpdeskConnector> {
  const system = helpdeskSystem(section.system)
  if (!system) throw new Error(`unknown helpdesk ${section.system}`)
  return await system.connect(system.schema.parse(section), http)
}
