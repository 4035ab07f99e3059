import type {EmulatedPrices, SourcePrices} from '../../../emulation/erp-emulator.js'
import type {PlatformPricingJson, PlatformPriceListJson} from '../../../emulation/records.js'
import type {BusinessCentralState, Json} from './emulator-state.js'

/**
 * Business Central's prices in the sandbox. The standard API v2.0 has none beyond the item's `unitPrice`;
 * the platform's AL extension gives `priceLists` (Price List Header), `priceListLines` (Price List Line) and
 * `customerPricing` (the customer's price group, discount group and campaign). A list is a header whose
 * source is a `Customer Price Group` of its code (a `Campaign` for an action list); a discount group a header
 * of `Customer Disc. Group` lines; a customer's discount a `Customer` discount line for every item.
 */

const emptyDate = '0001-01-01'
const text = (value: unknown) => (typeof value === 'string' ? value : '')
const latest = (times: string[]) => [...times].sort().at(-1) ?? '1970-01-01T00:00:00Z'

function header(code: string, sourceType: string, sourceNo: string, amountType: string, fields: Json): Json {
  return {
    amountType,
    code,
    currencyCode: '',
    description: '',
    endingDate: emptyDate,
    priceIncludesVAT: false,
    priceType: 'Sale',
    sourceNo,
    sourceType,
    startingDate: emptyDate,
    status: 'Active',
    ...fields,
  }
}

function line(list: Json, number: number, fields: Json): Json {
  return {
    amountType: list.amountType,
    assetNo: '',
    assetType: 'Item',
    currencyCode: '',
    endingDate: emptyDate,
    lineDiscountPercent: 0,
    lineNo: number * 10_000,
    minimumQuantity: 0,
    priceIncludesVAT: list.priceIncludesVAT,
    priceListCode: list.code,
    priceType: 'Sale',
    sourceNo: list.sourceNo,
    sourceType: list.sourceType,
    startingDate: emptyDate,
    status: list.status,
    unitOfMeasureCode: '',
    unitPrice: 0,
    variantCode: '',
    ...fields,
  }
}

function listHeader(list: PlatformPriceListJson, modifiedAt: string): Json {
  return header(
    list.priceListCode,
    list.kind === 'action' ? 'Campaign' : 'Customer Price Group',
    list.priceListCode,
    'Price',
    {
      currencyCode: list.currency ?? '',
      description: list.description ?? '',
      priceIncludesVAT: list.pricesIncludeVat,
      status: list.active ? 'Active' : 'Inactive',
      systemModifiedAt: modifiedAt,
    },
  )
}

/** The price pages of the extension from the platform's prices: lists with their lines, discount groups, customer discounts. */
function extensionPages(prices: EmulatedPrices): {headers: Json[]; lines: Json[]} {
  const headers: Json[] = []
  const lines: Json[] = []
  for (const list of prices.lists) {
    const rows = prices.rows.filter((row) => row.priceListCode === list.priceListCode)
    const head = listHeader(list, latest(rows.map((row) => row.modifiedAt)))
    headers.push(head)
    lines.push(
      ...rows.map((row, index) =>
        line(head, index + 1, {
          assetNo: row.itemCode,
          currencyCode: row.currency,
          endingDate: row.validTo ?? emptyDate,
          minimumQuantity: row.fromQuantity,
          startingDate: row.validFrom ?? emptyDate,
          systemModifiedAt: row.modifiedAt,
          unitOfMeasureCode: row.unit,
          unitPrice: row.price,
        }),
      ),
    )
  }
  for (const group of prices.discountGroups) {
    const head = header(
      `DISC-${group.discountGroupCode}`,
      'Customer Disc. Group',
      group.discountGroupCode,
      'Discount',
      {
        description: group.description ?? '',
        systemModifiedAt: group.modifiedAt,
      },
    )
    headers.push(head)
    lines.push(
      ...group.rules.map((rule, index) =>
        line(head, index + 1, {
          assetNo: rule.itemCode ?? '',
          endingDate: rule.validTo ?? emptyDate,
          lineDiscountPercent: rule.percent,
          minimumQuantity: rule.fromQuantity,
          startingDate: rule.validFrom ?? emptyDate,
          systemModifiedAt: group.modifiedAt,
        }),
      ),
    )
  }
  for (const profile of prices.pricing.filter((entry) => entry.discountPercent > 0)) {
    const head = header(`DISC-${profile.customerCode}`, 'Customer', profile.customerCode, 'Discount', {
      systemModifiedAt: profile.modifiedAt,
    })
    headers.push(head)
    lines.push(line(head, 1, {lineDiscountPercent: profile.discountPercent, systemModifiedAt: profile.modifiedAt}))
  }
  return {headers, lines}
}

/**
 * Writes the prices Business Central can show: the customers' currencies always; the lists, lines, discount
 * groups and customers' price settings only through the extension's pages (without them, none: the standard
 * API shows base prices only). Hidden prices are no Business Central setting.
 */
export function putBusinessCentralPrices(state: BusinessCentralState, prices: EmulatedPrices): void {
  for (const profile of prices.pricing) {
    const customer = state.customers.find((entity) => entity.number === profile.customerCode)
    if (customer && profile.currency) customer.currencyCode = profile.currency
  }
  if (state.priceExtension !== true) {
    Object.assign(state, {customerPricing: [], priceListLines: [], priceLists: []})
    return
  }
  const {headers, lines} = extensionPages(prices)
  state.priceLists = headers
  state.priceListLines = lines
  state.customerPricing = prices.pricing.map((profile) => ({
    campaignNo: profile.actionPriceListCode ?? '',
    currencyCode: profile.currency ?? '',
    customerDiscGroup: profile.discountGroupCode ?? '',
    customerNumber: profile.customerCode,
    customerPriceGroup: profile.priceListCode ?? '',
    systemModifiedAt: profile.modifiedAt,
  }))
}

