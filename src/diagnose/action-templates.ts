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
  /**
   * What a sync or republish of this record names when it is not the record itself (a price: its customer
   * `customer 10042`, or its list `prices B2B-A`).
   */
  sync?: {noun: string; key: string}
}

/** The words a sync or republish command names the record by. */
const syncNoun = (context: ActionContext) => context.sync ?? {key: context.key, noun: context.entity}

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
  command: (context) => {
    const {key, noun} = syncNoun(context)
    return withSuffix(`synctrace sync ${noun} ${shellQuote(key)}`, context)
  },
  describe: (context) => {
    const {key, noun} = syncNoun(context)
    return `Run a targeted CMS sync of ${noun} ${key} (admin); it then reaches the app and webshop.`
  },
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
  command: (context) => {
    const {key, noun} = syncNoun(context)
    return withSuffix(`synctrace refresh webshop ${noun} ${shellQuote(key)}`, context)
  },
  describe: (context) => {
    const {key, noun} = syncNoun(context)
    return `Republish ${noun} ${key} to the webshop (admin).`
  },
  kind: 'webshop-republish',
  owner: 'admin',
}
