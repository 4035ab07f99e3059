import {addressTypeFrom, type CanonicalAddress, type CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import {plainTime} from '../plain.js'
import type {AppPublishedCustomer, CmsCustomer, CmsItem, PublishedItem, WebshopPublishedCustomer} from './types.js'

/**
 * The list endpoints answer up to a thousand records a page, a million in a run: checking each with its zod
 * schema costs more than everything else of a reconcile. These readers take the plain shape most records
 * have (strings, booleans, finite numbers, ISO times, or nothing) and map it exactly as the schemas do; any
 * record not of that plain shape returns undefined and goes to its zod schema, which accepts or names the
 * field. So what is accepted, and what it becomes, is the schemas' (test/unit/reconcile-core.test.ts checks
 * that both agree).
 */

type Raw = Record<string, unknown>

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value)
const textOrNull = (value: unknown): string | null | undefined =>
  typeof value === 'string' ? value : value === null || value === undefined ? null : undefined
const flagOrNull = (value: unknown): boolean | null | undefined =>
  typeof value === 'boolean' ? value : value === null || value === undefined ? null : undefined
const numberOrNull = (value: unknown): number | null | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : value === null || value === undefined ? null : undefined
const timeOrNull = plainTime

function textList(value: unknown): string[] | null | undefined {
  if (value === null || value === undefined) return null
  if (!Array.isArray(value)) return undefined
  for (const entry of value) if (typeof entry !== 'string') return undefined
  return value as string[]
}

/** The platform's customer (`record`, or the CMS's body) of plain shape, as `platformCustomer` maps it. */
export function plainCustomer(raw: unknown): CanonicalCustomer | undefined {
  if (!isObject(raw)) return undefined
  const code = raw.customerCode
  if (typeof code !== 'string') return undefined
  const name = textOrNull(raw.name)
  const email = textOrNull(raw.email)
  const phone = textOrNull(raw.phone)
  const priceListCode = textOrNull(raw.priceListCode)
  const isPrivate = flagOrNull(raw.isPrivate)
  const blocked = flagOrNull(raw.blocked)
  const salesRepCodes = textList(raw.salesRepCodes)
  if (
    name === undefined ||
    email === undefined ||
    phone === undefined ||
    priceListCode === undefined ||
    isPrivate === undefined ||
    blocked === undefined ||
    salesRepCodes === undefined
  )
    return undefined
  let addresses: CanonicalAddress[] | null = null
  if (raw.addresses !== null && raw.addresses !== undefined) {
    if (!Array.isArray(raw.addresses)) return undefined
    addresses = []
    for (const entry of raw.addresses) {
      if (!isObject(entry)) return undefined
      const line1 = textOrNull(entry.addressLine1)
      const line2 = textOrNull(entry.addressLine2)
      const city = textOrNull(entry.city)
      const country = textOrNull(entry.countryCode)
      const postCode = textOrNull(entry.postCode)
      const isMain = flagOrNull(entry.isMain)
      if (
        line1 === undefined ||
        line2 === undefined ||
        city === undefined ||
        country === undefined ||
        postCode === undefined ||
        isMain === undefined
      )
        return undefined
      const type = addressTypeFrom(entry.addressType)
      if (!type) continue
      addresses.push({
        addressLine1: line1 ?? '',
        addressLine2: line2 ?? '',
        city: city ?? '',
        countryCode: country ?? '',
        isMain: isMain ?? false,
        postCode: postCode ?? '',
        type,
      })
    }
  }
  return {addresses, blocked, code, email, isPrivate, name, phone, priceListCode, salesRepCodes}
}

export function plainCmsCustomer(raw: unknown): CmsCustomer | undefined {
  const customer = plainCustomer(raw)
  if (!customer) return undefined
  const body = raw as Raw
  const erpModifiedAt = timeOrNull(body.erpModifiedAt)
  const syncedAt = timeOrNull(body.syncedAt)
  if (erpModifiedAt === undefined || syncedAt === undefined) return undefined
  return {
    customer,
    erpModifiedAt,
    origin: body.origin === 'app' ? 'app' : body.origin === 'webshop' ? 'webshop' : 'erp',
    syncedAt,
  }
}

export function plainPublishedCustomer(raw: unknown): (AppPublishedCustomer & WebshopPublishedCustomer) | undefined {
  if (!isObject(raw)) return undefined
  const customer = plainCustomer(raw.record)
  const publishedAt = timeOrNull(raw.publishedAt)
  const visible = textList(raw.visibleToUserIds)
  if (!customer || publishedAt === undefined || visible === undefined) return undefined
  let accounts: Array<{login: string; active: boolean}> = []
  if (raw.accounts !== null && raw.accounts !== undefined) {
    if (!Array.isArray(raw.accounts)) return undefined
    accounts = []
    for (const account of raw.accounts) {
      if (!isObject(account)) return undefined
      const active = flagOrNull(account.active)
      const login = textOrNull(account.login)
      if (active === undefined || login === undefined) return undefined
      accounts.push({active: active ?? false, login: login ?? ''})
    }
  }
  return {accounts, customer, publishedAt, visibleToUserIds: visible ?? []}
}

function plainItem(raw: unknown): CanonicalItem | undefined {
  if (!isObject(raw) || typeof raw.itemCode !== 'string') return undefined
  const description = textOrNull(raw.description)
  const unit = textOrNull(raw.unit)
  const currency = textOrNull(raw.currency)
  const price = numberOrNull(raw.price)
  const stock = numberOrNull(raw.stock)
  const active = flagOrNull(raw.active)
  const webshop = flagOrNull(raw.webshop)
  if (
    description === undefined ||
    unit === undefined ||
    currency === undefined ||
    price === undefined ||
    stock === undefined ||
    active === undefined ||
    webshop === undefined
  )
    return undefined
  return {active, code: raw.itemCode, currency, description, price, stock, unit, webshop}
}

export function plainCmsItem(raw: unknown): CmsItem | undefined {
  const item = plainItem(raw)
  if (!item) return undefined
  const erpModifiedAt = timeOrNull((raw as Raw).erpModifiedAt)
  const syncedAt = timeOrNull((raw as Raw).syncedAt)
  if (erpModifiedAt === undefined || syncedAt === undefined) return undefined
  return {erpModifiedAt, item, syncedAt}
}

export function plainAppItem(raw: unknown): PublishedItem | undefined {
  if (!isObject(raw)) return undefined
  const item = plainItem(raw.record)
  const publishedAt = timeOrNull(raw.publishedAt)
  if (!item || publishedAt === undefined) return undefined
  return {item, publishedAt, visible: null}
}

export function plainWebshopItem(raw: unknown): PublishedItem | undefined {
  if (!isObject(raw) || typeof raw.itemCode !== 'string') return undefined
  const price = numberOrNull(raw.price)
  const stock = numberOrNull(raw.stock)
  const visible = flagOrNull(raw.visible)
  const publishedAt = timeOrNull(raw.publishedAt)
  if (price === undefined || stock === undefined || visible === undefined || publishedAt === undefined) return undefined
  return {
    item: {
      active: null,
      code: raw.itemCode,
      currency: null,
      description: null,
      price,
      stock,
      unit: null,
      webshop: null,
    },
    publishedAt,
    visible,
  }
}
