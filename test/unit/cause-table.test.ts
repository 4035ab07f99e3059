import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {causeTable} from '../../src/diagnose/causes.js'
import {classRules} from '../../src/reconcile/classes.js'
import {documentedActions} from '../../src/report/invariants.js'
import type {ActionOwner, CauseCode} from '../../src/report/types.js'

// The cause table (src/diagnose/causes.ts) is the one place a cause gets its action and owner: the documents
// a user reads and the invariants every report is checked against must say the same.

const root = join(import.meta.dirname, '..', '..')
const read = (path: string) => readFileSync(join(root, path), 'utf8')

/** The rows of the Markdown tables between two headings, as cells. */
function tableRows(text: string, from: string, to: string | null): string[][] {
  const start = text.indexOf(from)
  const end = to === null ? text.length : text.indexOf(to, start)
  return text
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-| ]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    )
}

const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string)

/** How the documents name an owner; an action cell's parenthesis starts with it (other words are not an owner). */
const ownerWords: Record<string, ActionOwner> = {
  admin: 'admin',
  'ERP consultant': 'erp-consultant',
  'IT partner': 'it-partner',
  'platform support': 'platform-support',
  'sales rep': 'sales-rep',
  support: 'support',
}

function ownerOf(actionCell: string): ActionOwner | null {
  const parenthesis = /^`[^`]+`\s*\(([^)]*)\)/.exec(actionCell)?.[1]
  const first = parenthesis?.split(/;|,| \/ | or /)[0]?.trim()
  return first !== undefined ? (ownerWords[first] ?? null) : null
}

/** The rows of the cause tables only (a header whose first cell is `cause`), not the other tables of the section. */
function causeTableRows(text: string, from: string, to: string): string[][] {
  const section = text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)))
  return section
    .split(/\n(?!\|)/)
    .map((block) => tableRows(block, '', null))
    .filter((rows) => rows[0]?.[0] === 'cause')
    .flatMap((rows) => rows.slice(1))
}

const diagnosisRows = causeTableRows(
  read('docs/diagnosis.md'),
  '## Causes (`verdict.cause`)',
  '## Evidence each cause needs',
).map((cells) => ({action: cells[cells.length - 1] ?? '', causes: codes(cells[0] ?? '')}))

describe('the cause table and docs/diagnosis.md', () => {
  it('documents every cause of the table', () => {
    const documented = new Set(diagnosisRows.flatMap((row) => row.causes))
    expect(Object.keys(causeTable).filter((cause) => !documented.has(cause))).toEqual([])
  })

  it('documents no cause the table lacks', () => {
    const unknown = diagnosisRows.flatMap((row) => row.causes).filter((cause) => !(cause in causeTable))
    expect(unknown).toEqual([])
  })

  it("gives each documented cause the table's action kind and owner", () => {
    const mismatches: string[] = []
    for (const row of diagnosisRows) {
      const kind = codes(row.action)[0]
      const owner = ownerOf(row.action)
      for (const cause of row.causes) {
        const template = causeTable[cause as CauseCode]
        if (!template || kind === undefined) continue
        if (template.kind !== kind) mismatches.push(`${cause}: documented ${kind}, table ${template.kind}`)
        if (owner !== null && template.owner !== owner)
          mismatches.push(`${cause}: documented owner ${owner}, table ${template.owner}`)
      }
    }
    expect(mismatches).toEqual([])
  })
})

describe('the cause table and the sandbox tables of README.md', () => {
  it("gives each sandbox scenario's cause the table's action kind", () => {
    const text = read('README.md')
    const rows = tableRows(text, '## The sandbox installation', '## Development').filter(
      (cells) => cells.length === 5 && cells[2] !== 'verdict (`cause`)',
    )
    expect(rows.length).toBeGreaterThan(20)
    const mismatches: string[] = []
    for (const cells of rows) {
      const cause = codes(cells[2] ?? '').at(-1) as CauseCode | undefined
      const kind = codes(cells[3] ?? '')[0]
      if (cause === undefined || kind === undefined) continue
      if (!causeTable[cause]) mismatches.push(`${cells[0]}: cause ${cause} is not in the table`)
      else if (causeTable[cause].kind !== kind)
        mismatches.push(`${cells[0]}: ${cause} documented with ${kind}, table ${causeTable[cause].kind}`)
    }
    expect(mismatches).toEqual([])
  })
})

describe('the cause table and the report invariants', () => {
  it("states for every cause the table's action kind, and no other cause", () => {
    const table = Object.fromEntries(Object.entries(causeTable).map(([cause, template]) => [cause, template.kind]))
    expect(documentedActions).toEqual(table)
  })
})

describe("reconcile's classes and docs/reconcile.md", () => {
  const fixWords: Record<string, string | null> = {
    '—': null,
    'targeted sync': 'targeted-sync',
    'webshop republish': 'webshop-republish',
  }
  const rows = tableRows(read('docs/reconcile.md'), '| class | between |', '\n\n').filter(
    (cells) => cells[0] !== 'class',
  )

  it('documents every class, with its --fix, and no class the rules lack', () => {
    const documented = new Map<string, string | null>()
    for (const cells of rows) {
      const classes = codes(cells[0] ?? '')
      const fixes = (cells[3] ?? '').split(' / ').map((fix) => (fix.startsWith('—') ? '—' : fix.trim()))
      classes.forEach((klass, index) => {
        const fix = fixes[Math.min(index, fixes.length - 1)] ?? ''
        documented.set(klass, fix in fixWords ? (fixWords[fix] ?? null) : `unknown (${fix})`)
      })
    }
    const mismatches = Object.entries(classRules)
      .filter(([klass, rule]) => documented.get(klass) !== rule.fix)
      .map(([klass, rule]) => `${klass}: documented ${documented.get(klass)}, rules ${rule.fix}`)
    const unknown = [...documented.keys()].filter((klass) => !(klass in classRules))
    expect({mismatches, unknown}).toEqual({mismatches: [], unknown: []})
  })
})
