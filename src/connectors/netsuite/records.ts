import type {z} from 'zod'

import {RequestProblem} from '../../http/problem.js'
import type {ErpCustomerRecord, ErpItemRecord} from '../erp.js'
import {parseAnswer} from '../schema.js'
import * as schemas from './schemas.js'

/** NetSuite's records as the canonical ones, with what NetSuite cannot supply and what the platform skips. */

const system = 'NetSuite'

/** The record type of each SuiteQL `item.itemtype` the platform sells; NonInvtPart and OthCharge have sale, resale and purchase forms. */
export const itemRecordTypes: Record<string, string[]> = {
  Assembly: ['assemblyItem'],
  GiftCert: ['giftCertificateItem'],
  InvtPart: ['inventoryItem'],
  Kit: ['kitItem'],
  NonInvtPart: ['nonInventorySaleItem', 'nonInventoryResaleItem', 'nonInventoryPurchaseItem'],
  OthCharge: ['otherChargeSaleItem', 'otherChargeResaleItem', 'otherChargePurchaseItem'],
  Service: ['serviceSaleItem', 'serviceResaleItem', 'servicePurchaseItem'],
}

const noBlockedFlag = {
  field: 'blocked',
  reason: 'NetSuite customers have no blocked flag (the platform never reads an inactive one)',
}
const noCurrency = {
  field: 'currency',
  reason: "a NetSuite item names no currency (the pricing matrix is in the company's base currency)",
}

/** NetSuite's internal ids are digits; anything else from a server is not put in a path. */
export function internalId(value: string, what: string): string {
  if (!/^\d{1,20}$/.test(value))
    throw new RequestProblem({
      kind: 'bad-response',
      message: `${system}: malformed answer, ${what}: "id" is not an internal id`,
    })
  return value
}

export function toCustomerRecord(body: unknown): ErpCustomerRecord {
  const parsed = parseAnswer(schemas.customer, body, system, 'the customer')
  const skippedBecause = parsed.inactive
    ? 'inactive in NetSuite: the platform reads only active NetSuite customers'
    : parsed.customer.name === null
      ? 'NetSuite has no name for it: the platform skips a customer without a name'
      : null
  return {
    customer: parsed.customer,
    derived: [],
    erpId: parsed.id,
    modifiedAt: parsed.modifiedAt,
    notSupplied: [noBlockedFlag],
    skippedBecause,
  }
}

export function toItemRecord(parsed: z.output<ReturnType<typeof schemas.item>>, basePriceLevel: string): ErpItemRecord {
  return {
    erpId: parsed.erpId,
    item: parsed.item,
    modifiedAt: parsed.modifiedAt,
    notSupplied: [
      noCurrency,
      ...(parsed.hasPrice
        ? []
        : [{field: 'price', reason: `the item has no price on the price level "${basePriceLevel}"`}]),
    ],
  }
}
