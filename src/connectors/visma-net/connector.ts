import type {HttpClient} from '../../http/client.js'
import type {ErpConnector} from '../erp.js'
import type {ErpSession} from '../erp-system.js'
import {system, VismaNetClient, type VismaNetSettings} from './client.js'
import {vismaNetCustomers} from './customer.js'
import {vismaNetItems} from './item.js'
import {vismaNetOrders} from './order.js'
import {vismaNetPrices} from './price.js'

function vismaNetEntities(client: VismaNetClient) {
  const customer = vismaNetCustomers(client)
  const item = vismaNetItems(client)
  return {customer, item, order: vismaNetOrders(client, customer, item), price: vismaNetPrices(client)}
}

/**
 * Visma.net ERP API v1: customers (`customer.ts`), inventory items (`item.ts`), sales orders
 * (`order.ts`) and customer sales prices (`price.ts`) over one client (`client.ts`: the token, paging, filters, errors and the rate limit).
 */
export class VismaNetConnector implements ErpConnector {
  readonly system = 'visma-net'
  readonly displayName = system
  readonly entities: ReturnType<typeof vismaNetEntities>
  private readonly client: VismaNetClient

  constructor(http: HttpClient, settings: VismaNetSettings, session?: ErpSession) {
    this.client = new VismaNetClient(http, settings, session)
    this.entities = vismaNetEntities(this.client)
  }

  probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    return this.client.probe()
  }
}
