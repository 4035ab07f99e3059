import colors from '@colors/colors/safe.js'
import {Chalk} from 'chalk'
import Table from 'cli-table3'
import {afterEach, describe, expect, it} from 'vitest'

import {renderGrid} from '../../src/render/grid.js'

const chalk = new Chalk({level: 1})

/** What cli-table3 draws for the same options (the trace view's tables before they were drawn in linear time). */
function cliTable3(colWidths: number[], head: string[], style: {border: string[]; head: string[]}, rows: string[][]) {
  const table = new Table({colWidths, head, style, wordWrap: false})
  table.push(...rows)
  return table.toString()
}

const rows = [
  [
    'ERP (Business\nCentral)',
    chalk.green('✔ present'),
    `Business Central has the customer.\n${chalk.gray('ERP id: 7cb8')}`,
  ],
  [
    'CMS',
    chalk.yellow('⚠ stale'),
    `${chalk.gray('a line far too long for its column, which the table cuts with an ellipsis')}`,
  ],
  ['App', '', `${chalk.red('✘')} Erik Lund (u-17)\n${chalk.gray('   iPad d-3:\nrefreshed never')}`],
  ['Webshop', 'ok', '\u001b[33mopened on one line\nclosed on the next\u001b[39m and plain'],
  ['東京 Ünïcödé', '🙂 wide', 'Zürich, Malmö, 北京市 — wide and accented letters that also overflow the cell'],
  ['', '', ''],
]

describe('the trace view tables (renderGrid)', () => {
  afterEach(() => colors.disable())

  it('draw exactly what cli-table3 draws with fixed widths and no word wrap, without colour', () => {
    for (const widths of [
      [16, 15, 40],
      [16, 15, 84],
      [10, 6, 12],
    ])
      expect(
        renderGrid({colWidths: widths, head: ['Hop', 'Status', 'Details'], style: {border: [], head: []}}, rows),
      ).toBe(cliTable3(widths, ['Hop', 'Status', 'Details'], {border: [], head: []}, rows))
  })

  it('colour the borders and the head row as cli-table3 does', () => {
    colors.enable()
    const style = {border: ['gray'], head: ['bold']}
    const drawn = renderGrid({colWidths: [16, 15, 50], head: ['Field', 'CMS', 'App'], style}, rows)
    expect(drawn).toBe(cliTable3([16, 15, 50], ['Field', 'CMS', 'App'], style, rows))
    expect(drawn).toContain('\u001b[90m')
  })

  it('draw a table of the head row alone', () => {
    expect(renderGrid({colWidths: [8, 8], head: ['a', 'b'], style: {border: [], head: []}}, [])).toBe(
      cliTable3([8, 8], ['a', 'b'], {border: [], head: []}, []),
    )
  })
})
