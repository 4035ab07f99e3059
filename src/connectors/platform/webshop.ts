import type {HttpClient} from '../../http/client.js'
import {parseAnswer} from '../schema.js'
import * as schemas from './schemas.js'
import {PlatformService, pathSegment, type ServiceEndpoint} from './service.js'
import type {PendingRequest, PublishedItem, WebshopOrder, WebshopPublishedCustomer} from './types.js'

const system = 'Webshop'

/** The B2B webshop, `/webshop/v1`: what the CMS pushed to it. */
export class WebshopClient extends PlatformService {
  constructor(http: HttpClient, endpoint: ServiceEndpoint) {
    super(http, endpoint, '/webshop/v1', system)
  }

  /** `POST /republish`: the CMS pushes the records (all of the entity when keys is null) again. */
  async republish(
    request: {entity: 'customers' | 'items'; keys: string[] | null},
    idempotencyKey: string,
  ): Promise<PendingRequest> {
    return parseAnswer(
      schemas.pendingRequest,
      (await this.post('/republish', request, idempotencyKey)).body,
      system,
      'the republish request',
    )
  }

  async republishRequest(requestId: string): Promise<PendingRequest> {
    return parseAnswer(
      schemas.pendingRequest,
      (await this.get(`/republish/${pathSegment(requestId)}`)).body,
      system,
      'the republish request',
    )
  }

  /** The webshop's item: only whether it is shown, its price and stock. */
  async item(code: string): Promise<PublishedItem | null> {
    const response = await this.get(`/items/${pathSegment(code)}`, [404])
    if (response.status === 404) return null
    const body = parseAnswer(schemas.webshopItem, response.body, system, 'the item')
    return {
      item: {
        active: null,
        code: body.itemCode,
        currency: null,
        description: null,
        price: body.price,
        stock: body.stock,
        unit: null,
        webshop: null,
      },
      publishedAt: body.publishedAt,
      visible: body.visible,
    }
  }

  async order(orderNr: string): Promise<WebshopOrder | null> {
    const response = await this.get(`/orders/${pathSegment(orderNr)}`, [404])
    if (response.status === 404) return null
    const {
      handedToCmsAt,
      orderNr: number,
      placedAt,
    } = parseAnswer(schemas.webshopOrder, response.body, system, 'the order')
    return {handedToCmsAt, orderNr: number, placedAt}
  }

  async customer(code: string): Promise<WebshopPublishedCustomer | null> {
    const response = await this.get(`/customers/${pathSegment(code)}`, [404])
    if (response.status === 404) return null
    const body = parseAnswer(schemas.publishedCustomer, response.body, system, 'the published customer')
    return {
      accounts: (body.accounts ?? []).map((account) => ({active: account.active ?? false, login: account.login ?? ''})),
      customer: body.record,
      publishedAt: body.publishedAt,
    }
  }
}
