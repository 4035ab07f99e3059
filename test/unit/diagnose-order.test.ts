import {describe, expect, it} from 'vitest'

import {diagnoseOrder} from '../../src/entities/order/diagnose.js'
import type {CmsOrder} from '../../src/connectors/platform/types.js'
import type {OrderObservations} from '../../src/entities/order/observe.js'

const now = new Date('2026-11-22T09:30:00Z')
const ok = <T>(value: T) => ({durationMs: 5, ok: true as const, value})
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000)
const order = (transfer: Partial<CmsOrder['transfer']> = {}, receivedAt = minutesAgo(120)): CmsOrder => ({
  channel: 'app',
  createdAt: minutesAgo(130),
  customerCode: '10042',
  lines: [{itemCode: 'P-1', lineNo: 1, price: 10, quantity: 2}],
  orderDate: null,
  orderNr: 'A-1',
  receivedAt,
  transfer: {
    attempts: 1,
    erpDocumentNumber: 'SO-9',
    error: null,
    file: null,
    lastAttemptAt: minutesAgo(119),
    status: 'sent',
    ...transfer,
  },
  yourReference: null,
})
const installation = (connection: 'direct' | 'ftp') =>
  ok({
    autoSync: {at: '02:00', everyHours: 24, timezone: 'Europe/Stockholm'},
    connection,
    erpSystem: 'businesscentral',
    filters: {},
    ftpUrl: null,
    id: 'acme',
    name: 'Acme',
  })

function observations(overrides: Partial<OrderObservations> = {}): OrderObservations {
  return {
    cms: ok(order()),
    devices: null,
    erp: ok({
      customerCode: '10042',
      documentNumber: 'SO-9',
      externalReference: 'A-1',
      modifiedAt: minutesAgo(118),
      status: 'open',
    }),
    erpSystem: null,
    ftp: null,
    installation: installation('direct'),
    now,
    orderNr: 'A-1',
    prerequisites: null,
    userId: null,
    webshop: ok(null),
    ...overrides,
  }
}
const fileLookup = (folder: string, writtenMinutesAgo: number, errorReason: string | null = null) =>
  ok({
    errorReason,
    exportFiles: [],
    file: {
      folder,
      modifiedAt: minutesAgo(writtenMinutesAgo),
      path: `${folder}/A-1.csv`,
      state:
        folder === 'Orders/error'
          ? ('rejected' as const)
          : folder === 'Orders/processed'
            ? ('imported' as const)
            : ('waiting' as const),
    },
    folders: {error: 'Orders/error', extension: '.csv', folder: 'Orders', processed: 'Orders/processed'},
    location: 'ftp://files.example/acme',
    oldestWaitingAt: null,
    refusedNames: [],
    waitingCount: folder === 'Orders' ? 1 : 0,
  })
const context = {commandSuffix: '', traceCommand: 'synctrace trace order A-1'}

