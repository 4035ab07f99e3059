import {describe, expect, it} from 'vitest'

import type {CanonicalCustomer} from '../../src/model/customer.js'
import {diagnoseCustomer} from '../../src/entities/customer/diagnose.js'
import {renderMarkdown} from '../../src/render/markdown.js'
import {nextAutoSync} from '../../src/connectors/platform/schedule.js'
import type {CustomerObservations} from '../../src/entities/customer/observe.js'

const now = new Date('2026-11-22T09:30:00Z')
const record: CanonicalCustomer = {
  addresses: [
    {
      addressLine1: 'Box 1',
      addressLine2: '',
      city: 'Farsta',
      countryCode: 'SE',
      isMain: true,
      postCode: '123 45',
      type: 'Invoice',
    },
  ],
  blocked: false,
  code: '1',
  email: 'a@b.example',
  isPrivate: false,
  name: 'One AB',
  phone: '',
  priceListCode: null,
  salesRepCodes: ['SR7'],
}
/** The CMS's record of it: the contract's mapping writes the own address as the main Delivery address too. */
const cmsRecord: CanonicalCustomer = {
  ...record,
  addresses: [...(record.addresses ?? []), {...(record.addresses ?? [])[0]!, type: 'Delivery'}],
}
const ok = <T>(value: T) => ({durationMs: 5, ok: true as const, value})
const down = {
  durationMs: 5,
  ok: false as const,
  problem: {kind: 'unreachable' as const, message: 'host: connection refused'},
}

function observations(overrides: Partial<CustomerObservations> = {}): CustomerObservations {
  return {
    appCustomer: ok({customer: cmsRecord, publishedAt: new Date('2026-11-01T00:00:00Z'), visibleToUserIds: ['u-17']}),
    appUsers: ok({
      salesRepCodes: ['SR7'],
      users: [
        {
          devices: [
            {
              appVersion: null,
              deviceId: 'd-3',
              lastFullRefreshAt: null,
              lastRefreshAt: new Date('2026-11-21T00:00:00Z'),
              lastSeenAt: null,
              model: 'iPad',
              pendingUploads: [],
            },
          ],
          name: 'Erik',
          userId: 'u-17',
        },
      ],
    }),
    cms: ok({
      customer: cmsRecord,
      erpModifiedAt: null,
      origin: 'erp' as const,
      syncedAt: new Date('2026-11-01T00:00:00Z'),
    }),
    code: '1',
    customerFile: null,
    erp: ok({
      customer: record,
      derived: [],
      erpId: null,
      modifiedAt: new Date('2026-10-30T00:00:00Z'),
      notSupplied: [],
    }),
    erpSystem: 'businesscentral',
    ftp: null,
    installation: ok({
      autoSync: {at: '02:00', everyHours: 24, timezone: 'Europe/Stockholm'},
      connection: 'direct' as const,
      erpSystem: 'businesscentral',
      filters: {skipPrivateCustomers: true},
      ftpUrl: null,
      id: 'acme',
      name: 'Acme',
    }),
    now,
    pendingOnDevices: null,
    syncRecords: ok([]),
    syncRuns: ok([
      {
        entity: 'customers',
        error: null,
        finishedAt: new Date('2026-11-22T01:04:00Z'),
        keys: null,
        mode: 'auto',
        requestedBy: 'auto',
        runId: 'r-1',
        source: 'erp-api',
        sourceFile: null,
        sourceFileModifiedAt: null,
        startedAt: new Date('2026-11-22T01:00:00Z'),
        status: 'succeeded',
      },
    ]),
    userId: null,
    webshop: ok({accounts: [], customer: cmsRecord, publishedAt: new Date('2026-11-01T00:05:00Z')}),
    ...overrides,
  }
}

const context = {commandSuffix: '', traceCommand: 'synctrace trace customer 1'}

