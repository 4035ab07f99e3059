import {z} from 'zod'

import {defineErpSystem} from '../erp-system.js'

const optional = z.string().optional()
const defaultTokenUrl = 'https://connect.visma.com/connect/token'
const defaultScope = 'vismanet_erp_service_api:read'

/**
 * The profile's `erp` section for Visma.net ERP (API v1): a Visma Connect service integration (client id and
 * secret for one tenant), or a ready bearer token; the company id for `ipp-company-id` where the token needs
 * it; the warehouses the platform reads stock from.
 */
const section = z.object({
  clientId: optional,
  clientSecret: optional,
  companyId: optional,
  scope: z.string().default(defaultScope),
  system: z.literal('visma-net'),
  tenantId: optional,
  token: optional,
  tokenUrl: z.string().default(defaultTokenUrl),
  // The API base is the host: a URL given with the version (`…/v1`) means the same, as the connector adds `/v1/…`.
  url: z
    .string()
    .default('https://api.finance.visma.net')
    .transform((url) => url.replace(/\/+$/, '').replace(/\/v1$/i, '')),
  warehouses: optional,
})

export type VismaNetProfile = z.infer<typeof section>

const usesClientCredentials = (known: Readonly<Record<string, string | undefined>>) => !known.token

export const vismaNet = defineErpSystem({
  check: (erp) =>
    erp.token || (erp.clientId && erp.clientSecret && erp.tenantId)
      ? null
      : {
          fix: 'Add erp.token, or erp.clientId, erp.clientSecret and erp.tenantId (a Visma Connect service integration).',
          problem: 'the Visma.net ERP has neither a token nor client credentials with a tenant',
        },
  cmsSystem: 'visma',
  connect: async (erp, http, session) =>
    new (await import('./connector.js')).VismaNetConnector(
      http,
      {
        auth: erp.token
          ? {token: erp.token}
          : {
              clientId: erp.clientId ?? '',
              clientSecret: erp.clientSecret ?? '',
              scope: erp.scope,
              tenantId: erp.tenantId ?? '',
              tokenUrl: erp.tokenUrl,
            },
        companyId: erp.companyId,
        url: erp.url,
        warehouses: (erp.warehouses ?? '')
          .split(';')
          .map((warehouse) => warehouse.trim())
          .filter(Boolean),
      },
      session,
    ),
  displayName: 'Visma.net',
  id: 'visma-net',
  otherUrls: (erp) => (erp.token ? [] : [erp.tokenUrl]),
  schema: section,
  settings: [
    {
      default: 'https://api.finance.visma.net',
      description: 'Visma.net: API base URL',
      field: 'url',
      flag: 'erp-url',
      kind: 'url',
    },
    {
      default: defaultTokenUrl,
      description: 'Visma.net: Visma Connect token endpoint',
      field: 'tokenUrl',
      flag: 'token-url',
      kind: 'url',
    },
    {
      description: 'Visma.net: a ready bearer token instead of client credentials',
      field: 'token',
      flag: 'erp-token',
      kind: 'secret',
      optional: true,
    },
    {
      askWhen: usesClientCredentials,
      description: 'Visma.net: the Visma Connect tenant id (GUID)',
      field: 'tenantId',
      flag: 'tenant',
      kind: 'text',
      prompt: 'Visma Connect tenant id',
    },
    {
      askWhen: usesClientCredentials,
      description: "Visma.net: the service integration's client id",
      field: 'clientId',
      flag: 'client-id',
      kind: 'text',
      prompt: 'Visma.net client id',
    },
    {
      askWhen: usesClientCredentials,
      description: "Visma.net: the service integration's client secret",
      field: 'clientSecret',
      flag: 'client-secret',
      kind: 'secret',
      prompt: 'Visma.net client secret',
    },
    {
      default: defaultScope,
      description: `Visma.net: the token's scope (default ${defaultScope})`,
      field: 'scope',
      flag: 'scope',
      kind: 'text',
    },
    {
      description: 'Visma.net: company id, sent as ipp-company-id',
      field: 'companyId',
      flag: 'company-id',
      kind: 'text',
      optional: true,
    },
    {
      description: 'Visma.net: the warehouses the platform reads stock from, ;-separated (default all)',
      field: 'warehouses',
      flag: 'warehouses',
      kind: 'text',
      optional: true,
    },
  ],
})
