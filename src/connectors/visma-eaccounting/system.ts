import {z} from 'zod'

import {defineErpSystem} from '../erp-system.js'

/**
 * The profile's `erp` section for Visma eAccounting (API v2): the integration's OAuth2 client and the
 * refresh token of its authorization, which Visma Connect replaces on every use.
 */
const section = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  refreshToken: z.string().min(1),
  system: z.literal('visma-eaccounting'),
  tokenUrl: z.string().default('https://identity.vismaonline.com/connect/token'),
  // The API base is the host: a URL given with the version (`…/v2`) means the same, as the connector adds `/v2/…`.
  url: z
    .string()
    .default('https://eaccountingapi.vismaonline.com')
    .transform((url) => url.replace(/\/+$/, '').replace(/\/v2$/i, '')),
})

export type VismaEAccountingProfile = z.infer<typeof section>

export const vismaEAccounting = defineErpSystem({
  cmsSystem: 'visma',
  connect: async (erp, http, session) =>
    new (await import('./connector.js')).VismaEAccountingConnector(
      http,
      {
        clientId: erp.clientId,
        clientSecret: erp.clientSecret,
        refreshToken: erp.refreshToken,
        tokenUrl: erp.tokenUrl,
        url: erp.url,
      },
      session,
    ),
  displayName: 'Visma eAccounting',
  id: 'visma-eaccounting',
  otherUrls: (erp) => [erp.tokenUrl],
  schema: section,
  settings: [
    {
      default: 'https://eaccountingapi.vismaonline.com',
      description: 'Visma eAccounting: API base URL',
      field: 'url',
      flag: 'erp-url',
      kind: 'url',
    },
    {
      default: 'https://identity.vismaonline.com/connect/token',
      description: 'Visma eAccounting: the Visma Connect token endpoint',
      field: 'tokenUrl',
      flag: 'token-url',
      kind: 'url',
    },
    {
      description: 'Visma eAccounting: OAuth2 client id of the integration',
      field: 'clientId',
      flag: 'client-id',
      kind: 'text',
      prompt: 'Visma eAccounting client id',
    },
    {
      description: 'Visma eAccounting: OAuth2 client secret',
      field: 'clientSecret',
      flag: 'client-secret',
      kind: 'secret',
      prompt: 'Visma eAccounting client secret',
    },
    {
      description:
        'Visma eAccounting: the refresh token of the authorization (replaced on every use; keep it with --store-secrets so the new one is saved)',
      field: 'refreshToken',
      flag: 'refresh-token',
      kind: 'secret',
      prompt: 'Visma eAccounting refresh token',
      rotates: true,
    },
  ],
})
