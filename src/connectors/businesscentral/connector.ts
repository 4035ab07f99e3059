import type {HttpClient} from '../../http/client.js'
import type {ErpConnector} from '../erp.js'
import type {ErpSession} from '../erp-system.js'
import {BusinessCentralClient, type BusinessCentralSettings, system} from './client.js'
import {businessCentralCustomers} from './customer.js'
import {businessCentralItems} from './item.js'
import {businessCentralOrders} from './order.js'
import {businessCentralPrices} from './price.js'

function businessCentralEntities(client: BusinessCentralClient) {
  return {
    customer: businessCentralCustomers(client),
    item: businessCentralItems(client),
    order: businessCentralOrders(client),
    price: businessCentralPrices(client),
  }
}

/**
 * Microsoft Dynamics 365 Business Central, API v2.0: customers with their ship-to addresses
 * (`customer.ts`), items (`item.ts`), sales orders (`order.ts`) and prices (`price.ts`: the item's
 * `unitPrice`, or the platform extension's price list lines) over one client (`client.ts`).
 */
export class BusinessCentralConnector implements ErpConnector {
  readonly system = 'businesscentral'
  readonly displayName = system
  readonly entities: ReturnType<typeof businessCentralEntities>
  private readonly client: BusinessCentralClient

  constructor(http: HttpClient, settings: BusinessCentralSettings, session?: ErpSession) {
    this.client = new BusinessCentralClient(http, settings, session)
    this.entities = businessCentralEntities(this.client)
  }

  probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    return this.client.probe()
  }
}
