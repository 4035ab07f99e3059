import {z} from 'zod'

import {defineHelpdeskSystem} from '../types.js'

/** The profile's `helpdesk` section for Freshdesk: the account's URL and an agent's API key. */
const section = z.object({
  system: z.literal('freshdesk'),
  token: z.string().min(1),
  url: z.string(),
})

export const freshdesk = defineHelpdeskSystem({
  auth: 'Basic {API key}:X',
  connect: async (helpdesk, http) => new (await import('./connector.js')).FreshdeskConnector(http, helpdesk),
  displayName: 'Freshdesk',
  id: 'freshdesk',
  schema: section,
  settings: [
    {
      description: 'Freshdesk: the account URL (https://{domain}.freshdesk.com)',
      field: 'url',
      flag: 'helpdesk-url',
      kind: 'url',
      prompt: 'Freshdesk URL (https://{domain}.freshdesk.com)',
    },
    {
      description: "Freshdesk: the agent's API key",
      field: 'token',
      flag: 'helpdesk-token',
      kind: 'secret',
      prompt: 'Freshdesk API key',
    },
  ],
  ticketExample: '4711',
  ticketPattern: /^[1-9]\d{0,15}$/,
})
