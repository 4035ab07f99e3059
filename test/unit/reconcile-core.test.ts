import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'

import {plainCmsCustomer, plainPublishedCustomer, plainWebshopItem} from '../../src/connectors/platform/fast-parse.js'
import * as schemas from '../../src/connectors/platform/schemas.js'
import {type ClassifyContext, classify} from '../../src/reconcile/classify.js'
import {readRecords} from '../../src/reconcile/render.js'
import {reconcile} from '../../src/reconcile/run.js'
import type {Side, SideItem} from '../../src/reconcile/sides.js'
import type {SideEntry} from '../../src/reconcile/types.js'
import {compareKeys} from '../../src/util/key-order.js'
import {spillSort} from '../../src/util/spill-sort.js'

const folder = mkdtempSync(join(tmpdir(), 'synctrace-reconcile-unit-'))
afterAll(() => rmSync(folder, {force: true, recursive: true}))

const customer = (code: string, name = `Customer ${code}`) => ({
  addresses: [
    {
      addressLine1: 'Box 1',
      addressLine2: '',
      city: 'Farsta',
      countryCode: 'SE',
      isMain: true,
      postCode: '123 45',
      type: 'Invoice' as const,
    },
    {
      addressLine1: 'Lager 4',
      addressLine2: '',
      city: 'Farsta',
      countryCode: 'SE',
      isMain: true,
      postCode: '123 45',
      type: 'Delivery' as const,
    },
  ],
  blocked: false,
  code,
  email: `${code}@example.com`,
  isPrivate: false,
  name,
  phone: '+4681234',
  priceListCode: null,
  salesRepCodes: ['SR1'],
})

const syncStart = Date.parse('2026-11-22T02:00:00Z')
const context = (between: ClassifyContext['between'] = 'erp,cms'): ClassifyContext => ({
  between,
  downstreamName: 'the CMS',
  entity: 'customers',
  filters: {skipPrivateCustomers: true},
  lastFullSync: {
    entity: 'customers',
    error: null,
    finishedAt: null,
    keys: null,
    mode: 'auto',
    requestedBy: 'auto',
    runId: 'r-1',
    source: 'erp-api',
    sourceFile: null,
    sourceFileModifiedAt: null,
    startedAt: new Date(syncStart),
    status: 'succeeded',
  },
  targetedStarts: new Map(),
  upstreamName: 'Fortnox',
  usersByRep: new Map([['SR1', ['u-1']]]),
})

const entry = (code: string, info: SideEntry['info'] = {}, name?: string): SideEntry => ({
  error: null,
  info,
  key: code,
  record: customer(code, name),
})

describe('key order', () => {
  it('orders keys as their UTF-8 bytes do, surrogate pairs and all', () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary'}), fc.string({unit: 'binary'}), (a, b) => {
        const bytes = Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
        expect(Math.sign(compareKeys(a, b))).toBe(bytes)
      }),
      {numRuns: 500},
    )
    // UTF-16 order would put U+1F600 before U+FFFD; UTF-8 bytes put it after.
    expect(compareKeys('\u{1F600}', '\uFFFD')).toBeGreaterThan(0)
  })
})

describe('the sort on disk', () => {
  it('gives any records back in key order through several run files, equal keys in their order of arrival', async () => {
    const keys = fc.sample(fc.string({maxLength: 6}), 3000)
    async function* records() {
      for (const [index, key] of keys.entries()) yield {index, key}
    }
    const sorted: Array<{key: string; index: number}> = []
    for await (const record of spillSort(records(), {folder, runSize: 250})) sorted.push(record)
    expect(sorted).toHaveLength(keys.length)
    for (let index = 1; index < sorted.length; index++) {
      const order = compareKeys((sorted[index - 1] as {key: string}).key, (sorted[index] as {key: string}).key)
      expect(order <= 0).toBe(true)
      if (order === 0)
        expect((sorted[index - 1] as {index: number}).index).toBeLessThan((sorted[index] as {index: number}).index)
    }
    // Its run files are gone once read.
    expect(readdirSync(folder).filter((name) => name.startsWith('spill-'))).toEqual([])
  })
})

