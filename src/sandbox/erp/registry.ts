import {erpSystems} from '../../connectors/registry.js'
import type {ErpEmulator} from '../../emulation/erp-emulator.js'

/**
 * The sandbox's ERP emulators, from the one registry of ERPs (src/connectors/registry.ts): each ERP's
 * descriptor loads its emulator from its own folder. Loaded once per process, before the sandbox or the
 * history oracle needs one (`loadEmulators`); after that every lookup is synchronous.
 */
const loaded = new Map<string, ErpEmulator>()
let loading: Promise<void> | undefined

export function loadEmulators(): Promise<void> {
  loading ??= Promise.all(
    erpSystems.flatMap((system) =>
      system.emulator ? [system.emulator().then((emulator) => void loaded.set(system.id, emulator))] : [],
    ),
  ).then(() => undefined)
  return loading
}

/** The systems the sandbox emulates through their descriptors (known without loading them). */
export function emulatedSystems(): string[] {
  return erpSystems.filter((system) => system.emulator).map((system) => system.id)
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
