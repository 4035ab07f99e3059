import * as schemas from '../../connectors/platform/schemas.js'
import type {PlatformRecord} from '../../connectors/platform/service.js'
import type {AppPublishedCustomer, CmsCustomer, WebshopPublishedCustomer} from '../../connectors/platform/types.js'
import {parseAnswer} from '../../connectors/schema.js'

/** A customer at each platform service (../shared/contracts/platform-api.md), read by `service.record()`. */

export const cmsCustomer: PlatformRecord<CmsCustomer> = {
  parse: (body, system) => parseAnswer(schemas.cmsCustomer, body, system, 'the customer'),
  path: '/customers',
}

export const appPublishedCustomer: PlatformRecord<AppPublishedCustomer> = {
  parse: (raw, system) => {
    const body = parseAnswer(schemas.publishedCustomer, raw, system, 'the published customer')
    return {customer: body.record, publishedAt: body.publishedAt, visibleToUserIds: body.visibleToUserIds ?? []}
  },
  path: '/customers',
}

export const webshopPublishedCustomer: PlatformRecord<WebshopPublishedCustomer> = {
  parse: (raw, system) => {
    const body = parseAnswer(schemas.publishedCustomer, raw, system, 'the published customer')
    return {
      accounts: (body.accounts ?? []).map((account) => ({active: account.active ?? false, login: account.login ?? ''})),
      customer: body.record,
      publishedAt: body.publishedAt,
    }
  },
  path: '/customers',
}