describe('classify', () => {
  it('says the order of events is unknown for a source without change times, never "changed after the sync"', () => {
    expect(
      classify(
        context(),
        '1',
        entry('1', {modifiedAt: null, notSupplied: []}, 'New name'),
        entry('1', {syncedAt: syncStart + 60_000}),
      )?.class,
    ).toBe('change-order-unknown')
    expect(classify(context(), '2', entry('2', {modifiedAt: null}), null)?.class).toBe('change-order-unknown')
  })

  it('backs "changed after the sync" by the change time against the last sync start and the CMS write', () => {
    const cms = {erpModifiedAt: syncStart - 86_400_000, syncedAt: syncStart + 60_000}
    expect(
      classify(context(), '1', entry('1', {modifiedAt: syncStart + 3_600_000}, 'New'), entry('1', cms)),
    ).toMatchObject({
      cause: 'erp-changed-after-sync',
      class: 'erp-changed-after-sync',
      diff: [{field: 'name'}],
    })
    expect(
      classify(
        context(),
        '1',
        entry('1', {modifiedAt: syncStart - 3_600_000}, 'New'),
        entry('1', {...cms, erpModifiedAt: syncStart - 3_600_000}),
      )?.class,
    ).toBe('cms-differs-from-erp')
    expect(classify(context(), '1', entry('1', {modifiedAt: syncStart + 60}), null)?.class).toBe('created-after-sync')
    expect(classify(context(), '1', entry('1', {modifiedAt: syncStart - 60}), null)?.class).toBe('not-read-by-sync')
    // A targeted run since then counts for the keys it named.
    const targeted = {...context(), targetedStarts: new Map([['1', syncStart + 7_200_000]])}
    expect(classify(targeted, '1', entry('1', {modifiedAt: syncStart + 3_600_000}), null)?.class).toBe(
      'not-read-by-sync',
    )
  })

  it('never compares a field the source declares it cannot supply', () => {
    const up = entry(
      '1',
      {modifiedAt: syncStart + 60, notSupplied: [{field: 'name', reason: 'not in the list'}]},
      'Other name',
    )
    expect(classify(context(), '1', up, entry('1', {syncedAt: syncStart}))).toBeNull()
  })

  it('leaves a private customer out under skipPrivateCustomers, and names a user of the rep who does not see a published customer', () => {
    const privateOne = {...entry('1', {modifiedAt: syncStart + 60}), record: {...customer('1'), isPrivate: true}}
    expect(classify(context(), '1', privateOne, null)?.class).toBe('excluded-by-filter')
    const found = classify(
      context('cms,app'),
      '1',
      entry('1', {syncedAt: syncStart}),
      entry('1', {publishedAt: syncStart + 60, visibleToUserIds: []}),
    )
    expect(found).toMatchObject({class: 'not-visible-to-user', users: ['u-1']})
  })
})

function side(name: string, batches: SideItem[][], ordered = true): Side {
  return {
    hop: 'cms',
    name,
    open: (after) =>
      (async function* () {
        for (const batch of batches)
          yield batch.filter((item) => item.key === null || after === null || compareKeys(item.key, after) > 0)
      })(),
    ordered,
    spilled: false,
    startsAfter: true,
  }
}

describe('the merge', () => {
  it('matches by key, reports both-side-only, duplicate and keyless records, and sorts a side whose claimed order is broken', async () => {
    const up = side('the ERP', [
      [entry('a'), entry('c'), entry('b')],
      [entry('d', {}, 'Changed'), {error: 'malformed answer, a listed customer "name" is not a string', key: null}],
    ])
    const down = side('the CMS', [
      [
        entry('a', {syncedAt: syncStart}),
        entry('b', {syncedAt: syncStart}),
        entry('b', {syncedAt: syncStart}),
        entry('d', {erpModifiedAt: syncStart, syncedAt: syncStart}),
        entry('e', {syncedAt: syncStart}),
      ],
    ])
    const run = join(folder, 'merge')
    const outcome = await reconcile({
      between: 'erp,cms',
      context: context(),
      downstream: down,
      entity: 'customers',
      folder: run,
      installation: 'test',
      resume: false,
      upstream: {...up, hop: 'erp'},
    })
    const records = []
    for await (const record of readRecords(outcome.recordsPath)) records.push([record.key, record.class])
    expect(outcome.sorting.upstream).toBe('spilled')
    expect(records.sort()).toEqual([
      ['', 'record-unreadable'],
      ['b', 'duplicate-key'],
      ['c', 'change-order-unknown'],
      ['d', 'change-order-unknown'],
      ['e', 'removed-from-erp'],
    ])
    expect(outcome.checkpoint).toMatchObject({compared: 5, consistent: 2, read: {downstream: 5, upstream: 4}})
  })

  it('reads the plain records of a page exactly as their zod schemas do', () => {
    const cms = {
      addresses: [
        {
          addressLine1: 'A',
          addressLine2: '',
          addressType: 'Delivery',
          city: 'B',
          countryCode: 'SE',
          isMain: true,
          postCode: '1',
        },
        {addressType: 'Nowhere'},
      ],
      blocked: false,
      customerCode: 'X',
      email: null,
      erpModifiedAt: '2026-11-20T09:14:00+01:00',
      isPrivate: true,
      name: 'N',
      origin: 'app',
      phone: '1',
      priceListCode: 'P',
      salesRepCodes: ['SR1'],
      syncedAt: '2026-11-20T09:15:00.000Z',
    }
    expect(plainCmsCustomer(cms)).toEqual(schemas.cmsCustomer.parse(cms))
    const published = {
      accounts: [{active: true, login: 'x@y'}],
      customerCode: 'X',
      publishedAt: '2026-11-20T09:15:00Z',
      record: cms,
      visibleToUserIds: ['u-1'],
    }
    const parsed = schemas.publishedCustomer.parse(published)
    expect(plainPublishedCustomer(published)).toEqual({
      accounts: [{active: true, login: 'x@y'}],
      customer: parsed.record,
      publishedAt: parsed.publishedAt,
      visibleToUserIds: ['u-1'],
    })
    // Anything not plain is left to the schema (which accepts a numeric code, or names the bad field).
    expect(plainCmsCustomer({...cms, customerCode: 42})).toBeUndefined()
    expect(plainCmsCustomer({...cms, syncedAt: 'yesterday'})).toBeUndefined()
    expect(
      plainWebshopItem({itemCode: 'P', price: '12.50', publishedAt: null, stock: 1, visible: true}),
    ).toBeUndefined()
  })
})
