import {constants, createHmac, createPublicKey, randomBytes, timingSafeEqual, verify} from 'node:crypto'

import {json, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'
import type {Json, NetSuiteState} from './emulator-state.js'

/** How the emulated account checks a login: a TBA signature, or a client-credentials JWT for a bearer token. */

/** RFC 3986 percent-encoding, as OAuth 1.0a's base string needs it. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/** `OAuth realm="…", oauth_consumer_key="…", …` → its parameters, percent-decoded. */
function oauthParameters(header: string): Record<string, string> | null {
  if (!/^OAuth\s/i.test(header)) return null
  const parameters: Record<string, string> = {}
  for (const match of header.slice(6).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) {
    try {
      parameters[match[1] as string] = decodeURIComponent(match[2] as string)
    } catch {
      return null
    }
  }
  return parameters
}

/**
 * The check NetSuite makes of a TBA request: the realm is the account, HMAC-SHA256, the consumer and the
 * token are known, the timestamp within five minutes, the nonce new, and the signature the HMAC of the
 * base string (method, URL without query, every query and oauth_* parameter but realm and the signature,
 * sorted) with `consumerSecret&tokenSecret`. The query is read as a form: a `+` is a space.
 */
export function verifyTba(
  state: NetSuiteState,
  request: SandboxRequest,
  url: string,
  seenNonces: Map<string, number>,
): boolean {
  const parameters = oauthParameters(String(request.headers.authorization ?? ''))
  if (!parameters) return false
  const {oauth_nonce: nonce, oauth_signature: signature, oauth_timestamp: timestamp, realm} = parameters
  if (
    realm !== state.accountId.toUpperCase().replace(/-/g, '_') ||
    parameters.oauth_signature_method !== 'HMAC-SHA256' ||
    parameters.oauth_version !== '1.0'
  )
    return false
  if (
    parameters.oauth_consumer_key !== state.consumerKey ||
    parameters.oauth_token !== state.tokenId ||
    !signature ||
    !nonce ||
    nonce.length < 6
  )
    return false
  const now = Date.now()
  if (!/^\d+$/.test(timestamp ?? '') || Math.abs(Number(timestamp) * 1000 - now) > 5 * 60_000) return false
  for (const [seen, at] of seenNonces) if (at < now - 10 * 60_000) seenNonces.delete(seen)
  const nonceKey = `${nonce}:${timestamp}`
  if (seenNonces.has(nonceKey)) return false
  const pairs: Array<[string, string]> = [...request.query.entries()]
  for (const [name, value] of Object.entries(parameters))
    if (name.startsWith('oauth_') && name !== 'oauth_signature') pairs.push([name, value])
  const normalized = pairs
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
  const base = `${request.method.toUpperCase()}&${rfc3986(url)}&${rfc3986(normalized)}`
  const expected = createHmac('sha256', `${rfc3986(state.consumerSecret)}&${rfc3986(state.tokenSecret)}`)
    .update(base)
    .digest()
  const given = Buffer.from(signature, 'base64')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false
  seenNonces.set(nonceKey, now)
  return true
}

/** The client-credentials grant: a JWT signed PS256 or ES256 with the mapped certificate's key. */
export function issueToken(
  state: NetSuiteState,
  request: SandboxRequest,
  audience: string,
  issued: Map<string, number>,
): SandboxResponse {
  if (request.method !== 'POST')
    return json(405, {error: 'invalid_request', error_description: 'The token endpoint accepts only POST.'})
  const form = new URLSearchParams(request.body)
  if (form.get('grant_type') !== 'client_credentials') return json(400, {error: 'unsupported_grant_type'})
  if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    return json(400, {error: 'invalid_request'})
  const parts = (form.get('client_assertion') ?? '').split('.')
  if (parts.length !== 3) return json(400, {error: 'invalid_request'})
  let header: Json
  let payload: Json
  try {
    header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8')) as Json
    payload = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as Json
  } catch {
    return json(400, {error: 'invalid_request'})
  }
  const key = createPublicKey(state.publicKey)
  const signingInput = Buffer.from(`${parts[0]}.${parts[1]}`)
  const signature = Buffer.from(parts[2] as string, 'base64url')
  const valid =
    header.alg === 'PS256'
      ? verify('sha256', signingInput, {key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32}, signature)
      : header.alg === 'ES256' && key.asymmetricKeyType === 'ec'
        ? verify('sha256', signingInput, {dsaEncoding: 'ieee-p1363', key}, signature)
        : false
  const now = Math.floor(Date.now() / 1000)
  const scopes = String(payload.scope ?? '').split(/[ ,]+/)
  if (!valid || header.kid !== state.certificateId || payload.iss !== state.clientId || payload.aud !== audience)
    return json(401, {error: 'invalid_client'})
  if (
    typeof payload.iat !== 'number' ||
    typeof payload.exp !== 'number' ||
    payload.exp <= now ||
    payload.exp - payload.iat > 3600 ||
    !scopes.includes('rest_webservices')
  )
    return json(400, {error: 'invalid_grant'})
  const token = `sbx-ns-${randomBytes(24).toString('base64url')}`
  issued.set(token, Date.now() + 3600_000)
  return json(200, {access_token: token, expires_in: '3600', token_type: 'bearer'})
}
