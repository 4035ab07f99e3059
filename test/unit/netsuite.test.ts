import {constants, createHmac, generateKeyPairSync, verify} from 'node:crypto'
import {describe, expect, it} from 'vitest'

import {accountHost, accountRealm, accountUrl} from '../../src/connectors/netsuite/account.js'
import {
  clientAssertion,
  queryString,
  recordQueryString,
  suiteqlString,
  tbaHeader,
} from '../../src/connectors/netsuite/auth.js'
import {ConcurrencyLimit} from '../../src/connectors/netsuite/concurrency.js'
import {describeNetSuiteError} from '../../src/connectors/netsuite/errors.js'
import * as schemas from '../../src/connectors/netsuite/schemas.js'
import {parseAnswer} from '../../src/connectors/schema.js'

const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)

describe('NetSuite account ids, query strings and literals', () => {
  it('puts a sandbox account in the host lower-cased with dashes, and in the realm upper-cased with underscores', () => {
    expect(accountHost('1234567_SB1')).toBe('1234567-sb1')
    expect(accountUrl('1234567_SB1')).toBe('https://1234567-sb1.suitetalk.api.netsuite.com')
    expect(accountRealm('1234567-sb1')).toBe('1234567_SB1')
  })

  it('encodes a space as %20, never +, so that the signed and the read query agree', () => {
    expect(queryString({q: 'entityId IS "10 42"', limit: 1000})).toBe('q=entityId%20IS%20%2210%2042%22&limit=1000')
  })

  it('escapes quotes in a q string and doubles them in a SuiteQL literal; control characters are refused', () => {
    expect(recordQueryString('A"B\\C')).toBe('"A\\"B\\\\C"')
    expect(suiteqlString("O'Brien")).toBe("'O''Brien'")
    expect(suiteqlString("x' OR '1'='1")).toBe("'x'' OR ''1''=''1'")
    expect(() => suiteqlString('A\nB')).toThrow(/control characters/)
  })
})

describe('NetSuite token-based authentication (OAuth 1.0a, HMAC-SHA256)', () => {
  const credentials = {
    accountId: '1234567_SB1',
    consumerKey: 'ck',
    consumerSecret: 'cs&1',
    tokenId: 'tk',
    tokenSecret: 'ts 2',
  }

  it('signs the URL and its query (not the body) with consumerSecret&tokenSecret; realm is in the header, not the base string', async () => {
    const url =
      'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer?q=entityId%20IS%20%2210042%22&limit=5'
    const header = await tbaHeader(credentials, 'GET', url)
    const parameters = Object.fromEntries(
      [...header.matchAll(/([a-z_]+)="([^"]*)"/g)].map((match) => [match[1], decodeURIComponent(match[2] as string)]),
    )
    expect(parameters).toMatchObject({
      oauth_consumer_key: 'ck',
      oauth_signature_method: 'HMAC-SHA256',
      oauth_token: 'tk',
      oauth_version: '1.0',
      realm: '1234567_SB1',
    })
    expect(parameters.oauth_nonce?.length).toBeGreaterThanOrEqual(6)
    const pairs = [
      ['q', 'entityId IS "10042"'],
      ['limit', '5'],
      ...Object.entries(parameters).filter(([name]) => name.startsWith('oauth_') && name !== 'oauth_signature'),
    ]
    const normalized = pairs
      .map(([name, value]) => `${rfc3986(name as string)}=${rfc3986(value as string)}`)
      .sort()
      .join('&')
    const base = `GET&${rfc3986(url.split('?')[0] as string)}&${rfc3986(normalized)}`
    expect(parameters.oauth_signature).toBe(
      createHmac('sha256', `${rfc3986('cs&1')}&${rfc3986('ts 2')}`)
        .update(base)
        .digest('base64'),
    )
  })

  it('uses a new nonce for every signature', async () => {
    const url = 'https://x.suitetalk.api.netsuite.com/services/rest/record/v1/customer/1'
    const nonces = await Promise.all(
      [1, 2, 3].map(async () => /oauth_nonce="([^"]+)"/.exec(await tbaHeader(credentials, 'GET', url))?.[1]),
    )
    expect(new Set(nonces).size).toBe(3)
  })
})

describe('NetSuite OAuth 2.0 client credentials', () => {
  it('signs a PS256 JWT with kid = certificate id, iss = client id, aud = the token endpoint, exp within the hour', () => {
    const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
    const audience = 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token'
    const jwt = clientAssertion(
      {
        certificateId: 'cert-1',
        clientId: 'client-1',
        privateKey: privateKey.export({format: 'pem', type: 'pkcs8'}).toString(),
      },
      audience,
      Date.UTC(2026, 10, 20),
    )
    const [header, payload, signature] = jwt.split('.') as [string, string, string]
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({alg: 'PS256', kid: 'cert-1', typ: 'JWT'})
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    expect(claims).toMatchObject({aud: audience, iss: 'client-1', scope: 'rest_webservices'})
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600)
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        {key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32},
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true)
  })

  it('signs ES256 with an EC key', () => {
    const {privateKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'})
    const jwt = clientAssertion(
      {certificateId: 'c', clientId: 'i', privateKey: privateKey.export({format: 'pem', type: 'pkcs8'}).toString()},
      'https://a/token',
    )
    expect(JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString()).alg).toBe('ES256')
    expect(Buffer.from(jwt.split('.')[2] as string, 'base64url')).toHaveLength(64)
  })
})

