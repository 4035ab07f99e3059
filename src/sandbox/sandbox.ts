import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {Profile} from '../config/profile.js'
import {registerSecret} from '../http/redact.js'
import {removeUnlistedExports, writeExportFiles} from './export-files.js'
import {type SandboxFileServers, startFileServers} from './file-server.js'
import {appHandler} from './platform/app.js'
import {cmsHandler} from './platform/cms.js'
import {PlatformJobs, type PlatformTokens} from './platform/service.js'
import {webshopHandler} from './platform/webshop.js'
import {type Fault, type RecordedRequest, SandboxService} from '../emulation/service.js'
import {loadEmulators} from './erp/registry.js'
import {type SandboxHelpdesks, startHelpdesks} from './helpdesk/helpdesks.js'
import {resolveTimeScale} from './job-timers.js'
import {loadInstallationState, seededInstallations} from './load.js'
import {type FileProtocol, type HttpHop, profileOf} from './sandbox-profile.js'
import type {SharedPlatform} from './shared-platform.js'
import type {ExportsState, InstallationState} from './state.js'

export type SandboxHop = 'erp' | 'ftp' | 'cms' | 'app' | 'webshop'
export type {FileProtocol} from './sandbox-profile.js'

/** One installation of the sandbox: its state, its servers and the credentials that reach them. */
export interface SandboxInstallation {
  id: string
  state: InstallationState
  jobs: PlatformJobs
  /** The HTTP servers: the ERP (direct installations only), the CMS, the app backend, the webshop. */
  services: Partial<Record<HttpHop, SandboxService>>
  /** The FTP/FTPS and SFTP servers of an ftp installation. */
  fileServers: SandboxFileServers | null
  /** The folder the file servers serve. */
  folder: string | null
  tokens: PlatformTokens
  /** A profile that points at this installation; `role` picks the platform token, `protocol` the file server. */
  profile(role?: 'admin' | 'support', protocol?: FileProtocol): Profile
  /**
   * Serves another state of the same kind of installation from the running servers (the ERP's and file
   * server's credentials stay those of the running servers; running jobs are dropped).
   */
  replaceState(next: InstallationState): Promise<void>
  /** Sets or clears a fault on one hop of this installation. */
  setFault(hop: SandboxHop, fault: Fault | null): Promise<void>
  stop(): Promise<void>
}

