import {describe, expect, it, onTestFinished, vi} from 'vitest'

import {describeVismaNetError, lastModifiedParameter, vismaQuery} from '../../src/connectors/visma-net/client.js'
import {VismaNetListEnd} from '../../src/connectors/visma-net/paging.js'
import {FixedWindowGate, resetDelayMs} from '../../src/connectors/visma-net/rate-limit.js'
import * as schemas from '../../src/connectors/visma-net/schemas.js'
import {parseAnswer} from '../../src/connectors/schema.js'
import {RequestProblem} from '../../src/http/problem.js'

describe('Visma.net wire format', () => {
  it('writes lastModifiedDateTime as "YYYY-MM-DD HH:MM:SS" in UTC and percent-encodes every value, the condition included', () => {
    expect(lastModifiedParameter(new Date('2026-11-20T08:14:05.900Z'))).toBe('2026-11-20 08:14:05')
    expect(
      vismaQuery({lastModifiedDateTime: '2026-11-20 08:14:05', lastModifiedDateTimeCondition: '>=', pageNumber: 2}),
    ).toBe('lastModifiedDateTime=2026-11-20%2008%3A14%3A05&lastModifiedDateTimeCondition=%3E%3D&pageNumber=2')
    expect(vismaQuery({customerOrder: "A&B=C'/#"})).toBe("customerOrder=A%26B%3DC'%2F%23")
  })

  it('reads both error bodies and Visma Connect token errors as one line, without the VismaId prefix', () => {
    expect(
      describeVismaNetError(404, {
        message: "VismaId: 30f6cee2-b3fa-4413-a084-2d18f9333e9c. Customer with number '9' not found.\r\nmore",
      }),
    ).toBe("Customer with number '9' not found.")
    expect(
      describeVismaNetError(400, {
        ExceptionFaultCode: '12008',
        ExceptionMessage: 'Invalid page size',
        ExceptionType: 'IPPException',
      }),
    ).toBe('Invalid page size (fault 12008)')
    expect(describeVismaNetError(400, {error: 'invalid_client'})).toBe('invalid_client')
    expect(describeVismaNetError(500, ['not', 'an', 'object'])).toBeUndefined()
  })

  it('maps a CustomerDto: main address as Invoice, delivery address as Delivery, country by its id, price class as price list', () => {
    const entry = parseAnswer(
      schemas.customer,
      {
        deliveryAddress: {
          addressLine1: 'Kokstadvegen 8',
          city: 'Kokstad',
          country: {id: 'NO', name: 'Norway'},
          postalCode: '5257',
        },
        lastModifiedDateTime: '2026-11-20T08:14:05.57',
        mainAddress: {
          addressLine1: 'Postboks 120',
          addressLine2: null,
          city: 'Bergen',
          country: {id: 'NO', name: 'Norway'},
          postalCode: '5804',
        },
        mainContact: {email: 'Innkjop@Fjordbygg.example', phone1: '+47 55 12 34 56'},
        name: 'Fjordbygg AS',
        number: 50001,
        priceClass: {description: 'Grossist', id: 'GROSSIST'},
        status: 'Active',
      },
      'Visma.net',
      'the customer',
    )
    // A time without an offset is UTC, not the local time of the machine running synctrace.
    expect(entry.lastModifiedDateTime?.toISOString()).toBe('2026-11-20T08:14:05.570Z')
    const customer = schemas.toCanonicalCustomer(entry)
    expect(customer).toMatchObject({
      code: '50001',
      email: 'Innkjop@Fjordbygg.example',
      isPrivate: null,
      priceListCode: 'GROSSIST',
      salesRepCodes: null,
    })
    expect(customer.addresses).toEqual([
      {
        addressLine1: 'Postboks 120',
        addressLine2: '',
        city: 'Bergen',
        countryCode: 'NO',
        isMain: true,
        postCode: '5804',
        type: 'Invoice',
      },
      {
        addressLine1: 'Kokstadvegen 8',
        addressLine2: '',
        city: 'Kokstad',
        countryCode: 'NO',
        isMain: true,
        postCode: '5257',
        type: 'Delivery',
      },
    ])
  })

  it('a status Visma.net does not have, or a time that is no time, is a bad-response naming the field', () => {
    const bad = (body: unknown) => {
      try {
        parseAnswer(schemas.customer, body, 'Visma.net', 'the customer')
      } catch (error) {
        return error instanceof RequestProblem ? error.problem : error
      }
      return null
    }
    expect(bad({number: '1', status: 'Sleeping'})).toMatchObject({
      kind: 'bad-response',
      message: expect.stringContaining('"status"'),
    })
    expect(bad({lastModifiedDateTime: 'yesterday', number: '1'})).toMatchObject({
      kind: 'bad-response',
      message: expect.stringContaining('"lastModifiedDateTime"'),
    })
  })

  it("an item: stock summed over the platform's warehouses, the change time the latest of the item's and its warehouse rows'", () => {
    const entry = parseAnswer(
      schemas.inventory,
      {
        defaultPrice: 990,
        description: 'Vinkelsliper',
        inventoryNumber: 'V-200',
        lastModifiedDateTime: '2026-11-01T10:00:00Z',
        salesUnit: 'stk',
        status: 'NoSales',
        warehouseDetails: [
          {available: 4, lastModifiedDateTime: '2026-11-19T09:00:00Z', quantityOnHand: 5, warehouse: 'MAIN'},
          {available: 10, lastModifiedDateTime: '2026-11-02T09:00:00Z', quantityOnHand: 10, warehouse: 'OUTLET'},
        ],
      },
      'Visma.net',
      'the inventory item',
    )
    expect(schemas.toCanonicalItem(entry, []).item).toMatchObject({
      active: false,
      currency: null,
      price: 990,
      stock: 14,
      unit: 'stk',
      webshop: null,
    })
    const main = schemas.toCanonicalItem(entry, ['MAIN'])
    expect(main.item.stock).toBe(4)
    expect(main.modifiedAt?.toISOString()).toBe('2026-11-19T09:00:00.000Z')
  })

  it("a page's metadata (totalCount, maxPageSize) is read from its first entry", () => {
    expect(schemas.pageMetadata([{metadata: {maxPageSize: 1000, totalCount: 2345}, number: '1'}])).toEqual({
      maxPageSize: 1000,
      totalCount: 2345,
    })
    expect(schemas.pageMetadata([])).toEqual({maxPageSize: null, totalCount: null})
  })

  it('a list ends on an empty page, on its totalCount, or on a page shorter than the longest it gave: never on a page shorter than the 1000 asked for', () => {
    const page = (length: number, metadata?: Record<string, number>) =>
      Array.from({length}, (_unused, index) => ({number: String(index), ...(metadata ? {metadata} : {})}))
    // A tenant limited to 100: full pages of 100 are no end, the total is.
    const capped = new VismaNetListEnd()
    expect(capped.isLast(page(100, {maxPageSize: 100, totalCount: 260}))).toBe(false)
    expect(capped.isLast(page(100, {maxPageSize: 100, totalCount: 260}))).toBe(false)
    expect(capped.isLast(page(60, {maxPageSize: 100, totalCount: 260}))).toBe(true)
    // Without metadata: a first short page is no end (the limit applied is unknown), a later shorter one is.
    const bare = new VismaNetListEnd()
    expect(bare.isLast(page(100))).toBe(false)
    expect(bare.isLast(page(40))).toBe(true)
    const single = new VismaNetListEnd()
    expect(single.isLast(page(40))).toBe(false)
    expect(single.isLast(page(0))).toBe(true)
    // A page shorter than an earlier one but as long as the maxPageSize reported is no end.
    const grown = new VismaNetListEnd()
    expect(grown.isLast(page(120, {maxPageSize: 100}))).toBe(false)
    expect(grown.isLast(page(100, {maxPageSize: 100}))).toBe(false)
  })
})

