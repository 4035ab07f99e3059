import {z} from 'zod'

import {defineErpSystem} from '../erp-system.js'

const optional = z.string().optional()

/** The profile's `erp` section for Business Central (API v2.0): a ready token, or OAuth2 client credentials. */
const section = z.object({
  clientId: optional,
  clientSecret: optional,
  companyId: z.string().min(1),
  environment: z.string().min(1).default('Production'),
  // The platform's AL extension with its price pages: `true`/`false` in the config file or from `--price-extension`.
  priceExtension: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
    .default(false),
  scope: optional,
  shipToApiPath: optional,
  system: z.literal('businesscentral'),
  tenant: z.string().min(1),
  token: optional,
  tokenUrl: optional,
  url: z.string().default('https://api.businesscentral.dynamics.com'),
})

export type BusinessCentralProfile = z.infer<typeof section>

const usesClientCredentials = (known: Readonly<Record<string, string | undefined>>) => !known.token

export const businessCentral = defineErpSystem({
  check: (erp) =>
    erp.token || (erp.clientId && erp.clientSecret)
      ? null
      : {
          fix: 'Add erp.token, or erp.clientId and erp.clientSecret.',
          problem: 'the Business Central ERP has neither a token nor client credentials',
        },
  connect: async (erp, http, session) =>
    new (await import('./connector.js')).BusinessCentralConnector(
      http,
      {
        auth: erp.token
          ? {token: erp.token}
          : {
              clientId: erp.clientId ?? '',
              clientSecret: erp.clientSecret ?? '',
              scope: erp.scope,
              tokenUrl: erp.tokenUrl,
            },
        companyId: erp.companyId,
        environment: erp.environment,
        priceExtension: erp.priceExtension,
        shipToApiPath: erp.shipToApiPath,
        tenant: erp.tenant,
        url: erp.url,
      },
      session,
    ),
  displayName: 'Business Central',
  id: 'businesscentral',
  otherUrls: (erp) => [erp.tokenUrl ?? 'https://login.microsoftonline.com'],
  schema: section,
  settings: [
    {
      default: 'https://api.businesscentral.dynamics.com',
      description: 'Business Central: API base URL',
      field: 'url',
      flag: 'erp-url',
      kind: 'url',
    },
    {
      description: 'Business Central: tenant (Entra ID domain or GUID)',
      field: 'tenant',
      flag: 'tenant',
      kind: 'text',
      prompt: 'Business Central tenant',
    },
    {
      default: 'Production',
      description: 'Business Central: environment name (default Production)',
      field: 'environment',
      flag: 'environment',
      kind: 'text',
    },
    {
      description: 'Business Central: company id (GUID)',
      field: 'companyId',
      flag: 'company-id',
      kind: 'text',
      prompt: 'Business Central company id',
    },
    {
      default: 'false',
      description:
        "Business Central: is the platform's AL extension with price lists installed (true/false, default false)",
      field: 'priceExtension',
      flag: 'price-extension',
      kind: 'text',
    },
    {
      description: 'Business Central: token endpoint (default: Microsoft Entra ID for the tenant)',
      field: 'tokenUrl',
      flag: 'token-url',
      kind: 'url',
      optional: true,
    },
    {
      description: 'Business Central: a ready bearer token instead of client credentials',
      field: 'token',
      flag: 'erp-token',
      kind: 'secret',
      optional: true,
    },
    {
      askWhen: usesClientCredentials,
      description: 'Business Central: OAuth2 client id',
      field: 'clientId',
      flag: 'client-id',
      kind: 'text',
      prompt: 'Business Central client id',
    },
    {
      askWhen: usesClientCredentials,
      description: 'Business Central: OAuth2 client secret',
      field: 'clientSecret',
      flag: 'client-secret',
      kind: 'secret',
      prompt: 'Business Central client secret',
    },
  ],
})
