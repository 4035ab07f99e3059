import type {EntityResource, ErpCustomerRecord} from '../erp.js'
import {odataEquals, odataQuery} from '../odata.js'
import {
  type BusinessCentralClient,
  defaultShipToApiPath,
  describeBusinessCentralError,
  sameOriginLink,
  shipToFallback,
} from './client.js'
import {toRecord} from './customer-record.js'
import {listCustomerRecords} from './listing.js'

/** Business Central customers: by `$filter=number eq '…'` with their ship-to addresses (the AL extension's). */
export function businessCentralCustomers(
  client: BusinessCentralClient,
): Required<Pick<EntityResource<ErpCustomerRecord>, 'find' | 'list'>> {
  return {
    async find(code) {
      const customerUrl = `${client.companyUrl('api/v2.0')}/customers?${odataQuery({$filter: odataEquals('number', code)})}`
      const shipToUrl = `${client.companyUrl(client.settings.shipToApiPath ?? defaultShipToApiPath)}/shipToAddresses?${odataQuery(
        {
          $filter: odataEquals('customerNumber', code),
        },
      )}`
      const [customers, shipTos] = await Promise.all([
        client.collect(customerUrl),
        client.collect(shipToUrl).catch(shipToFallback),
      ])
      const match = customers.find((entity) => String(entity.number) === code)
      if (!match) return null
      return toRecord(match, shipTos)
    },

    /** Every customer with its ship-to addresses (`customers?$orderby=number`, `shipToAddresses?$orderby=customerNumber`, joined). */
    list() {
      return listCustomerRecords({
        customersUrl: `${client.companyUrl('api/v2.0')}/customers`,
        describeError: describeBusinessCentralError,
        http: client.http,
        sameOrigin: sameOriginLink,
        shipToFallback,
        shipTosUrl: `${client.companyUrl(client.settings.shipToApiPath ?? defaultShipToApiPath)}/shipToAddresses`,
        state: client.listingState,
        toRecord,
        token: (refused) => client.token(refused),
      })
    },
  }
}
