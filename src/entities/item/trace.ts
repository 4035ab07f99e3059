import {entityTrace} from '../descriptor.js'
import {diagnoseItem} from './diagnose.js'
import {observeItem} from './observe.js'

/** How one item is observed and diagnosed (loaded by the descriptor when a trace runs). */
export const trace = entityTrace((clients, key) => observeItem(clients, key), diagnoseItem)
