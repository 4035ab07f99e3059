import {entityTrace} from '../descriptor.js'
import {diagnosePrice} from './diagnose.js'
import {observePrice} from './observe.js'

/** How one customer's price of one item is observed and diagnosed (loaded by the descriptor when a trace runs). */
export const trace = entityTrace(observePrice, diagnosePrice)