describe('diagnosis rules', () => {
  it('is ok with exit 0 when every hop matches', () => {
    const diagnosis = diagnoseCustomer(observations(), context)
    expect(diagnosis.verdict).toMatchObject({cause: 'consistent', complete: true, ok: true})
    expect(diagnosis.exitCode).toBe(0)
  })

  it('never calls the CMS missing because the CMS was unreachable', () => {
    const diagnosis = diagnoseCustomer(observations({cms: down, syncRecords: down, syncRuns: down}), context)
    expect(diagnosis.hops[1]!.status).toBe('unreachable')
    expect(diagnosis.hops.map((hop) => hop.status)).not.toContain('missing')
    expect(diagnosis.verdict.cause).toBe('hop-unreachable')
    expect(diagnosis.exitCode).toBe(4)
  })

  it('infers an exclusion from the ERP flag and the CMS filter when the sync records are silent', () => {
    const privateCustomer = {...record, isPrivate: true}
    const diagnosis = diagnoseCustomer(
      observations({
        appCustomer: ok(null),
        cms: ok(null),
        erp: ok({
          customer: privateCustomer,
          derived: [],
          erpId: null,
          modifiedAt: new Date('2026-10-01T00:00:00Z'),
          notSupplied: [],
        }),
        webshop: ok(null),
      }),
      context,
    )
    expect(diagnosis.hops[1]!.status).toBe('excluded')
    expect(diagnosis.verdict.cause).toBe('excluded-by-filter')
    expect(diagnosis.verdict.summary).toContain('skipPrivateCustomers')
  })

  it('says the sync did not read a record that existed before the last sync', () => {
    const diagnosis = diagnoseCustomer(observations({appCustomer: ok(null), cms: ok(null), webshop: ok(null)}), context)
    expect(diagnosis.verdict.cause).toBe('not-read-by-sync')
    expect(diagnosis.action.kind).toBe('targeted-sync')
  })

  it('calls a CMS that differs after a sync that saw the change "differs", for platform support', () => {
    const diagnosis = diagnoseCustomer(
      observations({
        cms: ok({
          customer: {...record, name: 'Other AB'},
          erpModifiedAt: null,
          origin: 'erp' as const,
          syncedAt: new Date('2026-11-01T00:00:00Z'),
        }),
      }),
      context,
    )
    expect(diagnosis.hops[1]!.status).toBe('differs')
    expect(diagnosis.verdict.cause).toBe('cms-differs-from-erp')
    expect(diagnosis.action.kind).toBe('contact-platform-support')
  })

  it('waits for the webshop push within the grace period instead of blaming the webshop', () => {
    const justSynced = new Date(now.getTime() - 5 * 60_000)
    const diagnosis = diagnoseCustomer(
      observations({
        cms: ok({customer: record, erpModifiedAt: null, origin: 'erp' as const, syncedAt: justSynced}),
        webshop: ok(null),
        appCustomer: ok({customer: record, publishedAt: justSynced, visibleToUserIds: ['u-17']}),
      }),
      context,
    )
    expect(diagnosis.verdict.cause).not.toBe('not-published-to-webshop')
    expect(diagnosis.hops[3]!.status).toBe('missing')
  })

  it("names the user's devices that refreshed before publication, whatever the user's name holds", () => {
    const base = observations()
    const users = base.appUsers.ok ? base.appUsers.value.users : []
    const diagnosis = diagnoseCustomer(
      observations({
        appCustomer: ok({
          customer: cmsRecord,
          publishedAt: new Date('2026-11-22T02:00:00Z'),
          visibleToUserIds: ['u-17'],
        }),
        appUsers: ok({salesRepCodes: ['SR7'], users: users.map((user) => ({...user, name: 'Lund: Erik'}))}),
      }),
      context,
    )
    expect(diagnosis.verdict.cause).toBe('device-not-refreshed')
    expect(diagnosis.verdict.summary).toMatch(
      /^The app on Lund: Erik's \(u-17\) device does not have customer 1 as the CMS has it: iPad d-3 last refreshed .*, before the customer was published/,
    )
  })

  it('shows seconds for a device refresh and a publication in the same minute, so the sentence keeps their order', () => {
    const base = observations()
    const users = base.appUsers.ok ? base.appUsers.value.users : []
    const refreshed = users.map((user) => ({
      ...user,
      devices: (user.devices ?? []).map((device) => ({...device, lastRefreshAt: new Date('2026-11-22T05:59:12Z')})),
    }))
    const diagnosis = diagnoseCustomer(
      observations({
        appCustomer: ok({
          customer: cmsRecord,
          publishedAt: new Date('2026-11-22T05:59:40Z'),
          visibleToUserIds: ['u-17'],
        }),
        appUsers: ok({salesRepCodes: ['SR7'], users: refreshed}),
      }),
      context,
    )
    expect(diagnosis.verdict.cause).toBe('device-not-refreshed')
    expect(diagnosis.verdict.summary).toContain(
      'iPad d-3 last refreshed 2026-11-22 06:59:12 (+01:00), before the customer was published (2026-11-22 06:59:40 (+01:00))',
    )
    // The hop table shows the device's refresh beside the publication time of the same hop: seconds there too.
    const markdown = renderMarkdown({
      ...diagnosis,
      checkedAt: now.toISOString(),
      direction: 'inbound',
      entity: 'customer',
      key: '1',
      profile: 'p',
      schemaVersion: 1,
      tool: {name: 'synctrace', version: 'test'},
      user: null,
    })
    expect(markdown).toContain('last refresh 2026-11-22 06:59:12 (+01:00)')
  })

  it('shows seconds for an ERP change and the start of the sync that missed it in the same minute, and minutes otherwise', () => {
    const created = (modifiedAt: string) =>
      diagnoseCustomer(
        observations({
          appCustomer: ok(null),
          cms: ok(null),
          erp: ok({customer: record, derived: [], erpId: null, modifiedAt: new Date(modifiedAt), notSupplied: []}),
          webshop: ok(null),
        }),
        context,
      ).verdict
    const sameMinute = created('2026-11-22T01:00:40Z')
    expect(sameMinute.cause).toBe('created-after-sync')
    expect(sameMinute.summary).toContain(
      'at 2026-11-22 02:00:40 (+01:00), after the last customer sync started (2026-11-22 02:00:00 (+01:00), run r-1',
    )
    const apart = created('2026-11-22T01:07:40Z')
    expect(apart.summary).toContain(
      'at 2026-11-22 02:07 (+01:00), after the last customer sync started (2026-11-22 02:00 (+01:00)',
    )
  })

  it('knows when the next daily auto-sync starts in the installation timezone', () => {
    const next = nextAutoSync(
      {
        autoSync: {at: '02:00', everyHours: 24, timezone: 'Europe/Stockholm'},
        connection: 'direct',
        erpSystem: 'x',
        filters: {},
        ftpUrl: null,
        id: 'a',
        name: 'a',
      },
      now,
    )
    expect(next?.toISOString()).toBe('2026-11-23T01:00:00.000Z')
  })
})
