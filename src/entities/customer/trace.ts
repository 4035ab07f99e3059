import {entityTrace} from '../descriptor.js'
import {diagnoseCustomer} from './diagnose.js'
import {observeCustomer} from './observe.js'

/** How one customer is observed and diagnosed (loaded by the descriptor when a trace runs). */
export const trace = entityTrace(observeCustomer, diagnoseCustomer)
