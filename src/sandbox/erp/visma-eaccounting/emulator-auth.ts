import {randomBytes} from 'node:crypto'

import {json, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'
import type {VismaEAccountingState} from './emulator-state.js'

/** Visma Connect's token endpoint: the refresh-token grant, the client in HTTP Basic. */

/** Visma Connect's (IdentityServer's) token error: `{"error": "invalid_grant"}`. */
function tokenError(status: number, error: string, description?: string): SandboxResponse {
  return json(status, description ? {error, error_description: description} : {error})
}

function basicCredentials(request: SandboxRequest): {id: string; secret: string} | null {
  const header = request.headers.authorization
  if (typeof header !== 'string' || !/^Basic /i.test(header)) return null
  const [id, secret] = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8').split(':', 2)
  try {
    return id === undefined || secret === undefined
      ? null
      : {id: decodeURIComponent(id), secret: decodeURIComponent(secret)}
  } catch {
    return null
  }
}

/** `POST /connect/token`: a refresh spends the refresh token (unless the client reuses them) and issues the next. */
export function issueToken(state: VismaEAccountingState, request: SandboxRequest): SandboxResponse {
  if (request.method !== 'POST') return tokenError(405, 'invalid_request')
  if (!/application\/x-www-form-urlencoded/i.test(String(request.headers['content-type'] ?? '')))
    return tokenError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded')
  const form = new URLSearchParams(request.body)
  const client = basicCredentials(request)
  if (!client || client.id !== state.clientId || client.secret !== state.clientSecret)
    return tokenError(400, 'invalid_client')
  if (form.get('grant_type') !== 'refresh_token') return tokenError(400, 'unsupported_grant_type')
  if (form.get('refresh_token') !== state.refreshToken) {
    state.spentTokenReuses++
    return tokenError(400, 'invalid_grant')
  }
  const accessToken = `sbx-visma-access-${randomBytes(18).toString('base64url')}`
  state.accessTokens.add(accessToken)
  if (state.refreshTokenUsage === 'one-time')
    state.refreshToken = `sbx-visma-refresh-${randomBytes(18).toString('base64url')}`
  return json(200, {
    access_token: accessToken,
    expires_in: 3600,
    refresh_token: state.refreshToken,
    scope: 'ea:api ea:sales_readonly offline_access',
    token_type: 'Bearer',
  })
}
