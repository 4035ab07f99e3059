import type {HttpClient} from '../http/client.js'
import {registerSecret} from '../http/redact.js'

/** The longest token a server's answer may hand out to be kept (written to the secrets file). */
export const maxKeptTokenLength = 4096

/**
 * Why a token a server handed out may not be kept, or null: longer than 4 KiB, or holding anything but
 * printable ASCII without the space (RFC 6749's token syntax, VSCHAR, less the space): no control byte,
 * no escape sequence, no line break reaches the secrets file.
 */
export function unkeepableToken(value: string): string | null {
  if (value.length > maxKeptTokenLength) return `it is ${value.length} characters long, more than ${maxKeptTokenLength}`
  if (!/^[\x21-\x7E]+$/.test(value))
    return 'it holds characters other than printable ASCII (control bytes, spaces or non-ASCII)'
  return null
}

/** How one ERP asks its token endpoint for an OAuth 2.0 client-credentials token. */
export interface ClientCredentialsGrant {
  url: string
  /** The form's fields, asked for on every request (a signed assertion is made anew each time). */
  form: () => Record<string, string>
  describeError: (status: number, body: unknown) => string | undefined
  /**
   * `retry`: asking twice is harmless (a client secret), so the request is retried like every idempotent
   * one. `once`: every attempt would send the same signed assertion, so a failed request is not resent as it is.
   */
  resend: 'retry' | 'once'
  /** The answer, read with the ERP's schema: the token and the lifetime it states. */
  read: (body: unknown) => {accessToken: string; expiresInSeconds?: number}
  /**
   * A token is asked for again `marginMs` before the expiry its answer states (`assumedLifetimeMs` until the
   * answer is in). Without it, a token is used until `forget()` (the API refused it).
   */
  expiry?: {marginMs: number; assumedLifetimeMs: number}
  /** A failed request stays the answer for the connector's life, instead of being asked again on the next use. */
  keepsFailure?: boolean
  /** Who the token is for beside the token URL: the client id, and what else decides the token (tenant, scope). */
  client: Omit<TokenClient, 'tokenUrl'>
}

/** What a token is for: a kept token is used only by the same profile for the same endpoint, client and audience. */
export interface TokenClient {
  tokenUrl: string
  clientId: string
  /** What else decides the token the endpoint hands out (a tenant, a scope). */
  audience: string
}

/** An access token kept between runs, with the time it stops being good (ms since the epoch). */
export interface StoredToken {
  accessToken: string
  expiresAt: number
}

/** One client's access token in the profile's token cache: read once, written when asked for, dropped when refused. */
export interface KeptToken {
  read(): Promise<StoredToken | null>
  write(token: StoredToken): Promise<void>
  /** Drops the entry if it still holds this token (another run may have kept a newer one). */
  drop(accessToken: string): Promise<void>
}

/** The run's token cache, for one client; absent with --no-cache, or for a profile with no private store. */
export type TokenKeeper = (client: TokenClient) => KeptToken

/**
 * Entra ID's and Visma Connect's tokens live about an hour (`expires_in` says how long): one is asked for again
 * five minutes before then, so a token taken from the cache outlives a long command's requests.
 */
export const hourTokenExpiry = {assumedLifetimeMs: 50 * 60_000, marginMs: 5 * 60_000}

/** Where a connector gets its bearer token: a ready one from the profile, or a client-credentials grant's. */
export interface BearerToken {
  get(): Promise<string>
  /** The token was refused (revoked, or expired early): the next `get()` asks for a new one. */
  forget(): void
}

/** A ready bearer token from the profile: nothing to ask for, nothing to renew. */
export function readyToken(token: string): BearerToken {
  return {forget: () => undefined, get: () => Promise.resolve(token)}
}

/**
 * The access token of a client-credentials grant, asked for once and shared by every request in flight;
 * asked for again once it is about to expire, after `forget()`, or after a failed request.
 */
export class ClientCredentialsToken implements BearerToken {
  private current: {token: Promise<string>; expiresAt: number} | undefined
  private readonly kept: KeptToken | undefined
  /** The kept token is read on the first use only: after that this run asks the endpoint itself. */
  private keptRead = false
  /** The last token handed out, and a drop of it from the cache under way (a write waits for it). */
  private lastToken: string | undefined
  private dropping: Promise<void> = Promise.resolve()

  constructor(
    private readonly http: HttpClient,
    private readonly grant: ClientCredentialsGrant,
    keeper?: TokenKeeper,
  ) {
    this.kept = keeper?.({tokenUrl: grant.url, ...grant.client})
  }

  get(): Promise<string> {
    const {current} = this
    if (current && current.expiresAt > Date.now() + (this.grant.expiry?.marginMs ?? 0)) return current.token
    return this.request()
  }

  /** The token was refused: neither this run nor a later one uses it again. */
  forget(): void {
    this.current = undefined
    this.keptRead = true
    const refused = this.lastToken
    if (this.kept && refused !== undefined) this.dropping = this.kept.drop(refused).catch(() => undefined)
  }

  private request(): Promise<string> {
    const {expiry} = this.grant
    const entry = {
      expiresAt: expiry ? Date.now() + expiry.assumedLifetimeMs : Number.POSITIVE_INFINITY,
      token: Promise.resolve(''),
    }
    entry.token = this.keptOrFetched().then((answer) => {
      if (expiry && answer.expiresAt !== undefined) entry.expiresAt = answer.expiresAt
      this.lastToken = answer.accessToken
      return answer.accessToken
    })
    this.current = entry
    if (!this.grant.keepsFailure)
      entry.token.catch(() => {
        if (this.current === entry) this.current = undefined
      })
    return entry.token
  }

  /**
   * The kept token while it is good for `marginMs` more (first use only), else a new one from the endpoint,
   * kept for later runs when its answer states its lifetime.
   */
  private async keptOrFetched(): Promise<{accessToken: string; expiresAt?: number}> {
    const {expiry} = this.grant
    if (this.kept && expiry && !this.keptRead) {
      this.keptRead = true
      const found = await this.kept.read().catch(() => null)
      if (found && found.expiresAt > Date.now() + expiry.marginMs) {
        registerSecret(found.accessToken)
        return found
      }
    }
    const answer = await this.fetchToken()
    if (answer.expiresInSeconds === undefined) return answer
    const fetched = {accessToken: answer.accessToken, expiresAt: Date.now() + answer.expiresInSeconds * 1000}
    if (this.kept && expiry && unkeepableToken(fetched.accessToken) === null) {
      await this.dropping
      await this.kept.write(fetched).catch(() => undefined)
    }
    return fetched
  }

  private async fetchToken(): Promise<{accessToken: string; expiresInSeconds?: number}> {
    const response = await this.http.requestJson({
      body: new URLSearchParams(this.grant.form()).toString(),
      describeError: this.grant.describeError,
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      ...(this.grant.resend === 'retry' ? {idempotent: true} : {retry: false}),
      method: 'POST',
      url: this.grant.url,
    })
    const answer = this.grant.read(response.body)
    // A server that echoes the token must never get it printed.
    registerSecret(answer.accessToken)
    return answer
  }
}
