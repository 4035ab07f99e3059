import type {HttpClient, HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {
  type BearerToken,
  type ClientCredentialsGrant,
  ClientCredentialsToken,
  hourTokenExpiry,
  readyToken,
} from '../oauth2.js'
import type {ErpSession} from '../erp-system.js'
import {type JsonObject, parseAnswer} from '../schema.js'
import * as schemas from './schemas.js'

export interface BusinessCentralSettings {
  /** `https://api.businesscentral.dynamics.com` */
  url: string
  tenant: string
  environment: string
  companyId: string
  /** Either a ready bearer token, or OAuth2 client credentials. */
  auth: {token: string} | {tokenUrl?: string; clientId: string; clientSecret: string; scope?: string}
  /** Route of the ship-to addresses API of the platform's AL extension (standard v2.0 has none). */
  shipToApiPath?: string
  /** Does the platform's AL extension give price lists (`priceLists`, `priceListLines`, `customerPricing`)? */
  priceExtension?: boolean
}

export const system = 'Business Central'
export const defaultShipToApiPath = 'api/OptimizersBV/App4Sales/v1.0'
const maxPages = 50

/** BC error bodies: OData `{"error": {"code", "message"}}`; Entra ID token errors: `{"error", "error_description"}`. */
export function describeBusinessCentralError(_status: number, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const {error, error_description: description} = body as {error?: unknown; error_description?: unknown}
  if (error && typeof error === 'object') {
    const {code, message} = error as {code?: unknown; message?: unknown}
    return [code, message].filter((part) => typeof part === 'string').join(': ') || undefined
  }
  if (typeof error === 'string')
    return typeof description === 'string' ? `${error}: ${description.split('\n')[0]}` : error
  return undefined
}

/**
 * Business Central's API v2.0 as its entities share it: the company's URL, the bearer token (ready, or
 * Entra ID client credentials), `@odata.nextLink` paging on one origin, OData errors.
 */
export class BusinessCentralClient {
  private readonly accessToken: BearerToken
  /** Set once a listing came out of UTF-8 byte order: later listings join ship-tos per batch instead of by a sorted merge. */
  readonly listingState = {byteOrder: true}

  /** The new token asked for after each refused one: requests refused together ask once. */
  private readonly renewals = new Map<string, Promise<string>>()

  constructor(
    readonly http: HttpClient,
    readonly settings: BusinessCentralSettings,
    session?: ErpSession,
  ) {
    this.accessToken =
      'token' in settings.auth
        ? readyToken(settings.auth.token)
        : new ClientCredentialsToken(http, entraGrant(settings.auth, settings.tenant), session?.keptToken)
  }

  companyUrl(apiPath: string): string {
    const {companyId, environment, tenant, url} = this.settings
    return `${url.replace(/\/+$/, '')}/v2.0/${encodeURIComponent(tenant)}/${encodeURIComponent(environment)}/${apiPath}/companies(${companyId})`
  }

  /**
   * The bearer token; given the one the API refused (`refused`), a new one (a token kept from an earlier
   * run may have been revoked since): asked for once however many requests it was refused to.
   */
  token(refused?: string): Promise<string> {
    if (refused === undefined || 'token' in this.settings.auth) return this.accessToken.get()
    let renewal = this.renewals.get(refused)
    if (!renewal) {
      this.accessToken.forget()
      renewal = this.accessToken.get()
      this.renewals.set(refused, renewal)
    }
    return renewal
  }

  /** Requests with the token; refused (401), once more with a new one. */
  async authorized<T>(send: (token: string) => Promise<T>): Promise<T> {
    const token = await this.token()
    try {
      return await send(token)
    } catch (error) {
      if (!(error instanceof RequestProblem && error.problem.httpStatus === 401) || 'token' in this.settings.auth)
        throw error
      return send(await this.token(token))
    }
  }

  /** Every entity of a filtered collection, following `@odata.nextLink` to the page without one. */
  collect(firstUrl: string): Promise<JsonObject[]> {
    return this.authorized((token) => this.collectWith(token, firstUrl))
  }

  private async collectWith(token: string, firstUrl: string): Promise<JsonObject[]> {
    const entities: JsonObject[] = []
    let url = firstUrl
    for (let page = 0; page < maxPages; page++) {
      const response: HttpResponse = await this.http.requestJson({
        describeError: describeBusinessCentralError,
        headers: {authorization: `Bearer ${token}`, prefer: 'odata.maxpagesize=100'},
        url,
      })
      const body = parseAnswer(schemas.collection, response.body, system, 'the collection')
      entities.push(...body.value)
      const next = body['@odata.nextLink']
      if (typeof next !== 'string') return entities
      url = sameOriginLink(next, url)
    }
    throw new RequestProblem({
      kind: 'bad-response',
      message: `${system}: the collection did not end within ${maxPages} pages`,
    })
  }

  async probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    const response = await this.authorized((token) =>
      this.http.requestJson({
        describeError: describeBusinessCentralError,
        headers: {authorization: `Bearer ${token}`},
        url: `${this.companyUrl('api/v2.0').replace(/\/companies\([^)]*\)$/, '')}/companies`,
      }),
    )
    const companies = parseAnswer(schemas.collection, response.body, system, 'the companies').value.map((entry) =>
      parseAnswer(schemas.company, entry, system, 'a company'),
    )
    const company = companies.find((entry) => entry.id === this.settings.companyId)
    if (!company)
      throw new RequestProblem({
        kind: 'http-error',
        message: `${system}: the company ${this.settings.companyId} is not among the ${companies.length} companies of this environment`,
      })
    const date = response.headers.date
    return {
      details: {
        api: 'v2.0',
        company: company.name ?? '',
        environment: this.settings.environment,
        version: company.systemVersion ?? 'unknown',
      },
      serverDate: typeof date === 'string' ? date : null,
    }
  }
}

