import {describe, expect, it} from 'vitest'

import type {CanonicalCustomer} from '../../src/model/customer.js'
import {compareSourceCustomer, compareSourceItem} from '../../src/model/mapping.js'
import {checkReportInvariants} from '../../src/report/invariants.js'
import type {HopName, HopReport, HopStatus, TraceReport} from '../../src/report/types.js'

function hop(name: HopName, status: HopStatus = 'present', extra: Partial<HopReport> = {}): HopReport {
  return {
    comparedWith: null,
    derived: [],
    diff: [],
    durationMs: 1,
    evidence: [],
    hop: name,
    notCompared: [],
    problem: null,
    record: null,
    status,
    summary: '',
    system: name,
    ...extra,
  }
}

function report(
  overrides: Partial<TraceReport> = {},
  hops: HopReport[] = [hop('erp'), hop('cms'), hop('app'), hop('webshop')],
): TraceReport {
  return {
    action: {automatable: false, command: null, description: '', kind: 'none', owner: 'nobody'},
    chain: ['erp', 'cms', 'app', 'webshop'],
    checkedAt: '2026-12-01T10:00:00.000Z',
    direction: 'inbound',
    entity: 'customer',
    exitCode: 0,
    hops,
    installation: null,
    key: '1',
    profile: 'p',
    schemaVersion: 1,
    tool: {name: 'synctrace', version: '0'},
    user: null,
    verdict: {
      brokenLink: null,
      cause: 'consistent',
      complete: true,
      evidence: [],
      ok: true,
      otherFindings: [],
      summary: '',
    },
    ...overrides,
  }
}

const broken = (
  cause: TraceReport['verdict']['cause'],
  kind: TraceReport['action']['kind'],
  link: {from: HopName | null; to: HopName},
  hops: HopReport[],
) =>
  report(
    {
      action: {automatable: false, command: null, description: '', kind, owner: 'admin'},
      exitCode: 3,
      verdict: {brokenLink: link, cause, complete: true, evidence: [], ok: false, otherFindings: [], summary: ''},
    },
    hops,
  )

describe('the report invariants', () => {
  it('accept a consistent report and a well-formed break', () => {
    expect(checkReportInvariants(report())).toEqual([])
    expect(
      checkReportInvariants(
        broken('device-not-refreshed', 'app-full-refresh', {from: 'cms', to: 'app'}, [
          hop('erp'),
          hop('cms'),
          hop('app', 'stale'),
          hop('webshop'),
        ]),
      ),
    ).toEqual([])
  })

  it('refuse a green verdict with a hop on the path that was not checked', () => {
    const violations = checkReportInvariants(
      report({}, [hop('erp'), hop('cms'), hop('app', 'not-checked'), hop('webshop')]),
    )
    expect(violations.join('\n')).toMatch(/verdict.ok although hop app is not-checked/)
  })

  it('refuse a broken link that points at a hop which is not a fault (the A-2002 bug)', () => {
    const outbound = report(
      {
        action: {automatable: false, command: null, description: '', kind: 'rep-opens-app-online', owner: 'sales-rep'},
        chain: ['app', 'cms', 'erp'],
        direction: 'outbound',
        exitCode: 3,
        verdict: {
          brokenLink: {from: null, to: 'app'},
          cause: 'order-not-uploaded',
          complete: true,
          evidence: [],
          ok: false,
          otherFindings: [],
          summary: '',
        },
      },
      [hop('app'), hop('cms', 'missing'), hop('erp', 'missing')],
    )
    expect(checkReportInvariants(outbound).join('\n')).toMatch(
      /brokenLink.to is app, whose status present is not a fault/,
    )
    expect(
      checkReportInvariants({...outbound, verdict: {...outbound.verdict, brokenLink: {from: 'app', to: 'cms'}}}),
    ).toEqual([])
  })

  it('refuse a broken link whose from is not the hop before it, and a fault earlier in the chain', () => {
    const wrongFrom = broken('not-published-to-webshop', 'webshop-republish', {from: 'app', to: 'webshop'}, [
      hop('erp'),
      hop('cms'),
      hop('app'),
      hop('webshop', 'missing'),
    ])
    expect(checkReportInvariants(wrongFrom).join('\n')).toMatch(/the hop before webshop is cms/)
    const earlier = broken('not-published-to-webshop', 'webshop-republish', {from: 'cms', to: 'webshop'}, [
      hop('erp'),
      hop('cms', 'stale'),
      hop('app'),
      hop('webshop', 'missing'),
    ])
    expect(checkReportInvariants(earlier).join('\n')).toMatch(/hop cms \(stale\) comes before/)
  })

  it('refuse an exit code, an action or a completeness that disagrees with the verdict', () => {
    expect(checkReportInvariants(report({exitCode: 3})).join('\n')).toMatch(/exit code 3/)
    const wrongAction = broken('erp-changed-after-sync', 'contact-platform-support', {from: 'erp', to: 'cms'}, [
      hop('erp'),
      hop('cms', 'stale'),
      hop('app'),
      hop('webshop'),
    ])
    expect(checkReportInvariants(wrongAction).join('\n')).toMatch(/documented: targeted-sync/)
    const unreachable = hop('app', 'unreachable', {problem: {kind: 'unreachable', message: 'down'}})
    expect(checkReportInvariants(report({}, [hop('erp'), hop('cms'), unreachable, hop('webshop')])).join('\n')).toMatch(
      /verdict.complete is true/,
    )
  })

  it('refuse evidence that names a row, a file or a run only in its text', () => {
    const rowOnlyInText = broken('export-row-unreadable', 'contact-it-partner', {from: 'erp', to: 'ftp'}, [
      hop('erp', 'not-checked'),
      hop('ftp', 'error'),
      hop('cms', 'missing'),
      hop('app', 'missing'),
      hop('webshop', 'missing'),
    ])
    rowOnlyInText.chain = ['erp', 'ftp', 'cms', 'app', 'webshop']
    rowOnlyInText.verdict.evidence = [
      {label: 'Unreadable row', name: 'exportUnreadableRow', text: 'customers.csv line 4: quote'},
      {label: 'Last customer sync', name: 'lastCustomerSync', text: 'r-1, auto, succeeded'},
    ]
    const text = checkReportInvariants(rowOnlyInText).join('\n')
    expect(text).toMatch(/exportUnreadableRow names a row but has no file and line/)
    expect(text).toMatch(/lastCustomerSync names a sync run but has no runId/)
    rowOnlyInText.verdict.evidence = [
      {
        file: 'customers.csv',
        label: 'Unreadable row',
        line: 4,
        name: 'exportUnreadableRow',
        text: 'customers.csv line 4: quote',
      },
      {
        at: '2026-12-01T01:00:00Z',
        label: 'Last customer sync',
        name: 'lastCustomerSync',
        runId: 'r-1',
        text: 'r-1, auto, succeeded',
      },
    ]
    expect(checkReportInvariants(rowOnlyInText)).toEqual([])
  })
})

