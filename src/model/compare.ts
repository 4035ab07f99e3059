import {
  type AddressType,
  type CanonicalAddress,
  type CanonicalCustomer,
  formatAddress,
  mainAddress,
  mainAddressIn,
} from './customer.js'
import {
  normalizeCodeList,
  normalizeCountry,
  normalizeEmail,
  normalizePhone,
  normalizePostCode,
  normalizeText,
} from './normalize.js'

/** One field that differs between two adjacent hops; values are shown as each hop holds them. */
export interface FieldDiff {
  /** Stable path, e.g. `addresses.Delivery.addressLine1`. */
  field: string
  upstream: string | null
  downstream: string | null
}

const addressTypes: AddressType[] = ['Invoice', 'Delivery', 'Visit']

function display(value: boolean | string | string[] | null | undefined): string | null {
  if (value === null || value === undefined) return null
  if (Array.isArray(value)) return value.join(', ')
  return String(value)
}

function customerCountry(customer: CanonicalCustomer): string {
  return mainAddress(customer, 'Invoice')?.countryCode || mainAddress(customer, 'Delivery')?.countryCode || 'SE'
}

type AddressField = keyof Omit<CanonicalAddress, 'type' | 'isMain'>
const addressFields: Array<[AddressField, (value: string) => string]> = [
  ['addressLine1', normalizeText],
  ['addressLine2', normalizeText],
  ['postCode', normalizePostCode],
  ['city', (value) => normalizeText(value).toLowerCase()],
  ['countryCode', normalizeCountry],
]

function addressKey(address: CanonicalAddress): string {
  return addressFields.map(([field, normalize]) => normalize(address[field])).join('|')
}

function compareAddresses(upstream: CanonicalAddress[], downstream: CanonicalAddress[]): FieldDiff[] {
  const diffs: FieldDiff[] = []
  for (const type of addressTypes) {
    const up = mainAddressIn(upstream, type)
    const down = mainAddressIn(downstream, type)
    if (!up && !down) continue
    if (!up || !down) {
      diffs.push({
        downstream: down ? formatAddress(down) : null,
        field: `addresses.${type}`,
        upstream: up ? formatAddress(up) : null,
      })
      continue
    }
    for (const [field, normalize] of addressFields) {
      if (up[field] !== down[field] && normalize(up[field]) !== normalize(down[field]))
        diffs.push({downstream: down[field], field: `addresses.${type}.${field}`, upstream: up[field]})
    }
    const others = (addresses: CanonicalAddress[], main: CanonicalAddress) =>
      addresses.filter((address) => address.type === type && address !== main)
    const upOthers = new Map(others(upstream, up).map((address) => [addressKey(address), address]))
    const downOthers = new Map(others(downstream, down).map((address) => [addressKey(address), address]))
    for (const [key, address] of upOthers)
      if (!downOthers.has(key))
        diffs.push({downstream: null, field: `addresses.${type}.other`, upstream: formatAddress(address)})
    for (const [key, address] of downOthers)
      if (!upOthers.has(key))
        diffs.push({downstream: formatAddress(address), field: `addresses.${type}.other`, upstream: null})
  }
  return diffs
}

/**
 * Field-by-field differences between the record at an upstream hop and the next hop down. Fields that
 * either hop does not provide (null) are not compared.
 */
export function compareCustomers(upstream: CanonicalCustomer, downstream: CanonicalCustomer): FieldDiff[] {
  const diffs: FieldDiff[] = []
  const country = customerCountry(upstream)
  const scalar = <T extends boolean | string | string[]>(
    field: string,
    up: T | null,
    down: T | null,
    normalize: (value: T) => string,
  ) => {
    if (up === null || down === null || up === down) return
    if (normalize(up) !== normalize(down)) diffs.push({downstream: display(down), field, upstream: display(up)})
  }
  scalar('name', upstream.name, downstream.name, normalizeText)
  scalar('email', upstream.email, downstream.email, normalizeEmail)
  scalar('phone', upstream.phone, downstream.phone, (value) => normalizePhone(value, country))
  scalar('isPrivate', upstream.isPrivate, downstream.isPrivate, String)
  scalar('blocked', upstream.blocked, downstream.blocked, String)
  scalar('salesRepCodes', upstream.salesRepCodes, downstream.salesRepCodes, normalizeCodeList)
  scalar('priceListCode', upstream.priceListCode, downstream.priceListCode, (value) =>
    normalizeText(value).toUpperCase(),
  )
  if (upstream.addresses !== null && downstream.addresses !== null)
    diffs.push(...compareAddresses(upstream.addresses, downstream.addresses))
  return diffs
}

/** "Delivery address line 1" for `addresses.Delivery.addressLine1`: labels for people. */
export function fieldLabel(field: string): string {
  const labels: Record<string, string> = {
    addressLine1: 'line 1',
    addressLine2: 'line 2',
    blocked: 'blocked',
    city: 'city',
    countryCode: 'country',
    email: 'e-mail',
    isPrivate: 'private customer',
    name: 'name',
    other: '(other address)',
    phone: 'phone',
    postCode: 'post code',
    priceListCode: 'price list',
    salesRepCodes: 'sales reps',
    description: 'description',
    unit: 'unit',
    price: 'price',
    currency: 'currency',
    stock: 'stock',
    active: 'active',
    webshop: 'webshop item',
  }
  const parts = field.split('.')
  if (parts[0] === 'addresses') {
    const type = parts[1] ?? ''
    return parts[2] ? `${type} address ${labels[parts[2]] ?? parts[2]}` : `${type} address`
  }
  return labels[field] ?? field
}
