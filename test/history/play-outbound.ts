import type {InstallationState, OrderFile, OutboundFolder} from './library.js'
import type {Json} from './play-steps.js'

/** What orders and new customers share on their way out: waiting on the rep's device (u-1's iPad), and the ERP's import of their file (ftp). */

function repDevice(state: InstallationState): Json {
  return (state.app.devices.get('u-1') ?? [])[0] as Json
}

/** Created on the device: it waits there for an upload; `seenAt` is when the device was last seen. */
export function queueOnDevice(
  state: InstallationState,
  key: string,
  kind: 'customer' | 'order',
  createdAt: string,
  seenAt: string,
): void {
  const device = repDevice(state)
  ;(device.pendingUploads as Json[]).push({createdAt, key, kind})
  device.lastSeenAt = seenAt
}

export function uploadFromDevice(state: InstallationState, key: string, at: string): void {
  const device = repDevice(state)
  device.pendingUploads = (device.pendingUploads as Json[]).filter((upload) => upload.key !== key)
  device.lastSeenAt = at
}

/** ftp: the ERP's import moves the file to processed/, or to error/ with the reason it gives. */
export function importFile(
  file: OrderFile | undefined,
  folders: OutboundFolder | null,
  result: 'processed' | 'rejected',
  at: string,
  reason: string,
): void {
  if (!file || !folders) return
  Object.assign(
    file,
    result === 'processed'
      ? {folder: folders.processed, modified: at}
      : {error: reason, folder: folders.error, modified: at},
  )
}
