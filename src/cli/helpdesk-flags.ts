import {Flags} from '@oclif/core'

/** The helpdesks the sandbox emulates (src/connectors/helpdesk/registry.ts; kept literal so --help loads no connector). */
export const sandboxHelpdeskNames = ['zendesk', 'freshdesk', 'jira'] as const

/** `--helpdesk`: with --sandbox, the helpdesk the sandbox's profile points at. */
export const helpdeskFlag = Flags.option({
  dependsOn: ['sandbox'],
  description: "With --sandbox: the sandbox's helpdesk the ticket is read from and notes go to (default zendesk).",
  helpGroup: 'CONNECTION',
  options: sandboxHelpdeskNames,
})()

/** `--post <ticket>` of `trace`: the report as one internal note on a ticket of the profile's helpdesk. */
export const postToTicketFlag = Flags.string({
  description:
    "Add the report to this ticket of the profile's helpdesk as one internal note (not again if the same report is already there).",
})
