import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {Profile} from '../config/profile.js'
import {registerSecret} from '../http/redact.js'
import {businessCentralHandler} from './businesscentral.js'
import {layoutExportFileNames, writeExportFiles} from './export-files.js'
import {fortnoxHandler} from './fortnox.js'
import {type SandboxFileServers, startFileServers} from './file-server.js'
import {appHandler, cmsHandler, PlatformJobs, type PlatformTokens, webshopHandler} from './platform.js'
import {type Fault, type RecordedRequest, SandboxService} from './service.js'
import {type ExportsState, type InstallationState, loadInstallationState, seededInstallations} from './state.js'

export type SandboxHop = 'erp' | 'ftp' | 'cms' | 'app' | 'webshop'
type HttpHop = 'erp' | 'cms' | 'app' | 'webshop'
export type FileProtocol = 'ftp' | 'ftps' | 'sftp'

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

export interface Sandbox {
  installations: Map<string, SandboxInstallation>
  installation(id: string): SandboxInstallation
  /** Every request the sandbox's HTTP servers received, oldest first, optionally for one hop of one installation. */
  requests(installationId?: string, hop?: SandboxHop): RecordedRequest[]
  setFault(installationId: string, hop: SandboxHop, fault: Fault | null): Promise<void>
  /** Puts a hop's clock (its HTTP Date header) this far from the real time. */
  setClockOffset(installationId: string, hop: SandboxHop, offsetMs: number): void
  stop(): Promise<void>
}

/** An export file the state does not list (the ERP never wrote it) is not on the file server. */
function removeUnlistedExports(folder: string, exportsState: ExportsState): void {
  for (const name of layoutExportFileNames) if (!exportsState.files[name]) rmSync(join(folder, exportsState.baseFolder, name), {force: true})
}

function newToken(kind: string): string {
  const token = `sbx-${kind}-${randomBytes(12).toString('base64url')}`
  registerSecret(token)
  return token
}

/**
 * Starts the servers of one installation: a seeded one by its id, or a state prepared elsewhere (the
 * history player builds one by playing a timeline through the platform's processes).
 */
