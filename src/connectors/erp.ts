import type {CanonicalCustomer} from '../model/customer.js'
import type {CanonicalItem} from '../model/item.js'

/** What an ERP connector found for one customer. */
export interface ErpCustomerRecord {
  customer: CanonicalCustomer
  /** The ERP's last-modified time of the record (and, where it has them, of its addresses). */
  modifiedAt: Date | null
  /** The ERP's own id (Business Central GUID). */
  erpId: string | null
}

/** What an ERP connector found for one item. */
export interface ErpItemRecord {
  item: CanonicalItem
  modifiedAt: Date | null
  erpId: string | null
}

/** One ERP's API, speaking its real wire format; nothing outside the connector knows its field names. */
export interface ErpConnector {
  /** `businesscentral`, `fortnox`, ... */
  readonly system: string
  /** A human name: "Business Central". */
  readonly displayName: string
  findCustomer(code: string): Promise<ErpCustomerRecord | null>
  findItem(code: string): Promise<ErpItemRecord | null>
  /** Authenticates and reads what the ERP says about itself, for `doctor`. */
  probe(): Promise<{details: Record<string, string>; serverDate: string | null}>
}
