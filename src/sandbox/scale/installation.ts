import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {Profile} from '../../config/profile.js'
import {SandboxService} from '../../emulation/service.js'
import {registerSecret} from '../../http/redact.js'
import {type SandboxFileServers, startFileServers} from '../file-server.js'
import {resolveTimeScale} from '../job-timers.js'
import {businessCentralService} from '../erp/businesscentral/emulator-handler.js'
import {businessCentralProfile, stableGuid} from '../erp/businesscentral/emulator-records.js'
import {appService} from '../platform/app.js'
import {cmsService} from '../platform/cms.js'
import {PlatformJobs, type PlatformTokens} from '../platform/service.js'
import {webshopService} from '../platform/webshop.js'
import {type ScaleBusinessCentral, scaleCollections, scaleCompany} from './business-central.js'
import {writeScaleExports} from './exports.js'
import {ScaleModel} from './model.js'
import {type PlantedCounts, plantedCounts} from './planted.js'
import {scalePlatform} from './platform.js'
import {type PlantedPriceCounts, plantedPriceCounts} from './price-planted.js'
import {scalePriceCollections, writeScalePriceExport} from './price-sources.js'
import {scaleSource} from './source.js'

/**
 * The sandbox at scale (`--sandbox --scale N`, `synctrace sandbox --scale N`): an installation with N
 * customers and N items per hop, generated from their index on the fly (nothing but the changes a job
 * makes is held in memory), served by the same emulators as the seeded sandbox (the platform's services in
 * src/sandbox/platform, Business Central's in src/sandbox/erp/businesscentral) over record stores, with a known set of planted differences of every class. `scale` is a direct
 * Business Central installation (erp,cms), `scale-ftp` reads export files from an FTP/SFTP server
 * (ftp,cms); both have the CMS, the app backend and the webshop (cms,app and cms,webshop). The list
 * endpoints page as the real ones: the platform's `limit`/`after`/`next`, Business Central's
 * `@odata.nextLink` with `Prefer: odata.maxpagesize`.
 */

export const scaleInstallations = ['scale', 'scale-ftp']

export interface ScaleInstallation {
  id: string
  model: ScaleModel
  services: Record<string, SandboxService>
  fileServers: SandboxFileServers | null
  tokens: PlatformTokens
  planted: PlantedCounts
  /** The planted price classes per pair of hops (`price-planted.ts`). */
  plantedPrices: PlantedPriceCounts
  profile(role?: 'admin' | 'support'): Profile
  stop(): Promise<void>
}

const ftpUser = 'scale'

/** The profile of a scale installation's servers, with one role's platform token. */
function profileOf(running: {
  id: string
  services: Record<string, SandboxService>
  token: string
  bc: ScaleBusinessCentral
  fileServers: SandboxFileServers | null
  ftpPassword: string
}): Profile {
  const {bc, fileServers, ftpPassword, id, services, token} = running
  const url = (hop: string) => (services[hop] as SandboxService).url
  const profile: Profile = {
    app: {token, url: url('app')},
    cms: {token, url: url('cms')},
    installation: id,
    name: `sandbox-${id}`,
    webshop: {token, url: url('webshop')},
  }
  if (services.erp) profile.erp = {...businessCentralProfile(bc, services.erp.url), priceExtension: true}
  if (fileServers)
    profile.ftp = {
      hostKeySha256: fileServers.hostKeySha256,
      password: ftpPassword,
      url: `sftp://127.0.0.1:${fileServers.sftpPort}/a4s`,
      user: ftpUser,
    }
  return profile
}

/** Starts a scale installation's servers on 127.0.0.1. */
export async function startScaleInstallation(options: {
  id: string
  records: number
  now?: Date
  maxPageSize?: number
  /** Multiplies the time its jobs take; default `SYNCTRACE_SANDBOX_TIME_SCALE`, else 1. */
  timeScale?: number
}): Promise<ScaleInstallation> {
  if (!scaleInstallations.includes(options.id)) throw new Error(`no scale installation ${options.id}`)
  const model = new ScaleModel(options.id, options.records, options.now?.getTime())
  model.maxPageSize = options.maxPageSize ?? null
  const tokens = {admin: newToken('admin'), support: newToken('support')}
  const bc: ScaleBusinessCentral = {
    clientId: 'synctrace-scale',
    clientSecret: newToken('bc-secret'),
    companyId: stableGuid('scale', 'company'),
    environment: 'production',
    tenant: 'scale-tenant',
  }
  const jobs = new PlatformJobs(resolveTimeScale(options.timeScale))
  const platform = scalePlatform(model, scaleSource(model, bc.companyId))
  const services: Record<string, SandboxService> = {
    app: new SandboxService('app', appService(platform, tokens, jobs)),
    cms: new SandboxService('cms', cmsService(platform, tokens, jobs)),
    webshop: new SandboxService('webshop', webshopService(platform, tokens, jobs)),
  }
  if (options.id === 'scale')
    services.erp = new SandboxService(
      'erp',
      businessCentralService(
        scaleCompany(model, bc),
        scaleCollections(model, bc.companyId),
        () => services.erp?.url ?? '',
        scalePriceCollections(model),
      ),
    )
  const ftpPassword = options.id === 'scale-ftp' ? newToken('ftp') : ''
  const files = options.id === 'scale-ftp' ? await startExportServers(model, ftpPassword) : null
  await Promise.all(Object.values(services).map((service) => service.start(0)))
  const fileServers = files?.servers ?? null
  return {
    fileServers,
    id: options.id,
    model,
    planted: plantedCounts(options.id, options.records),
    plantedPrices: plantedPriceCounts(options.id, options.records),
    profile: (role = 'admin') =>
      profileOf({bc, fileServers, ftpPassword, id: options.id, services, token: tokens[role]}),
    services,
    stop: async () => {
      jobs.timers.clear()
      await Promise.all([
        ...Object.values(services).map((service) => service.stop()),
        fileServers?.stop() ?? Promise.resolve(),
      ])
      if (files) rmSync(files.folder, {force: true, recursive: true})
    },
    tokens,
  }
}

/** A secret of the installation, registered so that no output shows it. */
function newToken(kind: string): string {
  const value = `sbx-${kind}-${randomBytes(12).toString('base64url')}`
  registerSecret(value)
  return value
}

/** `scale-ftp`'s file servers over a temporary folder with the export files in `a4s/`. */
async function startExportServers(
  model: ScaleModel,
  password: string,
): Promise<{folder: string; servers: SandboxFileServers}> {
  const folder = mkdtempSync(join(tmpdir(), 'synctrace-scale-'))
  writeScaleExports(model, join(folder, 'a4s'))
  writeScalePriceExport(model, join(folder, 'a4s', 'pricelists.csv'))
  return {folder, servers: await startFileServers(folder, {password, user: ftpUser})}
}
