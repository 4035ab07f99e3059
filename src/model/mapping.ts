import {type FieldDiff, compareCustomers} from './compare.js'
import {type CanonicalCustomer, mainAddress} from './customer.js'
import {type CanonicalItem, compareItems} from './item.js'

/**
 * How the CMS maps a source record (ERP API or export row) to what it writes, from the platform contract
 * ("How the CMS maps ERP records"). A comparison of a source with the CMS applies this first, so that a
 * field the CMS derives is compared with what it derives it from, and a field the source cannot supply is
 * never compared.
 */

/** A field left out of a comparison, with the reason: shown to the agent and in the JSON report. */
export interface NotCompared {
  field: string
  reason: string
}

/** A canonical field a source cannot supply (a connector declares these): never compared. */
export type NotSupplied = NotCompared

/** A canonical field the CMS derives from another, and why: `addresses.Delivery` from the own address. */
export interface DerivedField {
  field: string
  from: string
  reason: string
}

/** The contract's rule for customers without a delivery address in the source. */
export const ownAddressAsDelivery: DerivedField[] = [
  {
    field: 'addresses.Delivery',
    from: 'addresses.Invoice',
    reason:
      'the source has no delivery address for the customer, so the CMS writes its own address as the main Delivery address',
  },
]

/** What the CMS writes for a source customer: its own address as the main Delivery address when it has none. */
export function cmsViewOfSourceCustomer(source: CanonicalCustomer): {
  customer: CanonicalCustomer
  derived: DerivedField[]
} {
  if (source.addresses === null || source.addresses.some((address) => address.type === 'Delivery'))
    return {customer: source, derived: []}
  const own = mainAddress(source, 'Invoice')
  if (!own) return {customer: source, derived: []}
  return {
    customer: {...source, addresses: [...source.addresses, {...own, isMain: true, type: 'Delivery'}]},
    derived: ownAddressAsDelivery,
  }
}

const customerFields = [
  'name',
  'email',
  'phone',
  'isPrivate',
  'blocked',
  'salesRepCodes',
  'priceListCode',
  'addresses',
] as const
export const itemFields = ['description', 'unit', 'price', 'currency', 'active', 'webshop'] as const

function fieldsLeftOut<T extends object>(
  fields: readonly (keyof T & string)[],
  upstream: T,
  downstream: T,
  notSupplied: NotSupplied[],
  names: {upstream: string; downstream: string},
): NotCompared[] {
  const out: NotCompared[] = []
  for (const field of fields) {
    const declared = notSupplied.find((entry) => entry.field === field)
    if (declared) out.push({field, reason: declared.reason})
    else if (upstream[field] === null) out.push({field, reason: `${names.upstream} does not supply it`})
    else if (downstream[field] === null) out.push({field, reason: `${names.downstream} holds no value for it`})
  }
  return out
}

/** Blanks the fields a source declared it cannot supply, so that they are never compared. */
function withoutUnsupplied<T extends object>(record: T, notSupplied: NotSupplied[]): T {
  const copy = {...record} as Record<string, unknown>
  for (const {field} of notSupplied) if (field in copy) copy[field] = null
  return copy as T
}

/**
 * The customer fields the CMS holds as its own setting where the ERP has none: the sales rep assignment and
 * the price list (the contract: "fields the ERP does not have are left as the CMS's own setting"). An empty
 * value in the ERP is such a field the ERP does not have, never a different value
 * (docs/contract-readings.md, "Empty ERP fields").
 */
const cmsOwnWhenEmpty: Array<{field: 'salesRepCodes' | 'priceListCode'; what: string}> = [
  {field: 'salesRepCodes', what: 'sales rep'},
  {field: 'priceListCode', what: 'price list'},
]

/** The CMS-owned fields this source customer leaves empty, as fields it does not supply (with the reason). */
function emptyInSource(source: CanonicalCustomer, upstream: string): NotSupplied[] {
  return cmsOwnWhenEmpty
    .filter(({field}) => {
      const value = source[field]
      return Array.isArray(value)
        ? value.every((code) => code.trim() === '')
        : typeof value === 'string' && value.trim() === ''
    })
    .map(({field, what}) => ({
      field,
      reason: `${upstream} has no ${what} for this customer: the CMS keeps its own setting (a field the ERP does not have is never a difference)`,
    }))
}

export interface MappedComparison {
  diff: FieldDiff[]
  notCompared: NotCompared[]
  derived: DerivedField[]
}

/** A source customer against the CMS's record, with the CMS's mapping applied and unsupplied fields left out. */
export function compareSourceCustomer(
  source: CanonicalCustomer,
  cms: CanonicalCustomer,
  notSupplied: NotSupplied[],
  names: {upstream: string; downstream: string},
): MappedComparison {
  const declared = new Set(notSupplied.map((entry) => entry.field))
  const leftOut = [
    ...notSupplied,
    ...emptyInSource(source, names.upstream).filter((entry) => !declared.has(entry.field)),
  ]
  const {customer, derived} = cmsViewOfSourceCustomer(withoutUnsupplied(source, leftOut))
  return {
    derived,
    diff: compareCustomers(customer, cms),
    notCompared: fieldsLeftOut(customerFields, source, cms, leftOut, names),
  }
}

/** Two platform records of a customer (CMS → app, CMS → webshop): the same shape, nothing derived. */
export function comparePublishedCustomer(
  cms: CanonicalCustomer,
  published: CanonicalCustomer,
  names: {upstream: string; downstream: string},
): MappedComparison {
  return {
    derived: [],
    diff: compareCustomers(cms, published),
    notCompared: fieldsLeftOut(customerFields, cms, published, [], names),
  }
}

/** A source item against the CMS's item; stock is left to the stock rules. */
export function compareSourceItem(
  source: CanonicalItem,
  cms: CanonicalItem,
  notSupplied: NotSupplied[],
  names: {upstream: string; downstream: string},
): MappedComparison {
  return {
    derived: [],
    diff: compareItems(withoutUnsupplied(source, notSupplied), cms),
    notCompared: fieldsLeftOut(itemFields, source, cms, notSupplied, names),
  }
}
