import {z} from 'zod'

import {defineHelpdeskSystem} from '../types.js'

/** The profile's `helpdesk` section for Jira Service Management (Cloud): the site URL, an agent's e-mail and API token. */
const section = z.object({
  email: z.string().min(3),
  system: z.literal('jira'),
  token: z.string().min(1),
  url: z.string(),
})

export const jira = defineHelpdeskSystem({
  auth: 'Basic {email}:{API token}',
  connect: async (helpdesk, http) => new (await import('./connector.js')).JiraConnector(http, helpdesk),
  displayName: 'Jira Service Management',
  id: 'jira',
  schema: section,
  settings: [
    {
      description: 'Jira: the site URL (https://{site}.atlassian.net)',
      field: 'url',
      flag: 'helpdesk-url',
      kind: 'url',
      prompt: 'Jira site URL (https://{site}.atlassian.net)',
    },
    {
      description: "Jira: the agent's Atlassian account e-mail",
      field: 'email',
      flag: 'helpdesk-email',
      kind: 'text',
      prompt: "Jira agent's e-mail",
    },
    {
      description: "Jira: the agent's API token",
      field: 'token',
      flag: 'helpdesk-token',
      kind: 'secret',
      prompt: 'Jira API token',
    },
  ],
  ticketExample: 'SUP-12',
  // An issue key, or the numeric id (the REST API takes either as {issueIdOrKey}).
  ticketPattern: /^(?:[A-Z][A-Z0-9_]{0,30}-[1-9]\d{0,15}|[1-9]\d{0,17})$/,
})
