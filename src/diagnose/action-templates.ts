import type {EntityName} from '../report/entities.js'
import type {ActionKind, ActionOwner} from '../report/types.js'
import {shellQuote} from '../util/shell.js'

export interface ActionContext {
  entity: EntityName
  key: string
  /** Flags that point a command at the same installation: `--sandbox`, `--profile acme`. */
  commandSuffix: string
  /** The trace command itself, for "check again". */
  traceCommand: string
  userId?: string
}

export interface ActionTemplate {
  kind: ActionKind
  owner: ActionOwner
  automatable: boolean
  describe: (context: ActionContext) => string
  command?: (context: ActionContext) => string
}

export const withSuffix = (command: string, context: ActionContext) =>
  context.commandSuffix ? `${command} ${context.commandSuffix}` : command

export const targetedSync: ActionTemplate = {
  automatable: true,
  command: (context) => withSuffix(`synctrace sync ${context.entity} ${shellQuote(context.key)}`, context),
  describe: (context) =>
    `Run a targeted CMS sync of ${context.entity} ${context.key} (admin); it then reaches the app and webshop.`,
  kind: 'targeted-sync',
  owner: 'admin',
}

export const platformSupport = (what: string): ActionTemplate => ({
  automatable: false,
  command: (context) => context.traceCommand,
  describe: () => `Contact platform support with this report: ${what}`,
  kind: 'contact-platform-support',
  owner: 'platform-support',
})

export const retryTrace = (what: string): ActionTemplate => ({
  automatable: false,
  command: (context) => context.traceCommand,
  describe: () => what,
  kind: 'retry-trace',
  owner: 'support',
})

/** Nothing to do but wait; the command is the same trace, to run again later. */
export const waitThenTrace = (description: string): ActionTemplate => ({
  automatable: false,
  command: (context) => context.traceCommand,
  describe: () => description,
  kind: 'wait',
  owner: 'nobody',
})

export const retransfer: ActionTemplate = {
  automatable: true,
  command: (context) => withSuffix(`synctrace retransfer order ${shellQuote(context.key)}`, context),
  describe: (context) => `Retransfer order ${context.key} to the ERP (admin).`,
  kind: 'order-retransfer',
  owner: 'admin',
}

export const fixInErpThenRetransfer: ActionTemplate = {
  automatable: false,
  command: (context) => withSuffix(`synctrace retransfer order ${shellQuote(context.key)}`, context),
  describe: () =>
    'The ERP consultant fixes what the ERP rejected (named in the evidence: create the missing item or customer); then an admin retransfers the order with the command below.',
  kind: 'fix-in-erp-then-retransfer',
  owner: 'erp-consultant',
}

/** Republish one record to the webshop. */
export const webshopRepublish: ActionTemplate = {
  automatable: true,
  command: (context) => withSuffix(`synctrace refresh webshop ${context.entity} ${shellQuote(context.key)}`, context),
  describe: (context) => `Republish ${context.entity} ${context.key} to the webshop (admin).`,
  kind: 'webshop-republish',
  owner: 'admin',
}
