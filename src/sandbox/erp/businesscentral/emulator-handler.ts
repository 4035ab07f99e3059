import {randomBytes, randomUUID} from 'node:crypto'

import {ODataSyntaxError} from '../../../emulation/odata-filter.js'
import {type Handler, json, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'
import type {RecordStore} from '../../record-store.js'
import {customerPricingPage} from './emulator-prices.js'
import {type Collection, selectEntities} from './emulator-selection.js'
import type {BusinessCentralCompany, BusinessCentralState} from './emulator-state.js'

type CollectionName = 'customers' | 'items' | 'salesOrders' | 'shipToAddresses'
type PriceCollectionName = 'priceLists' | 'priceListLines' | 'customerPricing'

/** A company's collections by name, read at each request. */
export type Collections = (name: CollectionName) => Collection
/** The platform extension's price pages, where the company has them. */
export type PriceCollections = (name: PriceCollectionName) => Collection

/** OData error bodies as Business Central sends them. */
function odataError(status: number, code: string, message: string): SandboxResponse {
  return json(status, {error: {code, message: `${message}  CorrelationId:  ${randomUUID()}.`}})
}

/**
 * One page of a collection, server-driven: as many entities as `Prefer: odata.maxpagesize` asks, at most
 * the environment's `maxPageSize` (20 000 online), `@odata.nextLink` while more follow.
 */
function page(
  request: SandboxRequest,
  baseUrl: string,
  entities: Collection,
  context: string,
  largest: number,
): SandboxResponse {
  let selected: RecordStore
  try {
    selected = selectEntities(request, entities)
  } catch (error) {
    if (error instanceof ODataSyntaxError) return odataError(400, 'BadRequest', error.message)
    throw error
  }
  const prefer = String(request.headers.prefer ?? '')
  const maxPageSize = Math.min(largest, Number(/odata\.maxpagesize=(\d+)/.exec(prefer)?.[1] ?? largest) || largest)
  const {next: skipToken, records} = selected.page(request.query.get('$skiptoken'), maxPageSize)
  const fields = request.query
    .get('$select')
    ?.split(',')
    .map((field) => field.trim())
  const value = fields
    ? records.map((record) => Object.fromEntries(Object.entries(record).filter(([name]) => fields.includes(name))))
    : records
  const body: Record<string, unknown> = {'@odata.context': context, value}
  if (skipToken !== null) {
    const next = new URL(request.path, baseUrl)
    for (const [name, value] of request.query) if (name !== '$skiptoken') next.searchParams.set(name, value)
    next.searchParams.set('$skiptoken', skipToken)
    body['@odata.nextLink'] = next.toString()
  }
  return json(
    200,
    body,
    prefer.includes('odata.maxpagesize') ? {'preference-applied': `odata.maxpagesize=${maxPageSize}`} : {},
  )
}

/** Entra ID's client-credentials token endpoint: a token for the tenant's app registration. */
function tokenEndpoint(
  state: BusinessCentralCompany,
  request: SandboxRequest,
  issuedTokens: Set<string>,
): SandboxResponse {
  if (request.method !== 'POST')
    return json(405, {
      error: 'invalid_request',
      error_description: 'AADSTS900561: The endpoint only accepts POST requests.',
    })
  const form = new URLSearchParams(request.body)
  if (form.get('grant_type') !== 'client_credentials')
    return json(400, {
      error: 'unsupported_grant_type',
      error_description: 'AADSTS70003: The app requested an unsupported grant type.',
    })
  if (form.get('client_id') !== state.clientId || form.get('client_secret') !== state.clientSecret)
    return json(401, {
      error: 'invalid_client',
      error_codes: [7000215],
      error_description: 'AADSTS7000215: Invalid client secret provided.',
    })
  const token = `sbx-bc-${randomBytes(18).toString('base64url')}`
  issuedTokens.add(token)
  return json(200, {access_token: token, expires_in: 3599, ext_expires_in: 3599, token_type: 'Bearer'})
}

/** One page of a company's collection (`rest` the path after the environment), or of the companies. */
function collectionPage(
  state: BusinessCentralCompany,
  collections: (name: string) => Collection,
  request: SandboxRequest,
  base: string,
  prefix: string,
  rest: string,
  match: RegExpExecArray,
): SandboxResponse {
  if (!match[2])
    return page(
      request,
      base,
      [
        {
          businessProfileId: '',
          displayName: state.companyName,
          id: state.companyId,
          name: state.companyName,
          systemVersion: '24.0',
        },
      ],
      `${base}${prefix}api/v2.0/$metadata#companies`,
      state.maxPageSize,
    )
  if (match[1] !== state.companyId)
    return odataError(404, 'BadRequest_NotFound', `The company with id '${match[1]}' was not found.`)
  return page(
    request,
    base,
    collections(match[2] as string),
    `${base}${prefix}${rest.replace(/\/[^/]+$/, '')}/$metadata#companies(${state.companyId})/${match[2]}`,
    state.maxPageSize,
  )
}

/**
 * Microsoft Dynamics 365 Business Central API v2.0 on loopback, with the Entra ID client-credentials
 * token endpoint beside it: `/{tenant}/oauth2/v2.0/token`, `/v2.0/{tenant}/{env}/api/v2.0/companies`,
 * `.../companies({id})/customers`, and the platform AL extension's `.../shipToAddresses` and price pages
 * (`priceLists`, `priceListLines`, `customerPricing`).
 */
export function businessCentralHandler(state: BusinessCentralState, baseUrl: () => string): Handler {
  return businessCentralService(
    state,
    (name) => state[name],
    baseUrl,
    // The customers' price settings are a page over the Customer table: one entry per customer.
    (name) => (name === 'customerPricing' ? customerPricingPage(state) : state[name]),
  )
}

/** The same Business Central over any company's collections: the seeded state's, or generated ones (the scale sandbox's). */
export function businessCentralService(
  state: BusinessCentralCompany,
  collections: Collections,
  baseUrl: () => string,
  prices?: PriceCollections,
): Handler {
  const priceNames = new Set<string>(['priceLists', 'priceListLines', 'customerPricing'])
  const all = (name: string) =>
    prices && priceNames.has(name) ? prices(name as PriceCollectionName) : collections(name as CollectionName)
  return (request) => {
    state.tokens ??= {issued: new Set(), requests: 0}
    const issuedTokens = state.tokens.issued
    if (request.path === `/${state.tenant}/oauth2/v2.0/token`) {
      state.tokens.requests++
      return tokenEndpoint(state, request, issuedTokens)
    }
    const prefix = `/v2.0/${state.tenant}/${state.environment}/`
    if (!request.path.startsWith(prefix)) return odataError(404, 'BadRequest_NotFound', 'The request URI is not valid.')
    if (!request.bearer || !issuedTokens.has(request.bearer))
      return odataError(401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.')
    if (request.method !== 'GET')
      return odataError(
        405,
        'BadRequest_MethodNotAllowed',
        `'${request.method}' requests for this resource are not supported by the sandbox.`,
      )
    const rest = request.path.slice(prefix.length)
    const standard = /^api\/v2\.0\/companies(?:\(([^)]*)\)\/(customers|items|salesOrders))?$/.exec(rest)
    const extension =
      /^api\/OptimizersBV\/App4Sales\/v1\.0\/companies\(([^)]*)\)\/(shipToAddresses|priceLists|priceListLines|customerPricing)$/.exec(
        rest,
      )
    // A Business Central without the platform's AL extension (or without its price pages) has no such route.
    const hasRoute = extension?.[2] === 'shipToAddresses' || (prices !== undefined && state.priceExtension === true)
    const match = standard ?? (state.shipToExtension && hasRoute ? extension : null)
    if (!match)
      return odataError(
        404,
        'BadRequest_NotFound',
        `No HTTP resource was found that matches the request URI '${request.path}'.`,
      )
    return collectionPage(state, all, request, baseUrl(), prefix, rest, match)
  }
}
