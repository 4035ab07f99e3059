import type {InstallationClients} from '../connectors/installation.js'
import type {AppDevice} from '../connectors/platform/types.js'

export interface DeviceWithUpload {
  userId: string
  name: string | null
  device: AppDevice
  upload: {kind: string; key: string; createdAt: Date | null}
}

/** Devices that report a record (an order, a customer) as created on them but not yet uploaded. */
export async function devicesWithUpload(
  clients: InstallationClients,
  kind: 'order' | 'customer',
  key: string,
  userId: string | null,
): Promise<DeviceWithUpload[]> {
  const users = userId
    ? [{name: null, userId}]
    : (await clients.app.usersOfSalesRep()).map((user) => ({name: user.name, userId: user.userId}))
  const devices = await Promise.all(
    users.map(async (user) => ({...user, devices: (await clients.app.devices(user.userId)) ?? []})),
  )
  return devices.flatMap((user) =>
    user.devices.flatMap((device) =>
      device.pendingUploads
        .filter((upload) => upload.kind === kind && upload.key === key)
        .map((upload) => ({device, name: user.name, upload, userId: user.userId})),
    ),
  )
}
