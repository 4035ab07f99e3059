import type {HttpClient} from '../../http/client.js'
import type {ErpConnector} from '../erp.js'
import type {ErpSession} from '../erp-system.js'
import {NetSuiteClient, type NetSuiteSettings, system} from './client.js'
import {netSuiteCustomers} from './customer.js'
import {netSuiteItems} from './item.js'
import {netSuiteOrders} from './order.js'
import {netSuitePrices} from './price.js'

function netSuiteEntities(client: NetSuiteClient) {
  const customer = netSuiteCustomers(client)
  return {customer, item: netSuiteItems(client), order: netSuiteOrders(client, customer), price: netSuitePrices(client)}
}

/**
 * Oracle NetSuite, SuiteTalk REST: customers with their address book (`customer.ts`), items through SuiteQL
 * (`item.ts`), sales orders by external id (`order.ts`) and prices (`price.ts`: price levels, the pricing
 * matrix, customer item pricing) over one client (`client.ts`: authentication,
 * paging, errors and the account-wide concurrency limit).
 */
export class NetSuiteConnector implements ErpConnector {
  readonly system = 'netsuite'
  readonly displayName = system
  readonly entities: ReturnType<typeof netSuiteEntities>
  private readonly client: NetSuiteClient

  constructor(http: HttpClient, settings: NetSuiteSettings, session?: ErpSession) {
    this.client = new NetSuiteClient(http, settings, session)
    this.entities = netSuiteEntities(this.client)
  }

  probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    return this.client.probe()
  }
}
