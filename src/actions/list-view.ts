import type {ListVerification} from './types.js'
import {formatInZone} from '../util/time.js'

/** A list's line in the command's result, its time in `timeZone`. */
export function listLine(list: ListVerification, timeZone: string): string {
  const at = list.syncedAt ? formatInZone(new Date(list.syncedAt), timeZone) : 'an unknown time'
  const said = list.reason ? ` (${list.reason})` : ''
  if (!list.found) return `  list ${list.priceListCode}: the CMS has no such price list after the run${said}  ✘`
  if (list.active === false)
    return `  list ${list.priceListCode}: deactivated: the run did not find it in the ERP or the export${said}  ✘`
  return `  list ${list.priceListCode}: active at the CMS (its copy last changed ${at})${said}  ✔`
}
