import {z} from 'zod'

import {addressTypeFrom, type CanonicalAddress, type CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import {
  identifier,
  optionalErrorText,
  optionalFlag,
  optionalNumber,
  optionalText,
  optionalTextList,
  optionalTime,
  text,
} from '../schema.js'

/**
 * The platform contract's answers (shared/contracts/platform-api.md) as zod schemas, each mapped to the
 * types the rest of synctrace works with. Unknown fields are ignored; a known field of the wrong kind is
 * the hop's error, naming the field.
 */

const address = z.looseObject({
  addressLine1: optionalText,
  addressLine2: optionalText,
  addressType: z.unknown(),
  city: optionalText,
  countryCode: optionalText,
  isMain: optionalFlag,
  postCode: optionalText,
})

const customerFields = {
  addresses: z.array(z.unknown()).nullish(),
  blocked: optionalFlag,
  customerCode: text,
  email: optionalText,
  isPrivate: optionalFlag,
  name: optionalText,
  phone: optionalText,
  priceListCode: optionalText,
  salesRepCodes: optionalTextList,
}

function toCanonicalCustomer(record: z.output<z.ZodObject<typeof customerFields>>): CanonicalCustomer {
  const addresses: CanonicalAddress[] = []
  for (const raw of record.addresses ?? []) {
    // Addresses of a type the contract does not know (or not objects at all) are not the customer's.
    const parsed = address.safeParse(raw)
    const type = parsed.success ? addressTypeFrom(parsed.data.addressType) : undefined
    if (!parsed.success || !type) continue
    const entry = parsed.data
    addresses.push({
      addressLine1: entry.addressLine1 ?? '',
      addressLine2: entry.addressLine2 ?? '',
      city: entry.city ?? '',
      countryCode: entry.countryCode ?? '',
      isMain: entry.isMain ?? false,
      postCode: entry.postCode ?? '',
      type,
    })
  }
  return {
    addresses: record.addresses ? addresses : null,
    blocked: record.blocked,
    code: record.customerCode,
    email: record.email,
    isPrivate: record.isPrivate,
    name: record.name,
    phone: record.phone,
    priceListCode: record.priceListCode,
    salesRepCodes: record.salesRepCodes,
  }
}

/** The platform's customer as published to the app and the webshop (`record`). */
export const platformCustomer = z.looseObject(customerFields).transform(toCanonicalCustomer)

/** The CMS's customer: the platform's shape plus where it came from and when the CMS wrote it. */
export const cmsCustomer = z
  .looseObject({...customerFields, erpModifiedAt: optionalTime, origin: z.unknown(), syncedAt: optionalTime})
  .transform((body) => ({
    customer: toCanonicalCustomer(body),
    erpModifiedAt: body.erpModifiedAt,
    origin:
      body.origin === 'app' ? ('app' as const) : body.origin === 'webshop' ? ('webshop' as const) : ('erp' as const),
    syncedAt: body.syncedAt,
  }))

const itemFields = {
  active: optionalFlag,
  currency: optionalText,
  description: optionalText,
  itemCode: text,
  price: optionalNumber,
  stock: optionalNumber,
  unit: optionalText,
  webshop: optionalFlag,
}

function toCanonicalItem(record: z.output<z.ZodObject<typeof itemFields>>): CanonicalItem {
  const {active, currency, description, itemCode, price, stock, unit, webshop} = record
  return {active, code: itemCode, currency, description, price, stock, unit, webshop}
}

/** The platform's item as published to the app (`record`). */
export const platformItem = z.looseObject(itemFields).transform(toCanonicalItem)

export const cmsItem = z
  .looseObject({...itemFields, erpModifiedAt: optionalTime, syncedAt: optionalTime})
  .transform((body) => ({
    erpModifiedAt: body.erpModifiedAt,
    item: toCanonicalItem(body),
    syncedAt: body.syncedAt,
  }))

export const cmsOrder = z
  .looseObject({
    channel: optionalText,
    createdAt: optionalTime,
    customerCode: optionalText,
    lines: z
      .array(
        z.looseObject({
          itemCode: optionalText,
          lineNo: optionalNumber,
          price: optionalNumber,
          quantity: optionalNumber,
        }),
      )
      .nullish(),
    orderDate: optionalText,
    orderNr: text,
    receivedAt: optionalTime,
    transfer: z
      .looseObject({
        attempts: optionalNumber,
        erpDocumentNumber: optionalText,
        error: optionalErrorText,
        file: optionalText,
        lastAttemptAt: optionalTime,
        status: optionalText,
      })
      .nullish(),
    yourReference: optionalText,
  })
  .transform((order) => {
    const transfer = order.transfer
    return {
      channel: order.channel ?? 'app',
      createdAt: order.createdAt,
      customerCode: order.customerCode ?? '',
      lines: (order.lines ?? []).map((line) => ({
        itemCode: line.itemCode ?? '',
        lineNo: line.lineNo ?? 0,
        price: line.price,
        quantity: line.quantity ?? 0,
      })),
      orderDate: order.orderDate,
      orderNr: order.orderNr,
      receivedAt: order.receivedAt,
      transfer: {
        attempts: transfer?.attempts ?? 0,
        erpDocumentNumber: transfer?.erpDocumentNumber ?? null,
        error: transfer?.error ?? null,
        file: transfer?.file ?? null,
        lastAttemptAt: transfer?.lastAttemptAt ?? null,
        status: transfer?.status ?? 'unknown',
      },
      yourReference: order.yourReference,
    }
  })

export const syncRun = z
  .looseObject({
    entity: optionalText,
    error: optionalErrorText,
    finishedAt: optionalTime,
    keys: optionalTextList,
    mode: optionalText,
    requestedBy: optionalText,
    runId: identifier,
    source: optionalText,
    sourceFile: optionalText,
    sourceFileModifiedAt: optionalTime,
    startedAt: optionalTime,
    status: optionalText,
  })
  .transform((run) => ({...run, entity: run.entity ?? '', mode: run.mode ?? 'auto', status: run.status ?? 'unknown'}))

export const syncRuns = z.looseObject({runs: z.array(syncRun)}).transform((body) => body.runs)

export const syncJob = z
  .looseObject({
    createdAt: optionalTime,
    entity: optionalText,
    error: optionalErrorText,
    finishedAt: optionalTime,
    jobId: identifier,
    keys: optionalTextList,
    mode: optionalText,
    progress: z.looseObject({done: optionalNumber, total: optionalNumber}).nullish(),
    requestedBy: optionalText,
    runId: optionalText,
    startedAt: optionalTime,
    status: optionalText,
  })
  .transform((job) => ({
    ...job,
    entity: job.entity ?? '',
    mode: job.mode ?? '',
    progress: job.progress ? {done: job.progress.done ?? 0, total: job.progress.total ?? 0} : null,
    status: job.status ?? 'unknown',
  }))

export const syncRecords = z
  .looseObject({
    records: z.array(
      z.looseObject({at: optionalTime, outcome: optionalText, reason: optionalText, runId: optionalText}),
    ),
  })
  .transform((body) =>
    body.records.map((record) => ({
      at: record.at,
      outcome: record.outcome ?? 'unknown',
      reason: record.reason,
      runId: record.runId ?? '',
    })),
  )

/** The job id a 409 `job_running` names, so the tool can attach to it. */
export const runningJob = z
  .looseObject({error: z.looseObject({code: z.literal('job_running'), jobId: identifier})})
  .transform((body) => body.error.jobId)

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

/** `{record, publishedAt, …}` as the app backend and the webshop answer for one published record. */
export const publishedCustomer = z.looseObject({
  accounts: z.array(z.looseObject({active: optionalFlag, login: optionalText})).nullish(),
  publishedAt: optionalTime,
  record: platformCustomer,
  visibleToUserIds: optionalTextList,
})

export const publishedItem = z.looseObject({publishedAt: optionalTime, record: platformItem})

export const webshopItem = z.looseObject({
  itemCode: text,
  price: optionalNumber,
  publishedAt: optionalTime,
  stock: optionalNumber,
  visible: optionalFlag,
})

export const webshopOrder = z.looseObject({handedToCmsAt: optionalTime, orderNr: text, placedAt: optionalTime})

export const pendingRequest = z
  .looseObject({doneAt: optionalTime, requestId: identifier, status: optionalText})
  .transform((request) => ({doneAt: request.doneAt, requestId: request.requestId, status: request.status ?? 'unknown'}))
