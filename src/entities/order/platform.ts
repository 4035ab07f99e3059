import * as schemas from '../../connectors/platform/schemas.js'
import type {PlatformRecord} from '../../connectors/platform/service.js'
import type {CmsOrder, WebshopOrder} from '../../connectors/platform/types.js'
import {parseAnswer} from '../../connectors/schema.js'

/** An order at the CMS and the webshop (../shared/contracts/platform-api.md), read by `service.record()`. */

export const cmsOrder: PlatformRecord<CmsOrder> = {
  parse: (body, system) => parseAnswer(schemas.cmsOrder, body, system, 'the order'),
  path: '/orders',
}

export const webshopOrder: PlatformRecord<WebshopOrder> = {
  parse: (raw, system) => {
    const {handedToCmsAt, orderNr, placedAt} = parseAnswer(schemas.webshopOrder, raw, system, 'the order')
    return {handedToCmsAt, orderNr, placedAt}
  },
  path: '/orders',
}
