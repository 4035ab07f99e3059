import {z} from 'zod'

import {defineHelpdeskSystem} from '../types.js'

/** The profile's `helpdesk` section for Zendesk: the account's URL, an agent's e-mail and API token. */
const section = z.object({
  email: z.string().min(3),
  system: z.literal('zendesk'),
  token: z.string().min(1),
  url: z.string(),
})

export const zendesk = defineHelpdeskSystem({
  auth: 'Basic {email}/token:{API token}',
  connect: async (helpdesk, http) => new (await import('./connector.js')).ZendeskConnector(http, helpdesk),
  displayName: 'Zendesk',
  id: 'zendesk',
  schema: section,
  settings: [
    {
      description: 'Zendesk: the account URL (https://{subdomain}.zendesk.com)',
      field: 'url',
      flag: 'helpdesk-url',
      kind: 'url',
      prompt: 'Zendesk URL (https://{subdomain}.zendesk.com)',
    },
    {
      description: "Zendesk: the agent's e-mail address",
      field: 'email',
      flag: 'helpdesk-email',
      kind: 'text',
      prompt: "Zendesk agent's e-mail",
    },
    {
      description: "Zendesk: the agent's API token",
      field: 'token',
      flag: 'helpdesk-token',
      kind: 'secret',
      prompt: 'Zendesk API token',
    },
  ],
  ticketExample: '4711',
  ticketPattern: /^[1-9]\d{0,15}$/,
})