export async function startInstallation(source: string | InstallationState, now: Date = new Date()): Promise<SandboxInstallation> {
  const state = typeof source === 'string' ? loadInstallationState(source, now) : source
  const id = state.id
  const tokens: PlatformTokens = {admin: newToken('admin'), support: newToken('support')}
  const jobs = new PlatformJobs()
  const services: Partial<Record<HttpHop, SandboxService>> = {
    app: new SandboxService('app', appHandler(state, tokens, jobs)),
    cms: new SandboxService('cms', cmsHandler(state, tokens, jobs)),
    webshop: new SandboxService('webshop', webshopHandler(state, tokens, jobs)),
  }
  const bc = state.businessCentral
  if (bc) {
    registerSecret(bc.clientSecret)
    const erp: SandboxService = new SandboxService('erp', businessCentralHandler(bc, (): string => erp.url))
    services.erp = erp
  }
  const fortnox = state.fortnox
  if (fortnox) {
    registerSecret(fortnox.token)
    services.erp = new SandboxService('erp', fortnoxHandler(fortnox))
  }
  const emulated = state.erp
  if (emulated) {
    for (const secret of emulated.emulator.secrets(emulated.state)) registerSecret(secret)
    const erp: SandboxService = new SandboxService('erp', emulated.emulator.handler(emulated.state, (): string => erp.url))
    services.erp = erp
  }
  let fileServers: SandboxFileServers | null = null
  let folder: string | null = null
  const exportsState = state.exports
  if (exportsState) {
    registerSecret(exportsState.password)
    folder = mkdtempSync(join(tmpdir(), `synctrace-sandbox-${id}-`))
    await writeExportFiles(folder, exportsState, (state.installation.autoSync as {timezone: string}).timezone, state.cms.orders)
    exportsState.root = folder
    removeUnlistedExports(folder, exportsState)
    fileServers = await startFileServers(folder, {password: exportsState.password, user: exportsState.user})
    state.installation.ftp = {url: `sftp://127.0.0.1:${fileServers.sftpPort}/${exportsState.baseFolder}`}
  }
  await Promise.all(Object.values(services).map((service) => service.start(0)))
  const url = (hop: HttpHop) => (services[hop] as SandboxService).url
  const setFault = async (hop: SandboxHop, fault: Fault | null) => {
    if (hop === 'ftp') {
      if (!fileServers) throw new Error(`installation ${id} has no file server`)
      return fileServers.setFault(fault)
    }
    const service = services[hop]
    if (!service) throw new Error(`installation ${id} has no ${hop} server`)
    return service.setFault(fault)
  }
  const replaceState = async (next: InstallationState) => {
    jobs.timers.clear()
    if (Boolean(next.businessCentral) !== Boolean(bc) || Boolean(next.fortnox) !== Boolean(fortnox) || Boolean(next.exports) !== Boolean(exportsState) || next.erp?.emulator !== emulated?.emulator)
      throw new Error(`installation ${id}: the new state is of another kind of installation`)
    // The handlers hold these objects: change them in place, keeping the credentials the servers check.
    if (bc && next.businessCentral) {
      const {clientId, clientSecret, companyId, environment, tenant} = bc
      Object.assign(bc, next.businessCentral, {clientId, clientSecret, companyId, environment, tenant})
      next.businessCentral = bc
    }
    if (fortnox && next.fortnox) {
      registerSecret(next.fortnox.token)
      Object.assign(fortnox, next.fortnox)
      next.fortnox = fortnox
    }
    if (emulated && next.erp) {
      // The handler holds the running state object: keep it, with the new records and the running credentials.
      emulated.emulator.keepCredentials(emulated.state, next.erp.state)
      for (const secret of emulated.emulator.secrets(next.erp.state)) registerSecret(secret)
      Object.assign(emulated.state as object, next.erp.state)
      next.erp = emulated
    }
    if (exportsState && next.exports && folder) {
      const {baseFolder, password, user} = exportsState
      Object.assign(exportsState, next.exports, {baseFolder, password, root: folder, user})
      next.exports = exportsState
      rmSync(join(folder, baseFolder), {force: true, recursive: true})
      await writeExportFiles(folder, exportsState, (next.installation.autoSync as {timezone: string}).timezone, next.cms.orders)
      removeUnlistedExports(folder, exportsState)
    }
    const ftpUrl = state.installation.ftp
    Object.assign(state, next, {id})
    if (exportsState) state.installation = {...state.installation, ftp: ftpUrl}
  }
  return {
    fileServers,
    folder,
    id,
    jobs,
    profile: (role = 'admin', protocol = 'sftp') => {
      const profile: Profile = {
        app: {token: tokens[role], url: url('app')},
        cms: {token: tokens[role], url: url('cms')},
        installation: id,
        name: `sandbox-${id}`,
        webshop: {token: tokens[role], url: url('webshop')},
      }
      if (bc)
        profile.erp = {
          clientId: bc.clientId,
          clientSecret: bc.clientSecret,
          companyId: bc.companyId,
          environment: bc.environment,
          system: 'businesscentral',
          tenant: bc.tenant,
          tokenUrl: `${url('erp')}/${bc.tenant}/oauth2/v2.0/token`,
          url: url('erp'),
        }
      if (fortnox) profile.erp = {system: 'fortnox', token: fortnox.token, url: url('erp')}
      if (emulated) profile.erp = emulated.emulator.profile(emulated.state, url('erp'))
      if (fileServers && exportsState)
        profile.ftp = {
          password: exportsState.password,
          url: `${protocol}://127.0.0.1:${protocol === 'sftp' ? fileServers.sftpPort : fileServers.ftpPort}/${exportsState.baseFolder}`,
          user: exportsState.user,
          ...(protocol === 'ftps' ? {caCert: fileServers.caCert} : {}),
          ...(protocol === 'sftp' ? {hostKeySha256: fileServers.hostKeySha256} : {}),
          ...(exportsState.layoutInProfile ? {layout: exportsState.layout} : {}),
        }
      return profile
    },
    replaceState,
    services,
    setFault,
    state,
    stop: async () => {
      jobs.timers.clear()
      await Promise.all([...Object.values(services).map((server) => (server as SandboxService).stop()), fileServers?.stop() ?? Promise.resolve()])
      if (folder) rmSync(folder, {force: true, recursive: true})
    },
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
  const service = (id: string, hop: SandboxHop) => {
    const found = hop === 'ftp' ? undefined : installation(id).services[hop]
    if (!found) throw new Error(`installation ${id} has no ${hop} server`)
    return found
  }
  return {
    installation,
    installations,
    requests: (installationId, hop) =>
      [...installations.values()]
        .filter((entry) => !installationId || entry.id === installationId)
        .flatMap((entry) => Object.entries(entry.services).filter(([name]) => !hop || name === hop).flatMap(([, server]) => (server as SandboxService).requests))
        .sort((a, b) => a.at.localeCompare(b.at)),
    setClockOffset: (installationId, hop, offsetMs) => {
      service(installationId, hop).clockOffsetMs = offsetMs
    },
    setFault: (installationId, hop, fault) => installation(installationId).setFault(hop, fault),
    stop: async () => {
      await Promise.all([...installations.values()].map((entry) => entry.stop()))
    },
  }
}
