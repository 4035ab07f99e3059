import {z} from 'zod'

import {defineErpSystem} from '../erp-system.js'

/** The profile's `erp` section for Fortnox (API v3): the access token of the platform's integration. */
const section = z.object({
  system: z.literal('fortnox'),
  token: z.string().min(1),
  url: z.string().default('https://api.fortnox.se'),
})

export type FortnoxProfile = z.infer<typeof section>

export const fortnox = defineErpSystem({
  connect: async (erp, http) =>
    new (await import('./connector.js')).FortnoxConnector(http, {token: erp.token, url: erp.url}),
  displayName: 'Fortnox',
  id: 'fortnox',
  schema: section,
  settings: [
    {
      default: 'https://api.fortnox.se',
      description: 'Fortnox: API base URL',
      field: 'url',
      flag: 'erp-url',
      kind: 'url',
    },
    {
      description: 'Fortnox: the access token',
      field: 'token',
      flag: 'erp-token',
      kind: 'secret',
      prompt: 'Fortnox access token',
    },
  ],
})
