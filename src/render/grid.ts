import {createRequire} from 'node:module'

/*
 * The trace view's tables, drawn as cli-table3 draws a table of fixed column widths without word wrap (its
 * characters, padding, ANSI handling, truncation and colours, through its own helpers), in linear time: for every
 * line it draws, cli-table3 also truncates the whole cell to ten characters for a debug message nobody reads, one
 * character at a time, re-measuring the cell each time. On a hop table that was most of a trace's CPU.
 * test/unit/grid.test.ts holds the two to the same output.
 */
const require = createRequire(import.meta.url)

interface TableUtils {
  colorizeLines(lines: string[]): string[]
  pad(text: string, length: number, padding: string, direction?: string): string
  repeat(text: string, times: number): string
  truncate(text: string, length: number, truncateChar?: string): string
}

type Paint = (text: string) => string

export interface GridOptions {
  /** Each column's width, borders' share included as cli-table3 counts it (padding inside). */
  colWidths: readonly number[]
  head: readonly string[]
  /** Colour names (cli-table3's, through @colors/colors) for the borders and the head row; empty for none. */
  style: {border: readonly string[]; head: readonly string[]}
}

/** cli-table3's `wrapWithStyleColors`: the colours applied last to first, none when @colors/colors is missing. */
function painter(names: readonly string[]): Paint {
  if (names.length === 0) return (text) => text
  try {
    // Resolved from cli-table3's own folder, as cli-table3 resolves it (an optional dependency of it).
    let colors = createRequire(require.resolve('cli-table3'))('@colors/colors/safe') as Record<string, unknown>
    for (let index = names.length - 1; index >= 0; index--)
      colors = colors[names[index] as string] as Record<string, unknown>
    return colors as unknown as Paint
  } catch {
    return (text) => text
  }
}

function borderLine(widths: readonly number[], [left, middle, right]: string, fill: string, border: Paint): string {
  return widths
    .map((width, x) => border(`${x === 0 ? left : middle}${fill.repeat(width)}${x === widths.length - 1 ? right : ''}`))
    .join('')
}

function rowLines(cells: readonly string[], widths: readonly number[], head: Paint, border: Paint, utils: TableUtils) {
  const lines = cells.map((cell) => utils.colorizeLines(cell.split('\n')))
  const height = Math.max(1, ...lines.map((cellLines) => cellLines.length))
  const drawn: string[] = []
  for (let lineNum = 0; lineNum < height; lineNum++)
    drawn.push(
      widths
        .map((width, x) => {
          const line = lines[x]?.[lineNum]
          const content =
            line === undefined
              ? utils.repeat(' ', width)
              : ` ${utils.pad(utils.truncate(line, width - 2, '…'), width - 2, ' ')} `
          return `${border('│')}${head(content)}${x === widths.length - 1 ? border('│') : ''}`
        })
        .join(''),
    )
  return drawn
}

/** The table: the head row, then each row, a rule between rows, as cli-table3 with `wordWrap: false`. */
export function renderGrid(options: GridOptions, rows: readonly (readonly string[])[]): string {
  const utils = require('cli-table3/src/utils.js') as TableUtils
  const border = painter(options.style.border)
  const head = painter(options.style.head)
  const plain: Paint = (text) => text
  const widths = options.colWidths
  const lines = [borderLine(widths, '┌┬┐', '─', border), ...rowLines(options.head, widths, head, border, utils)]
  for (const row of rows)
    lines.push(borderLine(widths, '├┼┤', '─', border), ...rowLines(row, widths, plain, border, utils))
  lines.push(borderLine(widths, '└┴┘', '─', border))
  return lines.join('\n')
}
