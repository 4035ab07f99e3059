import {z} from 'zod'

import type {CanonicalItem} from '../../model/item.js'
import {optionalFlag, optionalNumber, optionalText, optionalTime, text} from '../schema.js'

/** Business Central API v2.0 answers (and the AL extension's ship-to addresses) as zod schemas. */

/** An OData collection page: `value` and, when there are more, `@odata.nextLink`. */
export const collection = z.looseObject({'@odata.nextLink': z.string().nullish(), value: z.array(z.looseObject({}))})

export const tokenAnswer = z
  .looseObject({access_token: z.string().min(1), expires_in: z.number().nullish()})
  .transform((body) => ({accessToken: body.access_token, expiresInSeconds: body.expires_in ?? undefined}))

export const company = z.looseObject({id: text, name: optionalText, systemVersion: optionalText})

export const customer = z.looseObject({
  addressLine1: optionalText,
  addressLine2: optionalText,
  blocked: optionalText,
  city: optionalText,
  country: optionalText,
  displayName: optionalText,
  email: optionalText,
  id: optionalText,
  lastModifiedDateTime: optionalTime,
  number: text,
  phoneNumber: optionalText,
  postalCode: optionalText,
  salespersonCode: optionalText,
  type: optionalText,
})

export const shipTo = z.looseObject({
  addressLine1: optionalText,
  addressLine2: optionalText,
  city: optionalText,
  country: optionalText,
  countryRegionCode: optionalText,
  customerNumber: optionalText,
  isDefault: optionalFlag,
  lastModifiedDateTime: optionalTime,
  postalCode: optionalText,
})

export const item = z
  .looseObject({
    baseUnitOfMeasureCode: optionalText,
    blocked: optionalFlag,
    displayName: optionalText,
    id: optionalText,
    inventory: optionalNumber,
    lastModifiedDateTime: optionalTime,
    number: text,
    unitPrice: optionalNumber,
  })
  .transform((entity) => ({
    erpId: entity.id,
    item: {
      active: entity.blocked === null ? null : !entity.blocked,
      code: entity.number,
      // Amounts are in the company's currency, which the item does not name: not compared.
      currency: null,
      description: entity.displayName,
      price: entity.unitPrice,
      stock: entity.inventory,
      unit: entity.baseUnitOfMeasureCode,
      // Standard API v2.0 has no webshop flag.
      webshop: null,
    } satisfies CanonicalItem,
    modifiedAt: entity.lastModifiedDateTime,
  }))

export const salesOrder = z
  .looseObject({
    customerNumber: optionalText,
    externalDocumentNumber: optionalText,
    lastModifiedDateTime: optionalTime,
    number: text,
    status: optionalText,
  })
  .transform((entity) => ({
    customerCode: entity.customerNumber,
    documentNumber: entity.number,
    externalReference: entity.externalDocumentNumber,
    modifiedAt: entity.lastModifiedDateTime,
    status: entity.status,
  }))