describe('order diagnosis', () => {
  it('is consistent when the ERP booked the order the CMS sent', () => {
    const diagnosis = diagnoseOrder(observations(), context)
    expect(diagnosis.verdict).toMatchObject({cause: 'consistent', ok: true})
    expect(diagnosis.chain).toEqual(['app', 'cms', 'erp'])
  })

  it('breaks CMS → ERP for a transfer queued past 30 minutes, and only waits before that', () => {
    const stuck = diagnoseOrder(
      observations({cms: ok(order({erpDocumentNumber: null, status: 'queued'})), erp: ok(null)}),
      context,
    )
    expect(stuck.verdict).toMatchObject({brokenLink: {from: 'cms', to: 'erp'}, cause: 'order-transfer-stuck'})
    expect(stuck.hops.find((hop) => hop.hop === 'erp')?.status).toBe('missing')
    const pending = diagnoseOrder(
      observations({cms: ok(order({erpDocumentNumber: null, status: 'queued'}, minutesAgo(5))), erp: ok(null)}),
      context,
    )
    expect(pending.verdict.cause).toBe('order-transfer-pending')
    expect(pending.action.kind).toBe('wait')
  })

  it('names the customer and items the ERP lacks when the transfer failed', () => {
    const failed = observations({
      cms: ok(order({erpDocumentNumber: null, error: 'Unknown customer', status: 'failed'})),
      erp: ok(null),
      prerequisites: ok({customers: ['10042'], items: []}),
    })
    const diagnosis = diagnoseOrder(failed, context)
    expect(diagnosis.verdict.cause).toBe('order-prerequisite-missing')
    expect(diagnosis.verdict.summary).toContain('customer 10042')
  })

  it('says so when whether the ERP lacks the customer or items could not be checked, instead of implying it has them', () => {
    const failed = observations({
      cms: ok(order({erpDocumentNumber: null, error: 'Unknown customer', status: 'failed'})),
      erp: ok(null),
      prerequisites: {
        durationMs: 10_000,
        ok: false as const,
        problem: {kind: 'timeout' as const, message: '127.0.0.1:4000: no complete answer within 10000 ms'},
      },
    })
    const diagnosis = diagnoseOrder(failed, context)
    expect(diagnosis.verdict.cause).toBe('order-transfer-failed')
    expect(diagnosis.verdict.summary).toContain('could not be checked')
    expect(diagnosis.verdict.summary).toContain('no complete answer within 10000 ms')
    expect(diagnosis.verdict.summary).toContain('trace again before retransferring')
  })

  it('blames the ERP for an order the CMS reports as sent that the ERP does not have', () => {
    expect(diagnoseOrder(observations({erp: ok(null)}), context).verdict).toMatchObject({
      brokenLink: {from: 'cms', to: 'erp'},
      cause: 'order-missing-in-erp',
    })
  })

  it("names the ERP hop after the profile's ERP, which is more exact than the CMS's erp.system (both Visma APIs report visma)", () => {
    const visma = ok({...installation('direct').value, erpSystem: 'visma'})
    const report = diagnoseOrder(
      observations({erp: ok(null), erpSystem: 'visma-eaccounting', installation: visma}),
      context,
    )
    const erp = report.hops.find((hop) => hop.hop === 'erp')
    expect(erp).toMatchObject({summary: 'Visma eAccounting has no sales order for A-1.', system: 'visma-eaccounting'})
    expect(
      diagnoseOrder(observations({erp: ok(null), installation: visma}), context).hops.find((hop) => hop.hop === 'erp'),
    ).toMatchObject({system: 'visma'})
  })

  it("on ftp installations: a file waiting in Orders/ past 30 minutes is the ERP import's (FTP → ERP), earlier it is on its way", () => {
    const ftp = {
      erp: null,
      installation: installation('ftp'),
      cms: ok(order({erpDocumentNumber: null, file: 'Orders/A-1.csv'})),
    }
    const waiting = diagnoseOrder(observations({...ftp, ftp: fileLookup('Orders', 180)}), context)
    expect(waiting.chain).toEqual(['app', 'cms', 'ftp', 'erp'])
    expect(waiting.verdict).toMatchObject({brokenLink: {from: 'ftp', to: 'erp'}, cause: 'order-file-waiting'})
    expect(waiting.verdict.evidence.map((entry) => entry.name)).toContain('orderFile')
    expect(diagnoseOrder(observations({...ftp, ftp: fileLookup('Orders', 10)}), context).verdict.cause).toBe(
      'order-transfer-pending',
    )
  })

  it('on ftp installations: a file in Orders/error/ is a rejection with its reason; one in processed/ is imported', () => {
    const ftp = {
      erp: null,
      installation: installation('ftp'),
      cms: ok(order({erpDocumentNumber: null, file: 'Orders/A-1.csv'})),
    }
    const rejected = diagnoseOrder(
      observations({...ftp, ftp: fileLookup('Orders/error', 60, 'Unknown customer 20077')}),
      context,
    )
    expect(rejected.verdict).toMatchObject({brokenLink: {from: 'ftp', to: 'erp'}, cause: 'order-rejected-by-erp'})
    expect(rejected.verdict.summary).toContain('Unknown customer 20077')
    expect(diagnoseOrder(observations({...ftp, ftp: fileLookup('Orders/processed', 60)}), context).verdict.ok).toBe(
      true,
    )
  })

  it('puts an order still on a device at the link app → CMS, and one nobody knows at the origin', () => {
    const device = {
      appVersion: null,
      deviceId: 'd-3',
      lastFullRefreshAt: null,
      lastRefreshAt: null,
      lastSeenAt: minutesAgo(300),
      model: 'iPad',
      pendingUploads: [],
    }
    const onDevice = observations({
      cms: ok(null),
      devices: ok([
        {device, name: 'Erik', upload: {createdAt: minutesAgo(400), key: 'A-1', kind: 'order'}, userId: 'u-17'},
      ]),
      erp: ok(null),
    })
    expect(diagnoseOrder(onDevice, context).verdict).toMatchObject({
      brokenLink: {from: 'app', to: 'cms'},
      cause: 'order-not-uploaded',
    })
    const nowhere = observations({cms: ok(null), devices: ok([]), erp: ok(null)})
    expect(diagnoseOrder(nowhere, context).verdict).toMatchObject({
      brokenLink: {from: null, to: 'app'},
      cause: 'order-not-found',
    })
  })
})
