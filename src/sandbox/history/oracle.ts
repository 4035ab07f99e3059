import type {History, OracleAnswer} from './types.js'
import {customerInbound, customerOutbound} from './oracle-customer.js'
import {itemTrace} from './oracle-item.js'
import {orderTrace} from './oracle-order.js'

/**
 * The expected verdict of a trace of the history's record, from the history alone (the rules it keeps to
 * are in oracle-rules.ts); one file per entity: oracle-customer.ts, oracle-item.ts, oracle-order.ts.
 */
export function expectedVerdict(history: History): OracleAnswer {
  if (history.entity === 'item') return itemTrace(history)
  if (history.entity === 'order') return orderTrace(history)
  return history.events.some((event) => event.kind === 'device-create') ? customerOutbound(history) : customerInbound(history)
}
