import type {ErpEmulator} from './emulator.js'
import {netsuiteEmulator} from './netsuite.js'
import {vismaEAccountingEmulator} from './visma-eaccounting.js'
import {vismaNetEmulator} from './visma-net.js'

/** The sandbox's ERP emulators by the profile's `erp.system`: one line per ERP. */
const emulators: readonly ErpEmulator[] = [netsuiteEmulator, vismaEAccountingEmulator, vismaNetEmulator]

export function emulatorFor(system: string): ErpEmulator {
  const found = emulators.find((emulator) => emulator.system === system)
  if (!found) throw new Error(`the sandbox has no emulator of the ERP "${system}" (it has: ${emulators.map((emulator) => emulator.system).join(', ') || 'none'})`)
  return found
}

/** The systems the sandbox emulates through this registry. */
export function emulatedSystems(): string[] {
  return emulators.map((emulator) => emulator.system)
}

/** The emulator of a system, if the sandbox emulates it through this registry. */
export function emulatorOf(system: string): ErpEmulator | undefined {
  return emulators.find((emulator) => emulator.system === system)
}