/**
 * A next link is followed only on the origin of the request that returned it: the bearer token must never
 * reach another host.
 */
export function sameOriginLink(next: string, current: string): string {
  let resolved: URL
  try {
    resolved = new URL(next, current)
  } catch {
    throw new RequestProblem({kind: 'bad-response', message: `${system}: the @odata.nextLink is not a URL`})
  }
  if (resolved.origin !== new URL(current).origin)
    throw new RequestProblem({
      kind: 'bad-response',
      message: `${system}: the @odata.nextLink points at another origin (${resolved.origin}); not followed, so the token stays with ${new URL(current).origin}`,
    })
  return resolved.toString()
}

/** A BC without the extension answers 404 for the ship-to route: the customer is still found, without ship-tos (null). */
export function shipToFallback(error: unknown): null {
  if (error instanceof RequestProblem && error.problem.httpStatus === 404) return null
  throw error
}

/** Entra ID's client-credentials grant for Business Central's API. */
function entraGrant(
  auth: Exclude<BusinessCentralSettings['auth'], {token: string}>,
  tenant: string,
): ClientCredentialsGrant {
  const scope = auth.scope ?? 'https://api.businesscentral.dynamics.com/.default'
  return {
    client: {audience: scope, clientId: auth.clientId},
    describeError: describeBusinessCentralError,
    expiry: hourTokenExpiry,
    form: () => ({
      client_id: auth.clientId,
      client_secret: auth.clientSecret,
      grant_type: 'client_credentials',
      scope,
    }),
    // A failed token request stays the answer for this connector: later lookups fail with it, unasked.
    keepsFailure: true,
    read: (body) => parseAnswer(schemas.tokenAnswer, body, system, 'the token response'),
    // Asking for a token twice is harmless: retried like every idempotent request.
    resend: 'retry',
    url: auth.tokenUrl ?? `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
  }
}
