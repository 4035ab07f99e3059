import * as schemas from '../../connectors/platform/schemas.js'
import type {PlatformRecord} from '../../connectors/platform/service.js'
import type {CmsItem, PublishedItem} from '../../connectors/platform/types.js'
import {webshopPublishedItem} from '../../connectors/platform/webshop.js'
import {parseAnswer} from '../../connectors/schema.js'

/** An item at each platform service (../shared/contracts/platform-api.md), read by `service.record()`. */

export const cmsItem: PlatformRecord<CmsItem> = {
  parse: (body, system) => parseAnswer(schemas.cmsItem, body, system, 'the item'),
  path: '/items',
}

/** An item as published to the app (items are visible to every user). */
export const appItem: PlatformRecord<PublishedItem> = {
  parse: (raw, system) => {
    const body = parseAnswer(schemas.publishedItem, raw, system, 'the published item')
    return {item: body.record, publishedAt: body.publishedAt, visible: null}
  },
  path: '/items',
}

/** The webshop's item: only whether it is shown, its price and stock. */
export const webshopItem: PlatformRecord<PublishedItem> = {
  parse: (raw, system) => webshopPublishedItem(parseAnswer(schemas.webshopItem, raw, system, 'the item')),
  path: '/items',
}
