import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {targetFromTrace} from '../../src/actions/from-trace.js'
import {recordsToVerify} from '../../src/actions/target.js'
import {traceCommandFor} from '../../src/cli/trace-command.js'
import {defineEntity, keyArguments} from '../../src/entities/descriptor.js'
import {entities, entityList, entityNames} from '../../src/entities/index.js'
import {entityLabel, recordName} from '../../src/render/labels.js'
import type {TraceReport} from '../../src/report/types.js'

const root = join(import.meta.dirname, '..', '..')

/** A report of an entity whose automatable action is `kind`, with one hop's record. */
function report(entity: string, kind: string, record: Record<string, unknown> = {}): TraceReport {
  return {
    action: {automatable: true, command: null, description: '', kind, owner: 'admin'},
    entity,
    hops: [{evidence: [], hop: 'cms', record}],
    key: 'K-1',
  } as unknown as TraceReport
}

/** What a new entity would add: its descriptor, nothing else. */
const pricelist = defineEntity({
  actions: {syncs: 'items', verifiedBy: ['prices']},
  command: {
    description: 'Fetches the price list at every hop.',
    examples: ['PL-1 --sandbox'],
    key: {description: 'The price list code.', name: 'code'},
    summary: 'Trace a price list.',
  },
  direction: 'inbound',
  keyName: 'price list code',
  label: 'Price list',
  load: () => Promise.reject(new Error('not traced here')),
  name: 'pricelist',
  recordName: () => null,
})

describe('entities as data: everything that lists entities derives from their descriptors', () => {
  it('lists every descriptor of the registry once, under its own name', () => {
    expect(entityNames).toEqual(entityList.map((entity) => entity.name))
    expect(new Set(entityNames).size).toBe(entityNames.length)
    for (const name of entityNames) expect(entities[name].name).toBe(name)
  })

  it("has one trace command per entity, with the descriptor's summary, key argument and --user", () => {
    const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, {summary: string; args: Record<string, unknown>; flags: Record<string, unknown>}>
    }
    const traceCommands = Object.keys(manifest.commands).filter((id) => id.startsWith('trace:'))
    expect(traceCommands.sort()).toEqual(entityNames.map((name) => `trace:${name}`).sort())
    for (const entity of entityList) {
      const command = manifest.commands[`trace:${entity.name}`]
      expect(command?.summary).toBe(entity.command.summary)
      expect(Object.keys(command?.args ?? {})).toEqual(keyArguments(entity.command).map((arg) => arg.name))
      expect('user' in (command?.flags ?? {})).toBe(entity.command.user !== undefined)
    }
  })

  it("words a report's heading and record name from its entity's descriptor", () => {
    for (const entity of entityList) expect(entityLabel(entity.name)).toBe(entity.label)
    expect(recordName(report('customer', 'none', {name: 'Nordic Tools AB'}))).toBe('Nordic Tools AB')
    expect(recordName(report('item', 'none', {description: 'Hammer', name: 'not this'}))).toBe('Hammer')
  })

  it("syncs and republishes what the entity's descriptor names, and verifies the entity that sync covers", () => {
    for (const entity of entityList) {
      const sync = targetFromTrace(report(entity.name, 'targeted-sync'))
      expect(sync).toMatchObject({entity: entity.actions.syncs, keys: ['K-1'], kind: 'sync'})
      const republish = targetFromTrace(report(entity.name, 'webshop-republish'))
      expect(republish).toMatchObject({entity: entity.actions.syncs, kind: 'webshop-republish'})
      for (const verifiedBy of entity.actions.verifiedBy)
        expect(recordsToVerify({entity: verifiedBy, keys: ['K-1'], kind: 'sync', mode: 'targeted'})).toEqual([
          {entity: entity.name, key: 'K-1'},
        ])
    }
  })

  it("builds a new entity's trace command from its descriptor alone: its key, the trace flags, no --user", () => {
    const command = traceCommandFor(pricelist)
    expect(command.summary).toBe('Trace a price list.')
    expect(command.description).toMatch(/^Fetches the price list at every hop\.\n\nOn a terminal/)
    expect(command.examples).toEqual(['<%= config.bin %> <%= command.id %> PL-1 --sandbox'])
    expect(Object.keys(command.args ?? {})).toEqual(['code'])
    expect(Object.keys(command.flags ?? {})).toEqual(Object.keys(traceCommandFor(entities.item).flags ?? {}))
    expect(Object.keys(command.flags ?? {})).not.toContain('user')
    expect(Object.keys(traceCommandFor(entities.customer).flags ?? {})).toContain('user')
  })
})
