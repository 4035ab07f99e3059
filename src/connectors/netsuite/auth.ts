import {constants, createHmac, createPrivateKey, randomBytes, sign} from 'node:crypto'

import {RequestProblem} from '../../http/problem.js'
import type {ClientCredentialsGrant} from '../oauth2.js'
import {parseAnswer} from '../schema.js'
import {accountRealm} from './account.js'
import {describeNetSuiteError, describeOAuthError} from './errors.js'
import * as schemas from './schemas.js'

/**
 * NetSuite's two ways of signing a REST request: token-based authentication (OAuth 1.0a, HMAC-SHA256,
 * `realm` = the account id) and OAuth 2.0 client credentials (a JWT assertion signed with the private key
 * of a certificate mapped to the integration, exchanged for a bearer token).
 */

/**
 * A query string as NetSuite's signature check reads it: every value percent-encoded with
 * `encodeURIComponent`, so a space is `%20`. `URLSearchParams` writes `+`, which oauth-1.0a signs as a literal
 * plus while NetSuite reads a space: INVALID_LOGIN.
 */
export function queryString(parameters: Record<string, string | number>): string {
  return Object.entries(parameters)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&')
}

/** A string literal of the record API's `q` filter: double quotes, a quote or backslash inside escaped. */
export function recordQueryString(value: string): string {
  return `"${value.replace(/["\\]/g, (character) => `\\${character}`)}"`
}

/**
 * A SuiteQL string literal: single quotes, a quote inside doubled. SuiteQL over REST has no bind
 * parameters, so every value the user gives goes through here, and control characters are refused.
 */
export function suiteqlString(value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value))
    throw new RequestProblem({
      kind: 'http-error',
      message: 'NetSuite: a value with control characters cannot be put in a SuiteQL query',
    })
  return `'${value.replace(/'/g, "''")}'`
}

export interface TbaCredentials {
  accountId: string
  consumerKey: string
  consumerSecret: string
  tokenId: string
  tokenSecret: string
}

type OAuthModule = typeof import('oauth-1.0a')

let oauthModule: Promise<OAuthModule> | undefined

/**
 * The `Authorization` header of one request, signed with a fresh nonce and timestamp (every attempt
 * signs anew: NetSuite refuses a nonce it has seen). The body is never part of the signature, only the
 * URL's query parameters.
 */
export async function tbaHeader(credentials: TbaCredentials, method: string, url: string): Promise<string> {
  oauthModule ??= import('oauth-1.0a').then(
    (module) => ((module as unknown as {default?: OAuthModule}).default ?? module) as OAuthModule,
  )
  const OAuth = await oauthModule
  const oauth = new OAuth({
    consumer: {key: credentials.consumerKey, secret: credentials.consumerSecret},
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    // At least 6 characters, unique per timestamp; 32 alphanumerics.
    nonce_length: 32,
    realm: accountRealm(credentials.accountId),
    signature_method: 'HMAC-SHA256',
  })
  const data = oauth.authorize({method, url}, {key: credentials.tokenId, secret: credentials.tokenSecret})
  return oauth.toHeader(data).Authorization
}

export interface ClientCredentials {
  clientId: string
  certificateId: string
  /** PEM: an RSA key (signed PS256) or an EC P-256 key (ES256). */
  privateKey: string
  scope?: string
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url')

/**
 * The `client_assertion` of NetSuite's client-credentials flow: header `{typ, alg, kid: certificate id}`,
 * payload `{iss: client id, scope, aud: token endpoint, iat, exp}` (exp at most an hour after iat).
 * RSA keys sign PS256 (NetSuite no longer takes PKCS#1 v1.5 RS256), EC keys ES256.
 */
export function clientAssertion(credentials: ClientCredentials, audience: string, now = Date.now()): string {
  const key = createPrivateKey(credentials.privateKey)
  const ec = key.asymmetricKeyType === 'ec'
  const header = {alg: ec ? 'ES256' : 'PS256', kid: credentials.certificateId, typ: 'JWT'}
  const issuedAt = Math.floor(now / 1000)
  const payload = {
    aud: audience,
    exp: issuedAt + 30 * 60,
    iat: issuedAt,
    iss: credentials.clientId,
    jti: randomBytes(12).toString('hex'),
    scope: credentials.scope ?? 'rest_webservices',
  }
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
  const signature = ec
    ? sign('sha256', Buffer.from(signingInput), {dsaEncoding: 'ieee-p1363', key})
    : sign('sha256', Buffer.from(signingInput), {key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32})
  return `${signingInput}.${base64url(signature)}`
}

/**
 * The client-credentials grant with a fresh assertion per request. Every attempt would send the same
 * assertion: a failed token request is not resent as it is. The token is asked for again 30 s before the
 * expiry its answer states (50 minutes until the answer is in).
 */
export function clientCredentialsGrant(credentials: ClientCredentials & {tokenUrl: string}): ClientCredentialsGrant {
  return {
    client: {
      audience: `${credentials.certificateId} ${credentials.scope ?? 'rest_webservices'}`,
      clientId: credentials.clientId,
    },
    describeError: (status, body) => describeNetSuiteError(status, body) ?? describeOAuthError(body),
    expiry: {assumedLifetimeMs: 50 * 60_000, marginMs: 30_000},
    form: () => ({
      client_assertion: clientAssertion(credentials, credentials.tokenUrl),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      grant_type: 'client_credentials',
    }),
    read: (body) => parseAnswer(schemas.tokenAnswer, body, 'NetSuite', 'the token response'),
    resend: 'once',
    url: credentials.tokenUrl,
  }
}
