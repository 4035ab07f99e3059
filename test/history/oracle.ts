import type {History, OracleAnswer} from './types.js'
import {customerInbound} from './oracle-customer.js'
import {customerOutbound} from './oracle-customer-new.js'
import {itemTrace} from './oracle-item.js'
import {orderTrace} from './oracle-order.js'
import {priceTrace} from './oracle-price.js'

/**
 * The expected verdict of a trace of the history's record, from the history alone (the rules it keeps to
 * are in oracle-rules.ts, those customers and items share in oracle-inbound.ts); one file per entity and
 * direction: oracle-customer.ts (with oracle-customer-hops.ts), oracle-customer-new.ts, oracle-item.ts (with
 * oracle-item-hops.ts), oracle-order.ts.
 */
export function expectedVerdict(history: History): OracleAnswer {
  if (history.entity === 'item') return itemTrace(history)
  if (history.entity === 'order') return orderTrace(history)
  if (history.entity === 'price') return priceTrace(history)
  return history.events.some((event) => event.kind === 'device-create')
    ? customerOutbound(history)
    : customerInbound(history)
}
