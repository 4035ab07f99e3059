import type {FtpSettings} from './connector.js'
import {findOutboundFile, type OrderFileLookup} from './outbound.js'

/** Orders travel to the ERP as files: an order's file in `Orders/` (or its `processed/` and `error/`). */
export const orderFiles = {
  find: (settings: FtpSettings, orderNr: string): Promise<OrderFileLookup> =>
    findOutboundFile(settings, 'Orders', orderNr),
}
