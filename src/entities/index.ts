import type {EntityName} from '../report/entities.js'
import customer from './customer/index.js'
import type {EntityDescriptor} from './descriptor.js'
import item from './item/index.js'
import order from './order/index.js'
import price from './price/index.js'

/**
 * The registry of entities: adding one is its folder (`src/entities/<entity>/`, the descriptor in its
 * `index.ts`) and one entry here. Every list and union of entity names derives from it.
 */
export const entityList = [customer, item, order, price] as const

export const entityNames: readonly EntityName[] = entityList.map((entity) => entity.name)

export const entities = Object.fromEntries(entityList.map((entity) => [entity.name, entity])) as Readonly<
  Record<EntityName, EntityDescriptor<EntityName>>
>

export type {EntityName} from '../report/entities.js'
export type {EntityDescriptor} from './descriptor.js'
