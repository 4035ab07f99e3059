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
import {VismaNetListEnd} from './paging.js'
import {FixedWindowGate, resetDelayMs} from './rate-limit.js'
import * as schemas from './schemas.js'

export interface VismaNetSettings {
  /** `https://api.finance.visma.net` (the connector adds `/v1/...`). */
  url: string
  /** A ready bearer token, or Visma Connect client credentials for a service integration. */
  auth: {token: string} | {tokenUrl: string; clientId: string; clientSecret: string; tenantId: string; scope: string}
  /** Sent as `ipp-company-id` (tokens not bound to one company need it). */
  companyId?: string
  /** The warehouses the platform reads stock from (its "Warehouses" setting); empty: all. */
  warehouses: string[]
}

export const system = 'Visma.net'
/** The page size asked for; Visma.net limits it to the tenant's `metadata.maxPageSize`. */
const pageSize = 1000
/** Pages a lookup (changed since, an order by reference) reads at most; a full listing's bound. */
const lookupPages = 200
export const listingPages = 100_000

/**
 * Visma.net error bodies: `{"message": "VismaId: <guid>. <text>"}`, or the older
 * `{"ExceptionType", "ExceptionMessage", "ExceptionFaultCode", "ExceptionDetails"}`; Visma Connect's token
 * errors are OAuth2's `{"error", "error_description"}`.
 */
export function describeVismaNetError(_status: number, body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined
  const {
    ExceptionFaultCode: code,
    ExceptionMessage: exception,
    error,
    error_description: description,
    message,
  } = body as JsonObject
  if (typeof message === 'string')
    return message
      .replace(/^VismaId: [0-9a-f-]+\.\s*/i, '')
      .split('\n')[0]
      ?.trim()
  if (typeof exception === 'string')
    return `${exception.split('\n')[0]?.trim()}${typeof code === 'string' || typeof code === 'number' ? ` (fault ${code})` : ''}`
  if (typeof error === 'string')
    return typeof description === 'string' ? `${error}: ${description.split('\n')[0]}` : error
  return undefined
}

/** `YYYY-MM-DD HH:MM:SS`, the `lastModifiedDateTime` parameter's form, in UTC like the DTOs' times. */
export function lastModifiedParameter(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ')
}

/**
 * A query string as Visma.net reads it: every value percent-encoded, `>=` included (a literal `>` or `=` in
 * a value would be read as part of the query's syntax by some proxies).
 */
export function vismaQuery(parameters: Record<string, string | number>): string {
  return Object.entries(parameters)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&')
}

/**
 * Visma.net ERP API v1 as its entities share it: bare-array lists paged with `pageNumber`/`pageSize`,
 * `lastModifiedDateTime` + `lastModifiedDateTimeCondition` filters, Visma Connect client-credentials tokens,
 * and the fixed-window limit its `X-RateLimit-*` headers state.
 */
export class VismaNetClient {
  private readonly accessToken: BearerToken
  private readonly gate = new FixedWindowGate()

  constructor(
    private readonly http: HttpClient,
    readonly settings: VismaNetSettings,
    session?: ErpSession,
  ) {
    this.accessToken =
      'token' in settings.auth
        ? readyToken(settings.auth.token)
        : new ClientCredentialsToken(http, vismaConnectGrant(settings.auth), session?.keptToken)
  }

  base(): string {
    return this.settings.url.replace(/\/+$/, '')
  }

  private token(): Promise<string> {
    return this.accessToken.get()
  }

  /**
   * One GET on the API's origin; a 404 is null when `notFound`. A Visma Connect token lives an hour, so a
   * long listing can outlive it: a 401 gets one new token and one more try.
   */
  async get(url: string, notFound = false): Promise<HttpResponse | null> {
    try {
      return await this.getOnce(url, notFound)
    } catch (error) {
      if (!(error instanceof RequestProblem && error.problem.httpStatus === 401 && !('token' in this.settings.auth)))
        throw error
      this.accessToken.forget()
      return this.getOnce(url, notFound)
    }
  }

