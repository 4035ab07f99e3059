import {describe, expect, it} from 'vitest'

import {odataEquals as vismaEquals, odataQuery as vismaQuery} from '../../dist/connectors/odata.js'
import {describeVismaError, vismaRetryDelayMs} from '../../dist/connectors/visma-eaccounting/errors.js'
import {
  article,
  articleModifiedAt,
  customer,
  toCanonicalCustomer,
  toCanonicalItem,
  utcTime,
} from '../../dist/connectors/visma-eaccounting/schemas.js'

describe('Visma eAccounting wire format', () => {
  it('writes a $filter value as one OData string literal, a quote doubled, and percent-encodes the query', () => {
    expect(vismaEquals('CustomerNumber', "O'Brien")).toBe("CustomerNumber eq 'O''Brien'")
    expect(vismaQuery({$filter: vismaEquals('Number', 'A&B 1'), $page: 2})).toBe(
      "$filter=Number%20eq%20'A%26B%201'&$page=2",
    )
    expect(() => vismaEquals("Name' or 1 eq 1", 'x')).toThrow()
  })

  it('reads the wait of a 429 from "Try again in N seconds", since eAccounting sends no Retry-After', () => {
    const body = {
      DeveloperErrorMessage: 'API calls quota exceeded! maximum admitted 600 per Minute. Try again in 55 seconds.',
      ErrorCode: 4010,
      ErrorId: 'x',
    }
    expect(vismaRetryDelayMs(429, body)).toBe(55_250)
    expect(vismaRetryDelayMs(429, {DeveloperErrorMessage: 'quota exceeded', ErrorCode: 4010})).toBe(60_000)
    expect(vismaRetryDelayMs(503, body)).toBeUndefined()
    expect(vismaRetryDelayMs(429, null)).toBeUndefined()
  })

  it("describes the API's and Visma Connect's error bodies in one line", () => {
    expect(
      describeVismaError(401, {
        DeveloperErrorMessage: 'AuthorizationException - Authorization has been denied for this request.',
        ErrorCode: 4005,
        ErrorId: 'e-1',
      }),
    ).toBe('AuthorizationException - Authorization has been denied for this request. (ErrorCode 4005, ErrorId e-1)')
    expect(describeVismaError(400, {error: 'invalid_grant'})).toBe('invalid_grant')
    expect(describeVismaError(500, 'text')).toBeUndefined()
  })

  it('reads a …Utc time without an offset as UTC, and refuses a text that is no time', () => {
    expect(utcTime.parse('2026-11-20T09:14:03.517')?.toISOString()).toBe('2026-11-20T09:14:03.517Z')
    expect(utcTime.parse('2026-11-20T09:14:03+01:00')?.toISOString()).toBe('2026-11-20T08:14:03.000Z')
    expect(utcTime.parse(null)).toBeNull()
    expect(utcTime.safeParse('yesterday').success).toBe(false)
  })

  it('maps a CustomerApi: Invoice* as the main Invoice address, Delivery* as the main Delivery address; no blocked flag, rep or price list', () => {
    const mapped = toCanonicalCustomer(
      customer.parse({
        ChangedUtc: '2026-11-20T09:14:03Z',
        CustomerNumber: 10042,
        DeliveryAddress1: 'Lagervägen 4',
        DeliveryCity: 'Farsta',
        DeliveryCountryCode: 'SE',
        DeliveryPostalCode: '123 45',
        EmailAddress: 'Orders@Nordic.example',
        InvoiceAddress1: 'Box 12',
        InvoiceCity: 'Stockholm',
        InvoiceCountryCode: 'SE',
        InvoicePostalCode: '111 22',
        IsActive: true,
        IsPrivatePerson: false,
        Name: 'Nordic Tools AB',
        Telephone: '08-123 456',
      }),
    )
    expect(mapped).toMatchObject({
      blocked: null,
      code: '10042',
      email: 'Orders@Nordic.example',
      isPrivate: false,
      phone: '08-123 456',
      priceListCode: null,
      salesRepCodes: null,
    })
    expect(
      mapped.addresses?.map(
        (address: {type: string; addressLine1: string; isMain: boolean}) =>
          `${address.type}:${address.addressLine1}:${address.isMain}`,
      ),
    ).toEqual(['Invoice:Box 12:true', 'Delivery:Lagervägen 4:true'])
  })

  it('maps an ArticleApi: NetPrice, the available stock, the unit abbreviation, the newer of its two change times', () => {
    const parsed = article.parse({
      ChangedUtc: '2026-11-01T10:00:00Z',
      IsActive: true,
      Name: 'Hammare',
      NetPrice: 149.5,
      Number: 'P-100',
      SendToWebshop: false,
      StockBalance: 12,
      StockBalanceAvailable: 9,
      StockBalanceManuallyChangedUtc: '2026-11-02T10:00:00Z',
      UnitAbbreviation: 'st',
      UnitName: 'Styck',
    })
    expect(toCanonicalItem(parsed)).toEqual({
      active: true,
      code: 'P-100',
      currency: null,
      description: 'Hammare',
      price: 149.5,
      stock: 9,
      unit: 'st',
      webshop: false,
    })
    expect(articleModifiedAt(parsed)?.toISOString()).toBe('2026-11-02T10:00:00.000Z')
    expect(article.safeParse({NetPrice: 'lots', Number: 'P-1'}).success).toBe(false)
  })
})