describe('the fixed-window gate for Visma.net', () => {
  const within = (ms: number) => ({deadlineAt: Date.now() + ms, timeoutMs: ms})

  it('sends one request while the window is unknown, then spends what X-RateLimit-Remaining says down to the reserve, then waits for the reset', async () => {
    // Node's timers and Date on a clock the test moves: the waits are checked, not waited.
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']})
    onTestFinished(() => {
      vi.useRealTimers()
    })
    const gate = new FixedWindowGate(1)
    await gate.acquire(within(10_000))
    let second = false
    const waiting = gate.acquire(within(10_000)).then(() => (second = true))
    await vi.advanceTimersByTimeAsync(1000)
    expect(second).toBe(false)
    gate.observe({
      'x-ratelimit-limit': '10',
      'x-ratelimit-policy': '4-fixed-window',
      'x-ratelimit-remaining': '3',
      'x-ratelimit-reset': '0.2',
    })
    await waiting
    await gate.acquire(within(10_000))
    // Remaining 3, two spent, one kept in reserve: the next waits for the window's reset (0.2 s, plus 0.1 s).
    let third = false
    const next = gate.acquire(within(10_000)).then(() => (third = true))
    await vi.advanceTimersByTimeAsync(250)
    expect(third).toBe(false)
    await vi.advanceTimersByTimeAsync(50)
    await next
    expect(third).toBe(true)
  })

  it('refuses to wait past the request budget: a rate-limited problem that names the policy and the reset', async () => {
    const gate = new FixedWindowGate(1, () => 0)
    await gate.acquire(within(1000))
    gate.observe({'x-ratelimit-policy': '4-fixed-window', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1800'})
    await expect(gate.acquire(within(20_000))).rejects.toMatchObject({
      problem: {kind: 'rate-limited', message: expect.stringMatching(/4-fixed-window.*1801 s/)},
    })
  })

  it('a 429 waits for X-RateLimit-Reset when it carries no Retry-After', () => {
    expect(resetDelayMs({'x-ratelimit-reset': '7'})).toBe(7100)
    expect(resetDelayMs({})).toBeUndefined()
  })
})
