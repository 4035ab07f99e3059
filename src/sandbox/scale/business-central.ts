import {randomBytes} from 'node:crypto'

import {type Handler, json, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import type {ReconcileEntity} from '../../reconcile/types.js'
import {stableGuid} from '../erp/businesscentral/emulator-records.js'
import {iso} from './clock.js'
import type {ScaleModel} from './model.js'
import type {View} from './platform-kit.js'

type Json = Record<string, unknown>

/** The Business Central of a scale installation: its tenant, environment, company and app registration. */
export interface ScaleBusinessCentral {
  tenant: string
  environment: string
  companyId: string
  clientId: string
  clientSecret: string
}

type Collection = 'customers' | 'shipToAddresses' | 'items'

const odataError = (status: number, code: string, message: string) => json(status, {error: {code, message}})

/** Business Central API v2.0 over the generated records: its token endpoint, `$orderby`, `$filter` by number, `$skiptoken` paging. */
export function businessCentralScale(model: ScaleModel, bc: ScaleBusinessCentral, baseUrl: () => string): Handler {
  const issued = new Set<string>()
  const views: Record<Collection, View> = {
    customers: (index) => customerEntity(model, bc.companyId, index),
    items: (index) => itemEntity(model, bc.companyId, index),
    shipToAddresses: (index) => shipToEntity(model, bc.companyId, index),
  }
  return (request) => {
    if (request.path === `/${bc.tenant}/oauth2/v2.0/token`) return issueToken(request, bc, issued)
    const prefix = `/v2.0/${bc.tenant}/${bc.environment}/`
    if (!request.path.startsWith(prefix)) return odataError(404, 'BadRequest_NotFound', 'The request URI is not valid.')
    if (!request.bearer || !issued.has(request.bearer))
      return odataError(401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.')
    const rest = request.path.slice(prefix.length)
    const match =
      /^api\/(?:v2\.0|OptimizersBV\/App4Sales\/v1\.0)\/companies\(([^)]*)\)\/(customers|shipToAddresses|items)$/.exec(
        rest,
      )
    if (!match || match[1] !== bc.companyId)
      return odataError(
        404,
        'BadRequest_NotFound',
        `No HTTP resource was found that matches the request URI '${request.path}'.`,
      )
    const collection = match[2] as Collection
    const context = `${baseUrl()}${prefix}$metadata#${collection}`
    const filter = request.query.get('$filter')
    if (filter)
      return json(200, {
        '@odata.context': context,
        value: filtered(model, collection === 'items' ? 'items' : 'customers', filter, views[collection]),
      })
    return page(model, request, views[collection], {baseUrl: baseUrl(), context})
  }
}

/** The client-credentials token endpoint: a new bearer token for the app registration's id and secret. */
function issueToken(request: SandboxRequest, bc: ScaleBusinessCentral, issued: Set<string>): SandboxResponse {
  const form = new URLSearchParams(request.body)
  if (form.get('client_id') !== bc.clientId || form.get('client_secret') !== bc.clientSecret)
    return json(401, {error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.'})
  const token = `sbx-bc-${randomBytes(18).toString('base64url')}`
  issued.add(token)
  return json(200, {access_token: token, expires_in: 3599, token_type: 'Bearer'})
}

/** `number eq '…'` (or `customerNumber eq '…'`), joined with `or`: one generated record per key. */
function filtered(model: ScaleModel, entity: ReconcileEntity, filter: string, view: View): Json[] {
  const keys = [...filter.matchAll(/(?:number|customerNumber) eq '((?:[^']|'')*)'/gi)].map((found) =>
    (found[1] as string).replace(/''/g, "'"),
  )
  return keys
    .map((key) => model.indexOf(entity, key))
    .filter((index): index is number => index !== null)
    .map(view)
    .filter((record): record is Json => record !== null)
}

/** A page of the collection from `$skiptoken` (an index), as many as `Prefer: odata.maxpagesize` asks (at most 20,000, and the model's `maxPageSize`). */
function page(
  model: ScaleModel,
  request: SandboxRequest,
  view: View,
  at: {baseUrl: string; context: string},
): SandboxResponse {
  const prefer = String(request.headers.prefer ?? '')
  const pageSize = Math.min(
    model.maxPageSize ?? 20_000,
    20_000,
    Number(/odata\.maxpagesize=(\d+)/.exec(prefer)?.[1] ?? 20_000) || 20_000,
  )
  const start = Number(request.query.get('$skiptoken') ?? 0) || 0
  const value: Json[] = []
  let index = start
  for (; index < model.records && value.length < pageSize; index++) {
    const record = view(index)
    if (record) value.push(record)
  }
  const body: Json = {'@odata.context': at.context, value}
  if (index < model.records) {
    const next = new URL(request.path, at.baseUrl)
    for (const [name, parameter] of request.query) if (name !== '$skiptoken') next.searchParams.set(name, parameter)
    next.searchParams.set('$skiptoken', String(index))
    body['@odata.nextLink'] = next.toString()
  }
  return {
    body: JSON.stringify(body),
    headers: {
      'content-type': 'application/json; odata.metadata=minimal',
      'preference-applied': `odata.maxpagesize=${pageSize}`,
    },
    status: 200,
  }
}

function customerEntity(model: ScaleModel, companyId: string, index: number): Json | null {
  const source = model.source('customers', index)
  if (!source) return null
  const record = source.record
  const invoice = (record.addresses as Json[])[0] as Json
  return {
    addressLine1: invoice.addressLine1,
    addressLine2: invoice.addressLine2,
    blocked: record.blocked ? 'All' : ' ',
    city: invoice.city,
    country: invoice.countryCode,
    displayName: record.name,
    email: record.email,
    id: stableGuid(companyId, 'customer', record.customerCode as string),
    lastModifiedDateTime: iso(source.modified),
    number: record.customerCode,
    phoneNumber: record.phone,
    postalCode: invoice.postCode,
    salespersonCode: (record.salesRepCodes as string[])[0] ?? '',
    type: record.isPrivate ? 'Person' : 'Company',
  }
}

function shipToEntity(model: ScaleModel, companyId: string, index: number): Json | null {
  const source = model.source('customers', index)
  if (!source) return null
  const delivery = (source.record.addresses as Json[])[1] as Json
  return {
    addressLine1: delivery.addressLine1,
    addressLine2: delivery.addressLine2,
    city: delivery.city,
    code: 'MAIN',
    countryRegionCode: delivery.countryCode,
    customerNumber: source.record.customerCode,
    id: stableGuid(companyId, 'shipTo', source.record.customerCode as string),
    isDefault: true,
    lastModifiedDateTime: iso(source.modified),
    name: source.record.name,
    postalCode: delivery.postCode,
  }
}

function itemEntity(model: ScaleModel, companyId: string, index: number): Json | null {
  const source = model.source('items', index)
  if (!source) return null
  const record = source.record
  return {
    baseUnitOfMeasureCode: record.unit,
    blocked: !record.active,
    displayName: record.description,
    id: stableGuid(companyId, 'item', record.itemCode as string),
    inventory: record.stock,
    lastModifiedDateTime: iso(source.modified),
    number: record.itemCode,
    type: 'Inventory',
    unitPrice: record.price,
  }
}
