import {randomBytes} from 'node:crypto'

import type {Profile} from '../config/profile.js'
import {registerSecret} from '../http/redact.js'
import {businessCentralHandler} from './businesscentral.js'
import {appHandler, cmsHandler, PlatformJobs, type PlatformTokens, webshopHandler} from './platform.js'
import {type Fault, type RecordedRequest, SandboxService} from './service.js'
import {type InstallationState, loadInstallationState, seededInstallations} from './state.js'

export type SandboxHop = 'erp' | 'cms' | 'app' | 'webshop'

/** One installation of the sandbox: its state, its servers and the credentials that reach them. */
export interface SandboxInstallation {
  id: string
  state: InstallationState
  jobs: PlatformJobs
  services: Record<SandboxHop, SandboxService>
  tokens: PlatformTokens
  /** A profile that points at this installation; `role` picks the platform token. */
  profile(role?: 'admin' | 'support'): Profile
}

export interface Sandbox {
  installations: Map<string, SandboxInstallation>
  installation(id: string): SandboxInstallation
  /** Every request the sandbox received, oldest first, optionally for one hop of one installation. */
  requests(installationId?: string, hop?: SandboxHop): RecordedRequest[]
  setFault(installationId: string, hop: SandboxHop, fault: Fault | null): Promise<void>
  /** Puts a hop's clock (its HTTP Date header) this far from the real time. */
  setClockOffset(installationId: string, hop: SandboxHop, offsetMs: number): void
  stop(): Promise<void>
}

function newToken(kind: string): string {
  const token = `sbx-${kind}-${randomBytes(12).toString('base64url')}`
  registerSecret(token)
  return token
}

async function startInstallation(id: string, now: Date): Promise<SandboxInstallation> {
  const state = loadInstallationState(id, now)
  registerSecret(state.businessCentral.clientSecret)
  const tokens: PlatformTokens = {admin: newToken('admin'), support: newToken('support')}
  const jobs = new PlatformJobs()
  const services: Record<SandboxHop, SandboxService> = {
    app: new SandboxService('app', appHandler(state, tokens, jobs)),
    cms: new SandboxService('cms', cmsHandler(state, tokens, jobs)),
    erp: new SandboxService('erp', businessCentralHandler(state.businessCentral, () => services.erp.url)),
    webshop: new SandboxService('webshop', webshopHandler(state, tokens, jobs)),
  }
  await Promise.all(Object.values(services).map((service) => service.start(0)))
  const bc = state.businessCentral
  return {
    id,
    jobs,
    profile: (role = 'admin') => ({
      app: {token: tokens[role], url: services.app.url},
      cms: {token: tokens[role], url: services.cms.url},
      erp: {
        clientId: bc.clientId,
        clientSecret: bc.clientSecret,
        companyId: bc.companyId,
        environment: bc.environment,
        system: 'businesscentral',
        tenant: bc.tenant,
        tokenUrl: `${services.erp.url}/${bc.tenant}/oauth2/v2.0/token`,
        url: services.erp.url,
      },
      installation: id,
      name: `sandbox-${id}`,
      webshop: {token: tokens[role], url: services.webshop.url},
    }),
    services,
    state,
    tokens,
  }
}

/** Starts the sandbox: every seeded installation (or the ones named), each with its own servers on 127.0.0.1. */
export async function startSandbox(options: {installations?: string[]; now?: Date} = {}): Promise<Sandbox> {
  const ids = options.installations ?? seededInstallations()
  const unknown = ids.filter((id) => !seededInstallations().includes(id))
  if (unknown.length > 0) throw new Error(`the sandbox has no installation ${unknown.join(', ')} (it has: ${seededInstallations().join(', ')})`)
  const now = options.now ?? new Date()
  const started = await Promise.all(ids.map((id) => startInstallation(id, now)))
  const installations = new Map(started.map((installation) => [installation.id, installation]))
  const installation = (id: string) => {
    const found = installations.get(id)
    if (!found) throw new Error(`the sandbox was not started with installation ${id}`)
    return found
  }
  return {
    installation,
    installations,
    requests: (installationId, hop) =>
      [...installations.values()]
        .filter((entry) => !installationId || entry.id === installationId)
        .flatMap((entry) => Object.entries(entry.services).filter(([name]) => !hop || name === hop).flatMap(([, service]) => service.requests))
        .sort((a, b) => a.at.localeCompare(b.at)),
    setClockOffset: (installationId, hop, offsetMs) => {
      installation(installationId).services[hop].clockOffsetMs = offsetMs
    },
    setFault: (installationId, hop, fault) => installation(installationId).services[hop].setFault(fault),
    stop: async () => {
      for (const entry of installations.values()) entry.jobs.timers.clear()
      await Promise.all([...installations.values()].flatMap((entry) => Object.values(entry.services).map((service) => service.stop())))
    },
  }
}
