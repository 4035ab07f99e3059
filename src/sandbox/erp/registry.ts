import {erpSystems} from '../../connectors/registry.js'
import type {ErpEmulator} from '../../emulation/erp-emulator.js'

/**
 * The sandbox's ERP emulators, one folder each beside the sandbox (`src/sandbox/erp/<erp>/`), apart from the
 * connectors a trace runs: keyed by the id of the ERP's descriptor (src/connectors/registry.ts) and imported
 * only here, on demand, so neither a trace nor anything in src/connectors loads emulator code.
 */
const emulators: Readonly<Record<string, () => Promise<ErpEmulator>>> = {
  businesscentral: () => import('./businesscentral/emulator.js').then((module) => module.businessCentralEmulator),
  fortnox: () => import('./fortnox/emulator.js').then((module) => module.fortnoxEmulator),
  netsuite: () => import('./netsuite/emulator.js').then((module) => module.netsuiteEmulator),
  'visma-eaccounting': () =>
    import('./visma-eaccounting/emulator.js').then((module) => module.vismaEAccountingEmulator),
  'visma-net': () => import('./visma-net/emulator.js').then((module) => module.vismaNetEmulator),
}

/** Loaded once per process, before the sandbox or the history oracle needs one; after that every lookup is synchronous. */
const loaded = new Map<string, ErpEmulator>()
let loading: Promise<void> | undefined

export function loadEmulators(): Promise<void> {
  loading ??= Promise.all(
    Object.entries(emulators).map(([system, load]) => load().then((emulator) => void loaded.set(system, emulator))),
  ).then(() => undefined)
  return loading
}

/** The systems the sandbox emulates, in the order of the registry of ERPs (known without loading them). */
export function emulatedSystems(): string[] {
  return erpSystems.filter((system) => Object.hasOwn(emulators, system.id)).map((system) => system.id)
}

/** The emulator of a system, if the sandbox emulates it through the interface. */
export function emulatorOf(system: string): ErpEmulator | undefined {
  if (!emulatedSystems().includes(system)) return undefined
  const emulator = loaded.get(system)
  if (!emulator)
    throw new Error(
      `the emulator of ${system} is not loaded yet: await loadEmulators() before using the sandbox's ERPs`,
    )
  return emulator
}

export function emulatorFor(system: string): ErpEmulator {
  const found = emulatorOf(system)
  if (!found)
    throw new Error(
      `the sandbox has no emulator of the ERP "${system}" (it has: ${emulatedSystems().join(', ') || 'none'})`,
    )
  return found
}
