import type {SyncRun} from '../connectors/platform/types.js'
import {readByCmsOf} from '../connectors/ftp/source-file.js'
import {UserError} from '../util/errors.js'
import type {RunScope} from './session-scope.js'
import {erpSide, exportSide, platformSide, type Side} from './sides.js'

/** Both sides of the pair; the CMS's side is one lister whichever end of the pair it is. */
export function openSides(scope: RunScope, runs: SyncRun[]): {upstream: Side; downstream: Side} {
  const {http, request} = scope
  const [upHop, downHop] = scope.between.split(',') as [string, string]
  const cmsSide = platformSide(http, request.profile.cms, 'cms', request.entity, request.pageSize)
  const upstream = upHop === 'erp' ? erpUpstream(scope) : upHop === 'ftp' ? exportUpstream(scope, runs) : cmsSide
  const downstream =
    downHop === 'cms'
      ? cmsSide
      : platformSide(
          http,
          downHop === 'app' ? request.profile.app : request.profile.webshop,
          downHop as 'app' | 'webshop',
          request.entity,
          request.pageSize,
        )
  return {downstream, upstream}
}

function erpUpstream({clients, installation, request}: RunScope): Side {
  if (installation.connection === 'ftp')
    throw new UserError(
      `Installation ${installation.id} reaches its ERP through export files: there is no ERP API to list.`,
      `Use --between ftp,cms (the export files against the CMS).`,
    )
  const side = clients.erp ? erpSide(clients.erp, request.entity) : null
  if (!side)
    throw new UserError(
      `The profile ${request.profile.name} gives no ERP API access that can list ${request.entity}.`,
      'Add the ERP section to the profile (synctrace profile add), or reconcile another pair: --between cms,app or cms,webshop.',
    )
  return side
}

function exportUpstream({clients, folder, installation, request}: RunScope, runs: SyncRun[]): Side {
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
  return exportSide(
    {...clients.ftp, erpSystem: installation.erpSystem ?? null, readByCms, remainingMs: undefined, url},
    request.entity,
    installation.autoSync?.timezone ?? 'UTC',
    folder,
  )
}
