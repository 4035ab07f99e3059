import {parseTime} from '../../util/time.js'
import {asObject, optionalBoolean, optionalNumber, optionalString, requiredString} from '../validate.js'
import {platformCustomerToCanonical} from './map-customer.js'
import type {HttpClient} from '../../http/client.js'
import {PlatformService, pathSegment, type ServiceEndpoint} from './service.js'
import {toPendingRequest} from './pending.js'
import type {PendingRequest, PublishedItem, WebshopOrder, WebshopPublishedCustomer} from './types.js'

const system = 'Webshop'

/** The B2B webshop, `/webshop/v1`: what the CMS pushed to it. */
export class WebshopClient extends PlatformService {
  constructor(http: HttpClient, endpoint: ServiceEndpoint) {
    super(http, endpoint, '/webshop/v1', system)
  }

  /** `POST /republish`: the CMS pushes the records (all of the entity when keys is null) again. */
  async republish(request: {entity: 'customers' | 'items'; keys: string[] | null}, idempotencyKey: string): Promise<PendingRequest> {
    return toPendingRequest((await this.post('/republish', request, idempotencyKey)).body, system)
  }

  async republishRequest(requestId: string): Promise<PendingRequest> {
    return toPendingRequest((await this.get(`/republish/${pathSegment(requestId)}`)).body, system)
  }

  /** The webshop's item: only whether it is shown, its price and stock. */
  async item(code: string): Promise<PublishedItem | null> {
    const response = await this.get(`/items/${pathSegment(code)}`, [404])
    if (response.status === 404) return null
    const body = asObject(response.body, system, 'the item')
    return {
      item: {active: null, code: requiredString(body, 'itemCode', system, 'the item'), currency: null, description: null, price: optionalNumber(body, 'price'), stock: optionalNumber(body, 'stock'), unit: null, webshop: null},
      publishedAt: parseTime(body.publishedAt),
      visible: optionalBoolean(body, 'visible'),
    }
  }

  async order(orderNr: string): Promise<WebshopOrder | null> {
    const response = await this.get(`/orders/${pathSegment(orderNr)}`, [404])
    if (response.status === 404) return null
    const body = asObject(response.body, system, 'the order')
    return {handedToCmsAt: parseTime(body.handedToCmsAt), orderNr: requiredString(body, 'orderNr', system, 'the order'), placedAt: parseTime(body.placedAt)}
  }

  async customer(code: string): Promise<WebshopPublishedCustomer | null> {
    const response = await this.get(`/customers/${pathSegment(code)}`, [404])
    if (response.status === 404) return null
    const body = asObject(response.body, system, 'the published customer')
    const accounts = Array.isArray(body.accounts) ? body.accounts : []
    return {
      accounts: accounts
        .filter((account): account is Record<string, unknown> => Boolean(account) && typeof account === 'object')
        .map((account) => ({active: optionalBoolean(account, 'active') ?? false, login: optionalString(account, 'login') ?? ''})),
      customer: platformCustomerToCanonical(body.record, system),
      publishedAt: parseTime(body.publishedAt),
    }
  }
}
