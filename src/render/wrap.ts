/** Wrapping for the terminal views: at word boundaries, never cutting a value. */

/** A time as the views print it, "2026-11-22 09:30 (+01:00)": kept on one line. */
const timePattern = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})? \([+-]\d{2}:\d{2}\)/g
const glue = '\u0000'

const visibleLength = (text: string) => Array.from(text).length

/** Columns of the terminal: the TTY's width, else COLUMNS; null when neither says (a pipe: lines are not wrapped). */
export function terminalWidth(stream: {columns?: number}, env: NodeJS.ProcessEnv): number | null {
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10)
  const width = stream.columns || (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : null)
  return width === null ? null : Math.max(40, width)
}

/**
 * Lines of at most `width` characters, broken at spaces; times stay whole; a word longer than a line
 * (a URL, an id) is split over lines, never cut. `indent` starts every line after the first.
 */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    // The paragraph's own leading spaces are its first line's indent.
    const lead = /^ */.exec(paragraph)?.[0] ?? ''
    const words = paragraph
      .slice(lead.length)
      .replace(timePattern, (time) => time.replaceAll(' ', glue))
      .split(' ')
      .filter((word) => word !== '')
    let start = lead
    let line = ''
    const flush = () => {
      lines.push(start + line)
      start = indent
      line = ''
    }
    for (const word of words) {
      const room = width - visibleLength(start)
      const candidate = line === '' ? word : `${line} ${word}`
      if (visibleLength(candidate) <= room) {
        line = candidate
        continue
      }
      if (line !== '') flush()
      let rest = word
      // Longer than a whole line: split over lines, every character kept.
      while (visibleLength(rest) > width - visibleLength(start)) {
        const chars = Array.from(rest)
        const fits = Math.max(1, width - visibleLength(start))
        line = chars.slice(0, fits).join('')
        rest = chars.slice(fits).join('')
        flush()
      }
      line = rest
    }
    lines.push(start + line)
  }
  return lines.map((line) => line.replaceAll(glue, ' ').trimEnd())
}

/** Parts, each with the separator before it, wrapped between parts (the chain line); `length` is without colour codes. */
export function wrapParts(
  parts: Array<{text: string; length: number; separator: string; separatorLength: number}>,
  width: number,
  indent: string,
): string[] {
  const lines: string[] = []
  let line = ''
  let length = 0
  for (const part of parts) {
    if (line === '') {
      line = indent + part.text
      length = indent.length + part.length
    } else if (length + part.separatorLength + part.length <= width) {
      line += part.separator + part.text
      length += part.separatorLength + part.length
    } else {
      lines.push(line + part.separator.trimEnd())
      line = `${indent}  ${part.text}`
      length = indent.length + 2 + part.length
    }
  }
  if (line !== '') lines.push(line)
  return lines
}

/**
 * Lines of a plain view (the fix loop's, doctor's problems) wrapped to `width`: each line goes on indented two
 * more than its own indent; a command line (`$ …`) goes on with the shell's continuation, so it pastes as one.
 * `width` null (a pipe): as they are.
 */
export function wrapLines(text: string, width: number | null): string {
  if (width === null) return text
  return text
    .split('\n')
    .flatMap((line) => {
      const lead = /^ */.exec(line)?.[0] ?? ''
      if (!line.startsWith(`${lead}$ `)) return wrapText(line, width, `${lead}  `)
      return wrapText(line, width - 2, `${lead}    `).map((part, index, all) =>
        index < all.length - 1 ? `${part} \\` : part,
      )
    })
    .join('\n')
}
