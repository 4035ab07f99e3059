import type {HttpClient} from '../../http/client.js'
import type {ErpConnector} from '../erp.js'
import {FortnoxClient, type FortnoxSettings, system} from './client.js'
import {fortnoxCustomers} from './customer.js'
import {fortnoxItems} from './item.js'
import {fortnoxOrders} from './order.js'
import {fortnoxPrices} from './price.js'

function fortnoxEntities(client: FortnoxClient) {
  const customer = fortnoxCustomers(client)
  const item = fortnoxItems(client)
  return {customer, item, order: fortnoxOrders(client, customer, item), price: fortnoxPrices(client)}
}

/**
 * Fortnox API v3: customers (`customer.ts`), articles (`item.ts`), orders (`order.ts`) and prices (`price.ts`) over one client
 * (`client.ts`: the token, paging, errors and the 25-requests-per-5-s limit).
 */
export class FortnoxConnector implements ErpConnector {
  readonly system = 'fortnox'
  readonly displayName = system
  readonly entities: ReturnType<typeof fortnoxEntities>
  private readonly client: FortnoxClient

  constructor(http: HttpClient, settings: FortnoxSettings) {
    this.client = new FortnoxClient(http, settings)
    this.entities = fortnoxEntities(this.client)
  }

  probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    return this.client.probe()
  }
}
