import type {z} from 'zod'

import type {HttpClient} from '../../http/client.js'
import {parseAnswer} from '../schema.js'
import * as schemas from './schemas.js'
import {PlatformService, pathSegment, type ServiceEndpoint} from './service.js'
import type {PendingRequest, PublishedItem} from './types.js'

const system = 'Webshop'

/** The webshop's item as a published item: it shows only whether the item is visible, its price and stock. */
export function webshopPublishedItem(body: z.infer<typeof schemas.webshopItem>): PublishedItem {
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

/** The B2B webshop, `/webshop/v1`: what the CMS pushed to it. */
export class WebshopClient extends PlatformService {
  constructor(http: HttpClient, endpoint: ServiceEndpoint) {
    super(http, endpoint, '/webshop/v1', system)
  }

  /** `POST /republish`: the CMS pushes the records (all of the entity when keys is null) again. */
  async republish(
    request: {entity: 'customers' | 'items' | 'prices'; keys: string[] | null},
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
}