describe('NetSuite answers mapped to the canonical records', () => {
  const address = (addr1: string) => ({addr1, city: 'Kiruna', country: 'SE', zip: '981 31'})

  it('reads the address book in either letter case: default billing = Invoice, default shipping = main Delivery', () => {
    const lower = parseAnswer(
      schemas.customer,
      {
        addressbook: {
          items: [
            {addressbookaddress: address('Box 1'), defaultBilling: true, defaultShipping: false},
            {addressbookaddress: address('Gata 2'), defaultBilling: false, defaultShipping: true},
            {addressbookaddress: address('Gata 3'), defaultBilling: false, defaultShipping: false},
          ],
        },
        companyName: 'K AB',
        entityId: '1',
        isPerson: false,
      },
      'NetSuite',
      'the customer',
    )
    const camel = parseAnswer(
      schemas.customer,
      {
        addressBook: {
          items: [
            {addressBookAddress: address('Box 1'), defaultBilling: true, defaultShipping: false},
            {addressBookAddress: address('Gata 2'), defaultBilling: false, defaultShipping: true},
            {addressBookAddress: address('Gata 3'), defaultBilling: false, defaultShipping: false},
          ],
        },
        companyName: 'K AB',
        entityId: '1',
        isPerson: false,
      },
      'NetSuite',
      'the customer',
    )
    expect(camel.customer).toEqual(lower.customer)
    expect(lower.customer.addresses?.map((entry) => [entry.type, entry.isMain, entry.addressLine1])).toEqual([
      ['Invoice', true, 'Box 1'],
      ['Delivery', true, 'Gata 2'],
      ['Delivery', false, 'Gata 3'],
    ])
  })

  it('makes one address that is both defaults the Invoice and the main Delivery address; a person is named by first and last name', () => {
    const parsed = parseAnswer(
      schemas.customer,
      {
        addressbook: {
          items: [
            {
              addressbookaddress: {...address('Väg 1'), country: {id: 'SE', refName: 'Sweden'}},
              defaultBilling: true,
              defaultShipping: true,
            },
          ],
        },
        entityId: '7',
        firstName: 'Maja',
        isInactive: true,
        isPerson: true,
        lastName: 'Lind',
      },
      'NetSuite',
      'the customer',
    )
    expect(parsed.customer.addresses?.map((entry) => [entry.type, entry.isMain, entry.countryCode])).toEqual([
      ['Invoice', true, 'SE'],
      ['Delivery', true, 'SE'],
    ])
    expect(parsed.customer).toMatchObject({isPrivate: true, name: 'Maja Lind', priceListCode: null, salesRepCodes: []})
    expect(parsed.inactive).toBe(true)
  })

  it("takes the base price level's price for the smallest quantity, and the stock over all locations", () => {
    const parsed = parseAnswer(
      schemas.item('Base Price'),
      {
        isInactive: false,
        isOnline: true,
        itemId: 'NS-1',
        locations: {items: [{quantityAvailable: 4}, {quantityAvailable: 6}]},
        price: {
          items: [
            {price: 90, priceLevel: {refName: 'Base Price'}, quantity: {value: 10}},
            {price: 100, priceLevel: {refName: 'Base Price'}, quantity: {value: 0}},
            {price: 80, priceLevel: {refName: 'Alternate Price 1'}, quantity: {value: 0}},
          ],
        },
        saleUnit: {refName: 'st'},
      },
      'NetSuite',
      'the item',
    )
    expect(parsed.item).toMatchObject({active: true, currency: null, price: 100, stock: 10, unit: 'st', webshop: true})
  })

  it('names the field of a wrong kind', () => {
    expect(() =>
      parseAnswer(schemas.customer, {entityId: '1', lastModifiedDate: 'last Tuesday'}, 'NetSuite', 'the customer'),
    ).toThrow(/"lastModifiedDate" "last Tuesday" is not a time/)
  })

  it('describes an error body by its first o:errorDetails entry and code', () => {
    expect(
      describeNetSuiteError(400, {
        'o:errorDetails': [{detail: 'Concurrent request limit exceeded.', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED'}],
        status: 400,
        title: 'Bad Request',
      }),
    ).toBe('Concurrent request limit exceeded. (CONCURRENCY_LIMIT_EXCEEDED)')
  })
})

describe('the client-side concurrency limit', () => {
  it('never runs more than its limit at once, and runs every task', async () => {
    const limit = new ConcurrencyLimit(2)
    let running = 0
    let most = 0
    const results = await Promise.all(
      Array.from({length: 10}, (_unused, index) =>
        limit.run(async () => {
          running++
          most = Math.max(most, running)
          await new Promise((resolve) => setTimeout(resolve, 5))
          running--
          return index
        }),
      ),
    )
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(most).toBe(2)
    expect(limit.running).toBe(0)
  })
})
