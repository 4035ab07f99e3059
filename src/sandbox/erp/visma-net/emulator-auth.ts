import {randomBytes} from 'node:crypto'

import {json, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'
import type {VismaNetState} from './emulator-state.js'

/** Visma Connect's client-credentials grant: the client, its secret and the tenant in the form, an ERP service scope. */
export function issueToken(state: VismaNetState, request: SandboxRequest): SandboxResponse {
  if (request.method !== 'POST')
    return json(405, {error: 'invalid_request', error_description: 'The token endpoint takes POST.'})
  const form = new URLSearchParams(request.body)
  if (form.get('grant_type') !== 'client_credentials') return json(400, {error: 'unsupported_grant_type'})
  if (form.get('client_id') !== state.clientId || form.get('client_secret') !== state.clientSecret)
    return json(400, {error: 'invalid_client'})
  if (form.get('tenant_id') !== state.tenantId)
    return json(400, {error: 'invalid_request', error_description: 'The client has no access to the tenant.'})
  const scopes = (form.get('scope') ?? '').split(' ')
  if (!scopes.some((scope) => scope.startsWith('vismanet_erp_service_api:'))) return json(400, {error: 'invalid_scope'})
  const token = `sbx-vnet-${randomBytes(18).toString('base64url')}`
  state.tokens.push(token)
  return json(200, {access_token: token, expires_in: 3600, scope: scopes.join(' '), token_type: 'Bearer'})
}
