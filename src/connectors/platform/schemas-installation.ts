import {z} from 'zod'

import {identifier, optionalText, optionalTextList, optionalTime} from '../schema.js'

/** The platform contract's installation, the caller's role, and the app's users and devices (shared/contracts/platform-api.md). */
export const me = z.looseObject({role: identifier, user: identifier})

function isTimeZone(zone: string): boolean {
  if (zone.length > 64) return false
  try {
    new Intl.DateTimeFormat('en-GB', {timeZone: zone}).format(0)
    return true
  } catch {
    return false
  }
}

/**
 * `/installation`, checked before anything uses it: the schedule's time zone must be a real IANA zone, `at`
 * a wall-clock time HH:MM, `everyHours` a number of hours between 1/60 and 8760.
 */
export const installation = z
  .looseObject({
    autoSync: z
      .looseObject({
        at: z
          .string()
          .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, {message: 'is not a time HH:MM'})
          .nullish()
          .transform((value) => value ?? null),
        everyHours: z
          .union([z.number(), z.string().trim().min(1).transform(Number)])
          .nullish()
          .transform((value) => value ?? 24)
          .refine((value) => Number.isFinite(value) && value >= 1 / 60 && value <= 8760, {
            message: 'is not a number of hours between 1/60 and 8760',
          }),
        timezone: z
          .string()
          .nullish()
          .transform((value) => value ?? 'UTC')
          .refine(isTimeZone, {message: 'is not a known time zone'}),
      })
      .nullish(),
    connection: z.enum(['direct', 'ftp']),
    erp: z
      .looseObject({
        // Names are looked up in tables: one that is a property of every object ("constructor") is not a name.
        system: identifier.refine((value) => !(value in Object.prototype), {message: 'is not an ERP name'}).nullish(),
      })
      .nullish(),
    filters: z.record(z.string(), z.unknown()).nullish(),
    ftp: z.looseObject({url: identifier.nullish()}).nullish(),
    id: identifier,
    name: optionalText,
  })
  .transform((body) => ({
    autoSync: body.autoSync
      ? {at: body.autoSync.at, everyHours: body.autoSync.everyHours, timezone: body.autoSync.timezone}
      : null,
    connection: body.connection,
    erpSystem: body.erp?.system ?? 'unknown',
    filters: Object.fromEntries(
      Object.entries(body.filters ?? {}).filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean'),
    ),
    ftpUrl: body.ftp?.url ?? null,
    id: body.id,
    name: body.name ?? '',
  }))

export const appUsers = z
  .looseObject({
    users: z.array(z.looseObject({name: optionalText, salesRepCodes: optionalTextList, userId: identifier})),
  })
  .transform((body) =>
    body.users.map((user) => ({name: user.name ?? '', salesRepCodes: user.salesRepCodes ?? [], userId: user.userId})),
  )

export const appDevices = z
  .looseObject({
    devices: z.array(
      z.looseObject({
        appVersion: optionalText,
        deviceId: identifier,
        lastFullRefreshAt: optionalTime,
        lastRefreshAt: optionalTime,
        lastSeenAt: optionalTime,
        model: optionalText,
        pendingUploads: z
          .array(z.looseObject({createdAt: optionalTime, key: optionalText, kind: optionalText}))
          .nullish(),
      }),
    ),
  })
  .transform((body) =>
    body.devices.map((device) => ({
      ...device,
      pendingUploads: (device.pendingUploads ?? []).map((upload) => ({
        createdAt: upload.createdAt,
        key: upload.key ?? '',
        kind: upload.kind ?? '',
      })),
    })),
  )
