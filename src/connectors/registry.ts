import {businessCentral} from './businesscentral/system.js'
import {type ErpSetting, type ErpSystem, settingFlags} from './erp-system.js'
import {fortnox} from './fortnox/system.js'
import {helpdeskSystems} from './helpdesk/registry.js'
import {netsuite} from './netsuite/system.js'
import {vismaEAccounting} from './visma-eaccounting/system.js'
import {vismaNet} from './visma-net/system.js'

/**
 * The ERP APIs synctrace speaks: one import and one entry per system. A system's folder under src/connectors
 * holds its connector, its answers' schemas and its descriptor (`system.ts`). Its sandbox emulator lives apart,
 * in `src/sandbox/erp/<erp>/`, listed by src/sandbox/erp/registry.ts: a trace never loads emulator code.
 */
export const erpSystems: readonly ErpSystem[] = [businessCentral, fortnox, netsuite, vismaEAccounting, vismaNet]

/** The descriptor of a profile's `erp.system`, or undefined. */
export function erpSystem(id: unknown): ErpSystem | undefined {
  return erpSystems.find((system) => system.id === id)
}

/** The names of what the CMS reports as `erp.system` where that is not a descriptor's id (`visma` is either Visma API). */
const fileOnlyErps: Record<string, string> = {monitor: 'Monitor', visma: 'Visma', winbas: 'Winbas'}

/** A human name for an ERP id, as a profile or the CMS gives it. */
export function erpDisplayName(system: string | null | undefined): string {
  if (!system) return 'ERP'
  const known = erpSystems.find((entry) => entry.id === system)
  if (known) return known.displayName
  // Own properties only: a system named "constructor" must not find Object's.
  if (Object.hasOwn(fileOnlyErps, system)) return fileOnlyErps[system] as string
  return erpSystems.find((entry) => entry.cmsSystem === system)?.displayName ?? system
}

/** Every `profile add` flag the ERPs use, once, with what it means for each ERP. */
export function erpSettingFlags(): Array<{flag: string; kind: ErpSetting['kind']; description: string}> {
  return settingFlags(erpSystems)
}

/** The names of the profile fields that hold secrets: the platform's and the file server's, every ERP's and helpdesk's. */
export function secretFieldNames(): ReadonlySet<string> {
  return new Set([
    'token',
    'clientSecret',
    'password',
    ...erpSystems.flatMap((system) =>
      system.settings.filter((setting) => setting.kind === 'secret').map((setting) => setting.field),
    ),
    ...helpdeskSystems.flatMap((system) =>
      system.settings.filter((setting) => setting.kind === 'secret').map((setting) => setting.field),
    ),
  ])
}
