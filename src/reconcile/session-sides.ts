import type {SyncRun} from '../connectors/platform/types.js'
import type {FtpSettings} from '../connectors/ftp/connector.js'
import {readByCmsOf} from '../connectors/ftp/source-file.js'
import {UserError} from '../util/errors.js'
import type {RunScope} from './session-scope.js'
import {todayIn} from '../entities/price/observe.js'
import {installationTimeZone} from '../util/time.js'
import {cmsCustomerPriceSide, webshopCustomerPriceSide} from './customer-price-sides.js'
import {appPriceSide, cmsPriceSide, erpPriceSide, exportPriceSide} from './price-sides.js'
import {erpSide, exportSide, platformSide, type Side} from './sides.js'
import type {ReconcileEntity} from './types.js'

/** Both sides of the pair; the CMS's side is one lister whichever end of the pair it is. */
export function openSides(scope: RunScope, runs: SyncRun[]): {upstream: Side; downstream: Side} {
  if (scope.request.entity === 'prices') return openPriceSides(scope, runs)
  const {http, request} = scope
  const [upHop, downHop] = scope.between.split(',') as [string, string]
  const cmsSide = platformSide(http, request.profile.cms, 'cms', request.entity as ReconcileEntity, request.pageSize)
  const upstream = upHop === 'erp' ? erpUpstream(scope) : upHop === 'ftp' ? exportUpstream(scope, runs) : cmsSide
  const downstream =
    downHop === 'cms'
      ? cmsSide
      : platformSide(
          http,
          downHop === 'app' ? request.profile.app : request.profile.webshop,
          downHop as 'app' | 'webshop',
          request.entity as ReconcileEntity,
          request.pageSize,
        )
  return {downstream, upstream}
}

function noErpApi({installation}: RunScope): void {
  if (installation.connection === 'ftp')
    throw new UserError(
      `Installation ${installation.id} reaches its ERP through export files: there is no ERP API to list.`,
      `Use --between ftp,cms (the export files against the CMS).`,
    )
}

function erpUpstream(scope: RunScope): Side {
  const {clients, request} = scope
  noErpApi(scope)
  const entity = request.entity as ReconcileEntity
  const side = clients.erp ? erpSide(clients.erp, entity) : null
  if (!side)
    throw new UserError(
      `The profile ${request.profile.name} gives no ERP API access that can list ${request.entity}.`,
      'Add the ERP section to the profile (synctrace profile add), or reconcile another pair: --between cms,app or cms,webshop.',
    )
  return side
}

/** The file server's settings, the files the CMS's last run of the entity read among them. */
function ftpSettings({clients, installation, request}: RunScope, runs: SyncRun[]): FtpSettings {
  if (installation.connection !== 'ftp')
    throw new UserError(
      `Installation ${installation.id} is connected directly to its ERP: it has no export files.`,
      'Use --between erp,cms.',
    )
  const url = clients.ftp?.url ?? installation.ftpUrl
  if (!clients.ftp || !url)
    throw new UserError(
      `The profile ${request.profile.name} gives no file-server access.`,
      'Add the ftp section (user, password) to the profile, or reconcile --between cms,app or cms,webshop.',
    )
  // The file the CMS's last run read (its sourceFile) unless the profile names the files: never the layout's default instead.
  const readByCms = {[request.entity]: readByCmsOf(runs, request.entity)}
  return {...clients.ftp, erpSystem: installation.erpSystem ?? null, readByCms, remainingMs: undefined, url}
}

function exportUpstream(scope: RunScope, runs: SyncRun[]): Side {
  const {folder, installation, request} = scope
  return exportSide(
    ftpSettings(scope, runs),
    request.entity as ReconcileEntity,
    installation.autoSync?.timezone ?? 'UTC',
    folder,
  )
}

/** prices: the ERP's `listRows()`, the price export, the CMS's lists, the app's published rows. */
function openPriceSides(scope: RunScope, runs: SyncRun[]): {upstream: Side; downstream: Side} {
  const {http, installation, request} = scope
  const [upHop, downHop] = scope.between.split(',') as [string, string]
  if (downHop === 'webshop') {
    const date = todayIn(installationTimeZone(installation), new Date())
    return {
      downstream: webshopCustomerPriceSide(http, request.profile.webshop, request.pageSize),
      upstream: cmsCustomerPriceSide(http, scope.clients, request.profile.webshop, date, request.pageSize),
    }
  }
  const cms = cmsPriceSide(http, request.profile.cms, request.pageSize)
  if (downHop === 'app')
    return {downstream: appPriceSide(http, request.profile.cms, request.profile.app, request.pageSize), upstream: cms}
  if (upHop === 'ftp')
    return {
      downstream: cms,
      upstream: exportPriceSide(ftpSettings(scope, runs), installation.autoSync?.timezone ?? 'UTC'),
    }
  noErpApi(scope)
  const side = scope.clients.erp ? erpPriceSide(scope.clients.erp) : null
  if (!side)
    throw new UserError(
      `${scope.clients.erp?.displayName ?? `The profile ${request.profile.name}`} cannot list prices: ${scope.clients.erp ? 'its API (as synctrace reads it) gives no price rows to list' : 'the profile gives no ERP API access'}.`,
      'Reconcile another pair (--between cms,app), or trace one price: synctrace trace price <customer> <item>.',
    )
  return {downstream: cms, upstream: side}
}
