import type {ErpEmulator} from './emulator.js'
import {netsuiteEmulator} from './netsuite.js'

/** The sandbox's ERP emulators by the profile's `erp.system`: one line per ERP. */
const emulators: readonly ErpEmulator[] = [netsuiteEmulator]

export function emulatorFor(system: string): ErpEmulator {
  const found = emulators.find((emulator) => emulator.system === system)
  if (!found) throw new Error(`the sandbox has no emulator of the ERP "${system}" (it has: ${emulators.map((emulator) => emulator.system).join(', ') || 'none'})`)
  return found
}

/** The systems the sandbox emulates through this registry. */
export function emulatedSystems(): string[] {
  return emulators.map((emulator) => emulator.system)
}