/** With the emulated helpdesks (Zendesk, Freshdesk, Jira Service Management) every installation shares. */
export interface Sandbox extends Omit<SandboxHelpdesks, 'stop'> {
  installations: Map<string, SandboxInstallation>
  installation(id: string): SandboxInstallation
  /** Every request the sandbox's HTTP servers received, oldest first, optionally for one hop of one installation. */
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

/** The ERP's HTTP server of a direct installation, its emulator's handler; none for ftp. */
function erpService(state: InstallationState): SandboxService | undefined {
  const emulated = state.erp
  if (emulated) {
    for (const secret of emulated.emulator.secrets(emulated.state)) registerSecret(secret)
    const erp: SandboxService = new SandboxService(
      'erp',
      emulated.emulator.handler(emulated.state, (): string => erp.url),
    )
    return erp
  }
  return undefined
}

const timeZoneOf = (state: InstallationState) => (state.installation.autoSync as {timezone: string}).timezone

/** The export files of an ftp installation in a new folder, served by FTP/FTPS and SFTP servers. */
async function startExports(
  state: InstallationState,
  exportsState: ExportsState,
): Promise<{folder: string; fileServers: SandboxFileServers}> {
  registerSecret(exportsState.password)
  const folder = mkdtempSync(join(tmpdir(), `synctrace-sandbox-${state.id}-`))
  await writeExportFiles(folder, exportsState, timeZoneOf(state), state.cms.orders)
  exportsState.root = folder
  removeUnlistedExports(folder, exportsState)
  const fileServers = await startFileServers(folder, {password: exportsState.password, user: exportsState.user})
  state.installation.ftp = {url: `sftp://127.0.0.1:${fileServers.sftpPort}/${exportsState.baseFolder}`}
  return {fileServers, folder}
}

/** The running parts of one installation that a new state must fit. */
interface Running {
  state: InstallationState
  jobs: PlatformJobs
  folder: string | null
}

/**
 * Serves another state from the running servers: the handlers hold the running objects, so they are
 * changed in place, keeping the credentials the servers check.
 */
async function replaceState(running: Running, next: InstallationState): Promise<void> {
  const {folder, jobs, state} = running
  const {erp: emulated, exports: exportsState, id} = state
  jobs.timers.clear()
  if (Boolean(next.exports) !== Boolean(exportsState) || next.erp?.emulator !== emulated?.emulator)
    throw new Error(`installation ${id}: the new state is of another kind of installation`)
  if (emulated && next.erp) {
    emulated.emulator.keepCredentials(emulated.state, next.erp.state)
    for (const secret of emulated.emulator.secrets(next.erp.state)) registerSecret(secret)
    Object.assign(emulated.state as object, next.erp.state)
    next.erp = emulated
  }
  if (exportsState && next.exports && folder) {
    const {baseFolder, password, user} = exportsState
    // Optional fields of the old state must not outlive it (the file names its settings gave, its price export).
    Object.assign(exportsState, {fileNames: undefined, prices: undefined}, next.exports, {
      baseFolder,
      password,
      root: folder,
      user,
    })
    next.exports = exportsState
    rmSync(join(folder, baseFolder), {force: true, recursive: true})
    await writeExportFiles(folder, exportsState, timeZoneOf(next), next.cms.orders)
    removeUnlistedExports(folder, exportsState)
  }
  const ftpUrl = state.installation.ftp
  Object.assign(state, next, {id})
  if (exportsState) state.installation = {...state.installation, ftp: ftpUrl}
}

/**
 * The CMS, app backend and webshop of an installation: its own servers, or on a shared platform (a fleet)
 * its handlers under its id on the shared servers (then none of its own).
 */
function platformServices(
  state: InstallationState,
  tokens: PlatformTokens,
  jobs: PlatformJobs,
  shared: SharedPlatform | undefined,
): Partial<Record<HttpHop, SandboxService>> {
  const platform = {
    app: appHandler(state, tokens, jobs),
    cms: cmsHandler(state, tokens, jobs),
    webshop: webshopHandler(state, tokens, jobs),
  }
  shared?.register(state.id, platform)
  if (shared) return {}
  return {
    app: new SandboxService('app', platform.app),
    cms: new SandboxService('cms', platform.cms),
    webshop: new SandboxService('webshop', platform.webshop),
  }
}

/**
 * Starts the servers of one installation: a seeded one by its id, or a state prepared elsewhere (the
 * history player builds one by playing a timeline through the platform's processes). `timeScale`
 * multiplies the time its jobs take (default 1, the user's pace).
 */
export async function startInstallation(
  source: string | InstallationState,
  now: Date = new Date(),
  timeScale = 1,
  shared?: SharedPlatform,
): Promise<SandboxInstallation> {
  await loadEmulators()
  const state = typeof source === 'string' ? loadInstallationState(source, now) : source
  const id = state.id
  const tokens: PlatformTokens = {admin: newToken('admin'), support: newToken('support')}
  const jobs = new PlatformJobs(timeScale)
  const services = platformServices(state, tokens, jobs, shared)
  const erp = erpService(state)
  if (erp) services.erp = erp
  const {fileServers, folder} = state.exports
    ? await startExports(state, state.exports)
    : {fileServers: null, folder: null}
  // An emulated ERP's profile keeps its secrets in a private secrets file of the sandbox's, as `profile add
  // --store-secrets` would: a secret the connector rotates (a refresh token) is written back there.
  const erpSecrets = state.erp ? mkdtempSync(join(tmpdir(), `synctrace-sandbox-${id}-erp-`)) : null
  await Promise.all(Object.values(services).map((service) => service.start(0)))
  const url = (hop: HttpHop) => (shared && hop !== 'erp' ? shared.url(hop, id) : (services[hop] as SandboxService).url)
  const setFault = async (hop: SandboxHop, fault: Fault | null) => {
    if (hop === 'ftp') {
      if (!fileServers) throw new Error(`installation ${id} has no file server`)
      return fileServers.setFault(fault)
    }
    if (shared && hop !== 'erp') return shared.setFault(id, hop, fault)
    const service = services[hop]
    if (!service) throw new Error(`installation ${id} has no ${hop} server`)
    return service.setFault(fault)
  }
  return {
    fileServers,
    folder,
    id,
    jobs,
    profile: (role = 'admin', protocol = 'sftp') =>
      profileOf(state, tokens, url, fileServers, erpSecrets, role, protocol),
    replaceState: (next) => replaceState({folder, jobs, state}, next),
    services,
    setFault,
    state,
    stop: async () => {
      jobs.timers.clear()
      shared?.unregister(id)
      await Promise.all([
        ...Object.values(services).map((server) => (server as SandboxService).stop()),
        fileServers?.stop() ?? Promise.resolve(),
      ])
      if (folder) rmSync(folder, {force: true, recursive: true})
      if (erpSecrets) rmSync(erpSecrets, {force: true, recursive: true})
    },
    tokens,
  }
}

export interface SandboxOptions {
  /** The seeded installations to start; default all. */
  installations?: string[]
  now?: Date
  /**
   * Multiplies the time every job, device refresh and republish takes: 0.01 makes them a hundred times
   * faster (a test knob). Default `SYNCTRACE_SANDBOX_TIME_SCALE`, else 1: the pace a user sees.
   */
  timeScale?: number
  /** Start the helpdesk emulators (default true). */
  helpdesks?: boolean
}

/** Starts the sandbox: every seeded installation (or the ones named), each with its own servers on 127.0.0.1. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const ids = options.installations ?? seededInstallations()
  const unknown = ids.filter((id) => !seededInstallations().includes(id))
  if (unknown.length > 0)
    throw new Error(
      `the sandbox has no installation ${unknown.join(', ')} (it has: ${seededInstallations().join(', ')})`,
    )
  const now = options.now ?? new Date()
  const timeScale = resolveTimeScale(options.timeScale)
  const started = await Promise.all(ids.map((id) => startInstallation(id, now, timeScale)))
  const desks = await startHelpdesks(options.helpdesks !== false)
  const installations = new Map(started.map((installation) => [installation.id, installation]))
  const installation = (id: string) => {
    const found = installations.get(id)
    if (!found) throw new Error(`the sandbox was not started with installation ${id}`)
    return found
  }
  const service = (id: string, hop: SandboxHop) => {
    const found = hop === 'ftp' ? undefined : installation(id).services[hop]
    if (!found) throw new Error(`installation ${id} has no ${hop} server`)
    return found
  }
  return {
    helpdesk: desks.helpdesk,
    helpdesks: desks.helpdesks,
    installation,
    installations,
    requests: (installationId, hop) =>
      [...installations.values()]
        .filter((entry) => !installationId || entry.id === installationId)
        .flatMap((entry) =>
          Object.entries(entry.services)
            .filter(([name]) => !hop || name === hop)
            .flatMap(([, server]) => (server as SandboxService).requests),
        )
        .sort((a, b) => a.at.localeCompare(b.at)),
    setClockOffset: (installationId, hop, offsetMs) => {
      service(installationId, hop).clockOffsetMs = offsetMs
    },
    setFault: (installationId, hop, fault) => installation(installationId).setFault(hop, fault),
    stop: async () => {
      await Promise.all([...[...installations.values()].map((entry) => entry.stop()), desks.stop()])
    },
  }
}
