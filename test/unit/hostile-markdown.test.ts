import {describe, expect, it} from 'vitest'

import {markdownRecordLine} from '../../src/reconcile/render.js'

/** The cells of a Markdown table row as GFM splits them: at every `|` that a backslash does not escape (`\\` escapes itself). */
function cellsOf(row: string): string[] {
  const cells = ['']
  const inner = row.trim().slice(1, -1)
  for (let index = 0; index < inner.length; index++) {
    const char = inner[index] as string
    if (char === '\\') cells[cells.length - 1] += char + (inner[++index] ?? '')
    else if (char === '|') cells.push('')
    else cells[cells.length - 1] += char
  }
  return cells
}

describe('Markdown tables keep their columns whatever a key holds', () => {
  it.each(['|pipe|', 'a|b', '`|`', 'x\\|y'])('a record whose key is %j stays three cells', (key) => {
    const row = markdownRecordLine({class: 'missing-downstream', key, summary: 'in the ERP | not in the CMS'} as never)
    expect(cellsOf(row)).toHaveLength(3)
  })
})
