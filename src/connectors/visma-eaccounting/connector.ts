import type {HttpClient} from '../../http/client.js'
import type {ErpConnector} from '../erp.js'
import type {ErpSession} from '../erp-system.js'
import {system, VismaEAccountingClient, type VismaEAccountingSettings} from './client.js'
import {eAccountingCustomers} from './customer.js'
import {eAccountingItems} from './item.js'
import {eAccountingOrders} from './order.js'
import {eAccountingPrices} from './price.js'

function eAccountingEntities(client: VismaEAccountingClient) {
  return {
    customer: eAccountingCustomers(client),
    item: eAccountingItems(client),
    order: eAccountingOrders(client),
    price: eAccountingPrices(client),
  }
}

/**
 * Visma eAccounting (eEkonomi) API v2: customers (`customer.ts`), articles (`item.ts`), orders
 * (`order.ts`) and prices (`price.ts`), each by its number through `$filter`, over one client (`client.ts`: paging, the rotating
 * refresh token, the per-endpoint limit).
 */
export class VismaEAccountingConnector implements ErpConnector {
  readonly system = 'visma-eaccounting'
  readonly displayName = system
  readonly entities: ReturnType<typeof eAccountingEntities>
  private readonly client: VismaEAccountingClient

  constructor(http: HttpClient, settings: VismaEAccountingSettings, session: ErpSession) {
    this.client = new VismaEAccountingClient(http, settings, session)
    this.entities = eAccountingEntities(this.client)
  }

  probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    return this.client.probe()
  }
}
