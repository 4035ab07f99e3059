import {entityTrace} from '../descriptor.js'
import {diagnoseOrder} from './diagnose.js'
import {observeOrder} from './observe.js'
import {cmsCustomer} from '../customer/platform.js'

/** How one order is observed and diagnosed (loaded by the descriptor when a trace runs). */
export const trace = entityTrace(observeOrder, diagnoseOrder, async (clients, diagnosis) => {
  // An order has no sales reps of its own: those of its customer, as the CMS holds it.
  const customerCode = diagnosis.hops
    .find((entry) => entry.hop === 'cms')
    ?.evidence.find((entry) => entry.name === 'customerCode')?.text
  const customer = customerCode ? await clients.cms.record(cmsCustomer, customerCode).catch(() => null) : null
  return customer?.customer.salesRepCodes ?? null
})