  /** One GET under the rate limit. */
  private async getOnce(url: string, notFound: boolean): Promise<HttpResponse | null> {
    if (new URL(url).origin !== new URL(this.base()).origin)
      throw new RequestProblem({
        kind: 'bad-response',
        message: `${system}: refused to send the token to ${new URL(url).origin}, which is not the API's origin`,
      })
    const token = await this.token()
    await this.gate.acquire(this.http.budget())
    const headers: Record<string, string> = {authorization: `Bearer ${token}`}
    if (this.settings.companyId) headers['ipp-company-id'] = this.settings.companyId
    let answered: HttpResponse['headers'] | null = null
    try {
      const response = await this.http.requestJson({
        acceptStatuses: notFound ? [404] : [],
        describeError: describeVismaNetError,
        headers,
        retryDelayMs: (_status, _body, responseHeaders) => resetDelayMs(responseHeaders),
        url,
      })
      answered = response.headers
      return response.status === 404 ? null : response
    } catch (error) {
      if (error instanceof RequestProblem && error.problem.kind === 'rate-limited')
        error.problem.message = `${error.problem.message} (Visma.net's fixed window${this.gate.policy ? ` ${this.gate.policy}` : ''})`
      throw error
    } finally {
      this.gate.observe(answered)
    }
  }

  /**
   * Every entry of a list, page by page (`pageNumber` from 1), until the list's end as Visma.net shows it
   * (`VismaNetListEnd`): never merely a page shorter than the `pageSize` asked for. A lookup reads at most
   * `lookupPages` pages; a full listing up to `listingPages`, and a list that goes on beyond is an error.
   */
  async *pages(path: string, filters: Record<string, string> = {}, maxPages = lookupPages): AsyncGenerator<unknown[]> {
    const end = new VismaNetListEnd()
    for (let pageNumber = 1; pageNumber <= maxPages; pageNumber++) {
      const response = (await this.get(
        `${this.base()}${path}?${vismaQuery({...filters, pageNumber, pageSize})}`,
      )) as HttpResponse
      const page = parseAnswer(schemas.listPage, response.body, system, `the list ${path}`)
      yield page
      if (end.isLast(page)) return
    }
    throw new RequestProblem({
      kind: 'bad-response',
      message: `${system}: the list ${path} did not end within ${maxPages} pages`,
    })
  }

  async probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    // An operation of the ERP service API itself (the token is bound to one tenant): the company's branches.
    const response = (await this.get(`${this.base()}/v1/branch`)) as HttpResponse
    const found = parseAnswer(schemas.branches, response.body, system, 'the branches')
    const main = found.find((branch) => branch.isMainBranch) ?? found[0]
    const limit = response.headers['x-ratelimit-limit']
    return {
      details: {
        api: 'ERP service API v1',
        company: main?.name ?? '',
        ...(main?.number ? {branch: `${main.number}${found.length > 1 ? ` (of ${found.length})` : ''}`} : {}),
        ...(this.settings.companyId ? {companyId: this.settings.companyId} : {}),
        ...(typeof limit === 'string'
          ? {rateLimit: `${limit} per window (${this.gate.policy ?? 'fixed window'})`}
          : {}),
      },
      serverDate: typeof response.headers.date === 'string' ? response.headers.date : null,
    }
  }

  /**
   * Has the record changed since `since`? The list filtered with `lastModifiedDateTime` and
   * `lastModifiedDateTimeCondition=>`: the ERP's own answer, beside the record's change time.
   */
  async changedSince(path: '/v1/customer' | '/v1/inventory', key: string, code: string, since: Date): Promise<boolean> {
    for await (const page of this.pages(path, {
      lastModifiedDateTime: lastModifiedParameter(since),
      lastModifiedDateTimeCondition: '>',
    }))
      if (page.some((entry) => entry && typeof entry === 'object' && String((entry as JsonObject)[key]) === code))
        return true
    return false
  }
}

/** Visma Connect's client-credentials grant for a service integration: the client secret and the tenant in the form. */
function vismaConnectGrant(auth: Exclude<VismaNetSettings['auth'], {token: string}>): ClientCredentialsGrant {
  return {
    client: {audience: `${auth.tenantId} ${auth.scope}`, clientId: auth.clientId},
    describeError: describeVismaNetError,
    expiry: hourTokenExpiry,
    form: () => ({
      client_id: auth.clientId,
      client_secret: auth.clientSecret,
      grant_type: 'client_credentials',
      scope: auth.scope,
      tenant_id: auth.tenantId,
    }),
    read: (body) => {
      const answer = parseAnswer(schemas.tokenAnswer, body, system, 'the token response')
      return {accessToken: answer.access_token, expiresInSeconds: answer.expires_in ?? undefined}
    },
    resend: 'retry',
    url: auth.tokenUrl,
  }
}
