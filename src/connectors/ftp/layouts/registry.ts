import {genericLayout} from './generic.js'
import {monitorLayout} from './monitor.js'
import type {FtpLayout} from './types.js'
import {winbasLayout} from './winbas.js'

/** The file layouts synctrace reads, one line per layout. */
export const ftpLayouts: readonly FtpLayout[] = [genericLayout, winbasLayout, monitorLayout]

/**
 * The layout of an installation: the profile's `ftp.layout`, else the one of the ERP the CMS reports
 * (`winbas`, `monitor`), else the generic layout.
 */
export function ftpLayoutFor(profileLayout: string | undefined, erpSystem: string | null | undefined): FtpLayout {
  const byId = (id: string | null | undefined) => ftpLayouts.find((layout) => layout.id === id)
  return byId(profileLayout) ?? byId(erpSystem) ?? genericLayout
}