const own = {
  addressLine1: 'Box 1',
  addressLine2: '',
  city: 'Lund',
  countryCode: 'SE',
  isMain: true,
  postCode: '222 22',
  type: 'Invoice' as const,
}
const erpCustomer: CanonicalCustomer = {
  addresses: [own],
  blocked: false,
  code: '1',
  email: 'a@b.example',
  isPrivate: false,
  name: 'One AB',
  phone: '046-12 34 56',
  priceListCode: null,
  salesRepCodes: ['SR7'],
}
const names = {downstream: 'the CMS', upstream: 'Business Central'}

describe('the CMS mapping applied before comparing', () => {
  it('takes the own address as the main Delivery address when the source has none, as the CMS writes it', () => {
    const cms: CanonicalCustomer = {
      ...erpCustomer,
      addresses: [own, {...own, type: 'Delivery'}],
      phone: '+46 46 12 34 56',
      priceListCode: 'B2B-A',
    }
    const comparison = compareSourceCustomer(erpCustomer, cms, [], names)
    expect(comparison.diff).toEqual([])
    expect(comparison.derived).toEqual([
      expect.objectContaining({field: 'addresses.Delivery', from: 'addresses.Invoice'}),
    ])
    expect(comparison.notCompared).toContainEqual({
      field: 'priceListCode',
      reason: 'Business Central does not supply it',
    })
  })

  it('still finds a CMS delivery address that is not the own address of a source without ship-tos', () => {
    const cms: CanonicalCustomer = {
      ...erpCustomer,
      addresses: [own, {...own, addressLine1: 'Lager 9', type: 'Delivery'}],
    }
    expect(compareSourceCustomer(erpCustomer, cms, [], names).diff).toEqual([
      {downstream: 'Lager 9', field: 'addresses.Delivery.addressLine1', upstream: 'Box 1'},
    ])
  })

  it('derives nothing when the source has its own delivery address', () => {
    const withDelivery: CanonicalCustomer = {
      ...erpCustomer,
      addresses: [own, {...own, addressLine1: 'Lager 9', type: 'Delivery'}],
    }
    const comparison = compareSourceCustomer(withDelivery, withDelivery, [], names)
    expect(comparison.derived).toEqual([])
    expect(comparison.diff).toEqual([])
  })

  it('never compares a field the source declares it cannot supply, and gives its reason', () => {
    const cms = {...erpCustomer, addresses: [own, {...own, type: 'Delivery' as const}], blocked: true}
    const comparison = compareSourceCustomer(
      erpCustomer,
      cms,
      [{field: 'blocked', reason: 'Fortnox has no blocked flag the platform reads'}],
      names,
    )
    expect(comparison.diff).toEqual([])
    expect(comparison.notCompared).toContainEqual({
      field: 'blocked',
      reason: 'Fortnox has no blocked flag the platform reads',
    })
    const item = {
      active: true,
      code: 'P',
      currency: 'SEK',
      description: 'x',
      price: 10,
      stock: 1,
      unit: 'st',
      webshop: true,
    }
    const items = compareSourceItem(
      {...item, currency: 'EUR'},
      item,
      [{field: 'currency', reason: 'no currency on the item'}],
      names,
    )
    expect(items.diff).toEqual([])
    expect(items.notCompared).toContainEqual({field: 'currency', reason: 'no currency on the item'})
  })
})
