import {describe, expect, it} from 'vitest'

import {targetFromTrace} from '../../src/actions/from-trace.js'
import {
  actionName,
  commandFor,
  describeTarget,
  recordsToVerify,
  requestFor,
  subjectOf,
} from '../../src/actions/target.js'
import type {Profile} from '../../src/config/profile.js'
import type {TraceReport} from '../../src/report/types.js'

const profile = {
  app: {url: 'https://app.example'},
  cms: {url: 'https://user:pw@cms.example/'},
  name: 'acme',
  webshop: {url: 'https://shop.example'},
} as unknown as Profile

describe('action targets: one target, its words, its request and its command', () => {
  it('a targeted sync of one customer: the request the contract defines and the command an admin types', () => {
    const target = {entity: 'customers' as const, keys: ['10042'], kind: 'sync' as const, mode: 'targeted' as const}
    expect(describeTarget(target)).toBe('start a targeted CMS sync of customer 10042')
    expect(requestFor(target, profile)).toEqual({
      body: {entity: 'customers', keys: ['10042'], mode: 'targeted'},
      method: 'POST',
      service: 'cms',
      url: 'https://cms.example/api/v1/sync/jobs',
    })
    expect(commandFor(target, '--profile acme')).toBe('synctrace sync customer 10042 --profile acme')
    expect(actionName(target)).toBe('sync-targeted')
    expect(recordsToVerify(target)).toEqual([{entity: 'customer', key: '10042'}])
  })

  it('a full sync names no records and needs --full on its command', () => {
    const target = {entity: 'items' as const, keys: null, kind: 'sync' as const, mode: 'full' as const}
    expect(commandFor(target, '')).toBe('synctrace sync items --full')
    expect(describeTarget(target)).toBe('start a full CMS sync of items')
    expect(recordsToVerify(target)).toEqual([])
  })

  it('quotes keys for the shell and encodes them as one path segment', () => {
    const target = {kind: 'app-refresh' as const, userId: "o'neil/.."}
    expect(commandFor(target, '')).toBe(`synctrace refresh app --user 'o'\\''neil/..'`)
    expect(requestFor(target, profile).url).toBe('https://app.example/app/v1/users/o%27neil%2F../full-refresh')
    expect(subjectOf(target)).toBe("app user o'neil/..")
  })

  it('an order retransfer verifies the order; a webshop republish of items verifies each item', () => {
    expect(recordsToVerify({kind: 'order-retransfer', orderNr: 'A-1'})).toEqual([{entity: 'order', key: 'A-1'}])
    const republish = {entity: 'items' as const, keys: ['P-1', 'P-2'], kind: 'webshop-republish' as const}
    expect(recordsToVerify(republish)).toEqual([
      {entity: 'item', key: 'P-1'},
      {entity: 'item', key: 'P-2'},
    ])
    expect(commandFor(republish, '--sandbox')).toBe('synctrace refresh webshop item P-1 P-2 --sandbox')
  })

  it("turns a trace's automatable action into its target, and a person's action into none", () => {
    const report = (kind: string, automatable = true, extra: Partial<TraceReport> = {}) =>
      ({
        action: {automatable, command: null, description: '', kind, owner: 'admin'},
        entity: 'item',
        hops: [],
        key: 'P-1',
        user: null,
        ...extra,
      }) as unknown as TraceReport
    expect(targetFromTrace(report('targeted-sync'))).toEqual({
      entity: 'items',
      keys: ['P-1'],
      kind: 'sync',
      mode: 'targeted',
    })
    expect(targetFromTrace(report('webshop-republish'))).toEqual({
      entity: 'items',
      keys: ['P-1'],
      kind: 'webshop-republish',
    })
    expect(targetFromTrace(report('contact-it-partner', false))).toBeNull()
    const app = {
      hop: 'app',
      users: [
        {status: 'present', userId: 'u-1'},
        {status: 'stale', userId: 'u-17'},
      ],
    }
    expect(targetFromTrace(report('app-full-refresh', true, {entity: 'customer', hops: [app] as never}))).toEqual({
      kind: 'app-refresh',
      userId: 'u-17',
    })
  })
})