const isPriceHeader = (entity: Json) => entity.amountType !== 'Discount'
const date = (value: unknown) => (text(value) === '' || value === emptyDate ? null : text(value))

/** What the platform's connector reads for a `prices` run: nothing without the extension; else its lists, lines and groups. */
export function businessCentralSourcePrices(state: BusinessCentralState): SourcePrices {
  const result: SourcePrices = {discountGroups: [], lists: [], rows: [], skipped: []}
  if (state.priceExtension !== true) return result
  for (const head of state.priceLists.filter(isPriceHeader))
    result.lists.push({
      active: head.status === 'Active',
      currency: text(head.currencyCode) || null,
      description: text(head.description) || null,
      kind: head.sourceType === 'Campaign' ? 'action' : 'standard',
      modifiedAt: text(head.systemModifiedAt) || null,
      priceListCode: text(head.code),
      pricesIncludeVat: head.priceIncludesVAT === true,
    })
  const units = new Map(state.items.map((item) => [text(item.number), text(item.baseUnitOfMeasureCode)]))
  for (const entity of state.priceListLines) {
    if (!isPriceHeader(entity) || entity.status !== 'Active' || text(entity.assetNo) === '') continue
    const [priceListCode, itemCode, unit] = [
      text(entity.priceListCode),
      text(entity.assetNo),
      text(entity.unitOfMeasureCode),
    ]
    const itemUnit = units.get(itemCode)
    if (itemUnit === undefined) result.skipped.push({itemCode, priceListCode, reason: `unknown item ${itemCode}`})
    else if (itemUnit !== unit)
      result.skipped.push({itemCode, priceListCode, reason: `unit ${unit} differs from item unit ${itemUnit}`})
    else
      result.rows.push({
        currency: text(entity.currencyCode),
        fromQuantity: Number(entity.minimumQuantity ?? 0),
        itemCode,
        modifiedAt: text(entity.systemModifiedAt) || null,
        price: Number(entity.unitPrice ?? 0),
        priceListCode,
        unit,
        validFrom: date(entity.startingDate),
        validTo: date(entity.endingDate),
      })
  }
  result.discountGroups = discountGroups(state)
  return result
}

function discountGroups(state: BusinessCentralState): SourcePrices['discountGroups'] {
  const groups = state.priceLists.filter((head) => head.sourceType === 'Customer Disc. Group')
  return groups.map((head) => {
    const lines = state.priceListLines.filter(
      (entity) => entity.sourceType === 'Customer Disc. Group' && entity.sourceNo === head.sourceNo,
    )
    return {
      description: text(head.description) || null,
      discountGroupCode: text(head.sourceNo),
      modifiedAt: latest([text(head.systemModifiedAt), ...lines.map((entity) => text(entity.systemModifiedAt))]),
      rules: lines.map((entity) => ({
        fromQuantity: Number(entity.minimumQuantity ?? 0),
        itemCode: text(entity.assetNo) || null,
        percent: Number(entity.lineDiscountPercent ?? 0),
        validFrom: date(entity.startingDate),
        validTo: date(entity.endingDate),
      })),
    }
  })
}

/** The list of a source (the customer's price group, its campaign), as the connector finds it by the header's source. */
function listOf(state: BusinessCentralState, sourceType: string, sourceNo: string): string | null {
  if (sourceNo === '') return null
  const found = state.priceLists.find(
    (head) => isPriceHeader(head) && head.sourceType === sourceType && head.sourceNo === sourceNo,
  )
  return found ? text(found.code) : null
}

/** The extension's `customerPricing` page: one entry per customer (a page over the Customer table), its price settings or none. */
export function customerPricingPage(state: BusinessCentralState): Json[] {
  return state.customers.map((customer) => {
    const settings = state.customerPricing.find((entry) => entry.customerNumber === customer.number)
    return (
      settings ?? {
        campaignNo: '',
        currencyCode: text(customer.currencyCode),
        customerDiscGroup: '',
        customerNumber: customer.number,
        customerPriceGroup: '',
        systemModifiedAt: customer.lastModifiedDateTime,
      }
    )
  })
}

/** Each customer's pricing as a `customers` run reads it: the extension's settings, else only its currency. */
export function businessCentralSourcePricing(
  state: BusinessCentralState,
): Array<PlatformPricingJson & {modifiedAt: string | null}> {
  const page = state.priceExtension === true ? customerPricingPage(state) : []
  return state.customers.map((customer) => {
    const code = text(customer.number)
    const settings = page.find((entry) => entry.customerNumber === code)
    const list = settings
      ? (listOf(state, 'Customer', code) ?? listOf(state, 'Customer Price Group', text(settings.customerPriceGroup)))
      : null
    const own = state.priceListLines.find(
      (entity) => entity.sourceType === 'Customer' && entity.sourceNo === code && entity.amountType === 'Discount',
    )
    return {
      actionPriceListCode: settings ? listOf(state, 'Campaign', text(settings.campaignNo)) : null,
      currency: text(settings?.currencyCode ?? customer.currencyCode) || null,
      customerCode: code,
      discountGroupCode: text(settings?.customerDiscGroup) || null,
      discountPercent: settings && own ? Number(own.lineDiscountPercent ?? 0) : 0,
      effectivePriceListCode: list,
      hidePrices: false,
      modifiedAt: text(settings?.systemModifiedAt ?? customer.lastModifiedDateTime) || null,
      priceListCode: list,
    }
  })
}
