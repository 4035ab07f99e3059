import {type HelpdeskId, type HelpdeskProfile, helpdeskSystems} from '../../connectors/helpdesk/registry.js'
import {registerSecret} from '../../http/redact.js'
import {type Handler, SandboxService} from '../../emulation/service.js'
import {freshdeskHandler, seedFreshdesk} from './freshdesk.js'
import {jiraHandler, seedJira} from './jira.js'
import type {HelpdeskState} from './state.js'
import {seedZendesk, zendeskHandler} from './zendesk.js'

/** One emulated helpdesk: its server, its state (tickets, limits, test hooks) and the profile section that reaches it. */
export interface SandboxHelpdesk {
  system: HelpdeskId
  service: SandboxService
  state: HelpdeskState
  profile(): HelpdeskProfile
}

const emulators: Record<
  HelpdeskId,
  {seed: () => HelpdeskState; handler: (state: HelpdeskState, url: () => string) => Handler}
> = {
  freshdesk: {handler: freshdeskHandler, seed: seedFreshdesk},
  jira: {handler: jiraHandler, seed: seedJira},
  zendesk: {handler: zendeskHandler, seed: seedZendesk},
}

/** The helpdesk the sandbox's profiles name unless `--helpdesk` picks another. */
export const defaultSandboxHelpdesk: HelpdeskId = 'zendesk'

/** In the order of the registry of helpdesks. */
export const sandboxHelpdeskIds = helpdeskSystems
  .map((system) => system.id)
  .filter((id) => Object.hasOwn(emulators, id))

/** Starts one helpdesk's emulator on 127.0.0.1 with the seeded tickets and a fresh agent token. */
export async function startHelpdesk(system: HelpdeskId): Promise<SandboxHelpdesk> {
  const {handler, seed} = emulators[system]
  const state = seed()
  registerSecret(state.token)
  const service: SandboxService = new SandboxService(
    `helpdesk-${system}`,
    handler(state, () => service.url),
  )
  await service.start(0)
  const profile = (): HelpdeskProfile =>
    system === 'freshdesk'
      ? {system, token: state.token, url: service.url}
      : {email: state.agent.email, system, token: state.token, url: service.url}
  return {profile, service, state, system}
}

/** The helpdesks of a sandbox: support teams' tools, shared by every installation. */
export interface SandboxHelpdesks {
  helpdesks: Map<HelpdeskId, SandboxHelpdesk>
  helpdesk(system: HelpdeskId): SandboxHelpdesk
  stop(): Promise<void>
}

/** Starts the three helpdesk emulators (none when `enabled` is false). */
export async function startHelpdesks(enabled = true): Promise<SandboxHelpdesks> {
  const started = enabled ? await Promise.all(sandboxHelpdeskIds.map((system) => startHelpdesk(system))) : []
  const helpdesks = new Map(started.map((helpdesk) => [helpdesk.system, helpdesk]))
  return {
    helpdesk: (system) => {
      const found = helpdesks.get(system)
      if (!found) throw new Error(`the sandbox was not started with the ${system} helpdesk`)
      return found
    },
    helpdesks,
    stop: async () => {
      await Promise.all(started.map((helpdesk) => helpdesk.service.stop()))
    },
  }
}
