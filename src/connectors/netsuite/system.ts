import {z} from 'zod'

import {defineErpSystem} from '../erp-system.js'
import {accountUrl, tokenEndpoint} from './account.js'

const optional = z.string().min(1).optional()

/**
 * The profile's `erp` section for NetSuite (SuiteTalk REST): the account id, and token-based authentication
 * (consumer key and secret, token id and secret; the platform's own connector settings) or OAuth 2.0 client
 * credentials (client id, certificate id, private key), which Oracle prefers: no new TBA integrations from
 * NetSuite 2027.1. `url` defaults to the account's `https://<account>.suitetalk.api.netsuite.com`.
 */
const section = z
  .object({
    accountId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
    basePriceLevel: z.string().min(1).default('Base Price'),
    certificateId: optional,
    clientId: optional,
    concurrency: z
      .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
      .pipe(z.number().int().min(1).max(10))
      .default(1),
    consumerKey: optional,
    consumerSecret: optional,
    privateKey: optional,
    scope: optional,
    system: z.literal('netsuite'),
    tokenId: optional,
    tokenSecret: optional,
    tokenUrl: optional,
    url: optional,
  })
  // The REST base is the host: a URL given with the path the REST API lives under (`…/services/rest`) means the same.
  .transform((erp) => ({
    ...erp,
    url: erp.url ? erp.url.replace(/\/+$/, '').replace(/\/services\/rest$/i, '') : accountUrl(erp.accountId),
  }))

export type NetSuiteProfile = z.infer<typeof section>

const usesClientCredentials = (known: Readonly<Record<string, string | undefined>>) => Boolean(known.clientId)
const usesTokens = (known: Readonly<Record<string, string | undefined>>) => !known.clientId

export const netsuite = defineErpSystem({
  check: (erp) =>
    (erp.consumerKey && erp.consumerSecret && erp.tokenId && erp.tokenSecret) ||
    (erp.clientId && erp.certificateId && erp.privateKey)
      ? null
      : {
          fix: 'Add erp.consumerKey, erp.consumerSecret, erp.tokenId and erp.tokenSecret (token-based authentication), or erp.clientId, erp.certificateId and erp.privateKey (OAuth 2.0 client credentials).',
          problem: 'the NetSuite ERP has neither complete token-based credentials nor client credentials',
        },
  cmsSystem: 'netsuite',
  // A profile made in code (the sandbox's) has not been through the schema: its defaults are applied here.
  connect: async (profile, http, session) => {
    const erp = section.parse(profile)
    const {NetSuiteConnector} = await import('./connector.js')
    return new NetSuiteConnector(
      http,
      {
        accountId: erp.accountId,
        auth:
          erp.clientId && erp.certificateId && erp.privateKey
            ? {
                certificateId: erp.certificateId,
                clientId: erp.clientId,
                kind: 'oauth2',
                privateKey: erp.privateKey,
                scope: erp.scope,
                tokenUrl: erp.tokenUrl ?? tokenEndpoint(erp.url),
              }
            : {
                accountId: erp.accountId,
                consumerKey: erp.consumerKey ?? '',
                consumerSecret: erp.consumerSecret ?? '',
                kind: 'tba',
                tokenId: erp.tokenId ?? '',
                tokenSecret: erp.tokenSecret ?? '',
              },
        basePriceLevel: erp.basePriceLevel,
        concurrency: erp.concurrency,
        url: erp.url,
      },
      session,
    )
  },
  displayName: 'NetSuite',
  id: 'netsuite',
  otherUrls: (erp) => (erp.tokenUrl ? [erp.tokenUrl] : []),
  schema: section,
  settings: [
    {
      description: 'NetSuite: account id (1234567 or 1234567_SB1)',
      field: 'accountId',
      flag: 'account-id',
      kind: 'text',
      prompt: 'NetSuite account id',
    },
    {
      description: 'NetSuite: REST base URL (default https://<account>.suitetalk.api.netsuite.com)',
      field: 'url',
      flag: 'erp-url',
      kind: 'url',
      optional: true,
    },
    {
      description: 'NetSuite: OAuth 2.0 client id, for client credentials instead of token-based authentication',
      field: 'clientId',
      flag: 'client-id',
      kind: 'text',
      optional: true,
    },
    {
      askWhen: usesClientCredentials,
      description: 'NetSuite: certificate id of the client-credentials mapping',
      field: 'certificateId',
      flag: 'certificate-id',
      kind: 'text',
      prompt: 'NetSuite certificate id',
    },
    {
      askWhen: usesClientCredentials,
      description: "NetSuite: the certificate's private key (PEM)",
      field: 'privateKey',
      flag: 'private-key',
      kind: 'secret',
      prompt: 'NetSuite private key (PEM)',
    },
    {
      description: "NetSuite: OAuth 2.0 token endpoint (default: the account's)",
      field: 'tokenUrl',
      flag: 'token-url',
      kind: 'url',
      optional: true,
    },
    {
      askWhen: usesTokens,
      description: 'NetSuite: consumer key of the integration (token-based authentication)',
      field: 'consumerKey',
      flag: 'consumer-key',
      kind: 'text',
      prompt: 'NetSuite consumer key',
    },
    {
      askWhen: usesTokens,
      description: 'NetSuite: consumer secret',
      field: 'consumerSecret',
      flag: 'consumer-secret',
      kind: 'secret',
      prompt: 'NetSuite consumer secret',
    },
    {
      askWhen: usesTokens,
      description: 'NetSuite: token id',
      field: 'tokenId',
      flag: 'token-id',
      kind: 'text',
      prompt: 'NetSuite token id',
    },
    {
      askWhen: usesTokens,
      description: 'NetSuite: token secret',
      field: 'tokenSecret',
      flag: 'token-secret',
      kind: 'secret',
      prompt: 'NetSuite token secret',
    },
    {
      default: 'Base Price',
      description: 'NetSuite: the price level base prices come from (default "Base Price")',
      field: 'basePriceLevel',
      flag: 'base-price-level',
      kind: 'text',
    },
    {
      default: '1',
      description: "NetSuite: requests in flight at once, 1-10 (default 1; the account's limit is shared)",
      field: 'concurrency',
      flag: 'concurrency',
      kind: 'text',
    },
  ],
})
