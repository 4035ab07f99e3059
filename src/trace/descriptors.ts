import type {InstallationClients} from '../connectors/installation.js'
import type {ActionContext} from '../diagnose/actions.js'
import type {Diagnosis} from '../diagnose/conclude.js'
import {diagnoseCustomer} from '../diagnose/customer.js'
import {diagnoseItem} from '../diagnose/item.js'
import {diagnoseOrder} from '../diagnose/order.js'
import {observeCustomer} from '../observe/customer.js'
import type {Fetched} from '../observe/fetched.js'
import {observeItem} from '../observe/item.js'
import {observeOrder} from '../observe/order.js'
import {type EntityName, type EntityWords, entities} from '../report/entities.js'

/**
 * One descriptor per entity: its words (report/entities.ts), how it is observed and how it is diagnosed.
 * The trace pipeline (run.ts) is generic over it; adding an entity is one more entry here.
 */

/** What the pipeline needs of any entity's observations besides what its diagnosis reads. */
interface Observed {
  now: Date
  /** The file server's answer, for the report's `fileServer`. */
  ftp: Fetched<{location: string}> | null
}

export interface Observation {
  diagnosis: Diagnosis
  now: Date
  ftp: Fetched<{location: string}> | null
}

export interface EntityDescriptor extends EntityWords {
  name: EntityName
  /** Asks every hop about one record, and diagnoses the answers. */
  observeAndDiagnose(
    clients: InstallationClients,
    key: string,
    options: {userId?: string},
    context: Omit<ActionContext, 'key' | 'userId' | 'entity'>,
  ): Promise<Observation>
}

function descriptor<O extends Observed>(
  name: EntityName,
  observe: (clients: InstallationClients, key: string, options: {userId?: string}) => Promise<O>,
  diagnose: (observations: O, context: Omit<ActionContext, 'key' | 'userId' | 'entity'>) => Diagnosis,
): EntityDescriptor {
  return {
    ...entities[name],
    name,
    observeAndDiagnose: async (clients, key, options, context) => {
      const observations = await observe(clients, key, options)
      return {diagnosis: diagnose(observations, context), ftp: observations.ftp, now: observations.now}
    },
  }
}

export const descriptors: Record<EntityName, EntityDescriptor> = {
  customer: descriptor('customer', observeCustomer, diagnoseCustomer),
  item: descriptor('item', (clients, key) => observeItem(clients, key), diagnoseItem),
  order: descriptor('order', observeOrder, diagnoseOrder),
}
