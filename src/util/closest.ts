/**
 * Closest-match suggestions ("did you mean"): the optimal-string-alignment distance (Levenshtein with a swap
 * of two neighbours counting as one edit, as `--sanbdox` for `--sandbox`). A small function rather than a
 * dependency: the names compared are a few dozen short words.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({length: a.length + 1}, (_, i) =>
    Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  const at = (i: number, j: number): number => (rows[i] as number[])[j] as number
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + substitution)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1)
      ;(rows[i] as number[])[j] = best
    }
  return at(a.length, b.length)
}

/**
 * The candidates close enough to what was typed to be what was meant, closest first (ties in the given
 * order): within a third of the candidate's length (at least 2 edits), or starting with what was typed.
 */
export function closestMatches(typed: string, candidates: readonly string[], max = 3): string[] {
  const wanted = typed.toLowerCase()
  if (wanted === '') return []
  const sameLetters = candidates.filter((candidate) => candidate !== typed && candidate.toLowerCase() === wanted)
  if (sameLetters.length > 0) return sameLetters.slice(0, max)
  return candidates
    .map((candidate, index) => {
      const name = candidate.toLowerCase()
      const distance = name.startsWith(wanted) && wanted.length >= 2 ? 1 : editDistance(wanted, name)
      return {candidate, distance, index}
    })
    .filter(({candidate, distance}) => candidate !== typed && distance <= Math.max(2, Math.floor(candidate.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .slice(0, max)
    .map(({candidate}) => candidate)
}

/** "a", "a or b", "a, b or c" (or "and"). */
export function orList(items: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`
}

/**
 * What to do about a name that is not one of `names` (a profile, a sandbox installation): the closest
 * ones, else all of them when they are few, else where to see them all.
 */
export function suggestName(
  typed: string,
  names: readonly string[],
  options: {what: string; listCommand?: string},
): string {
  const close = closestMatches(typed, names)
  const all = options.listCommand && names.length > 6 ? ` (${options.listCommand} lists all ${names.length})` : ''
  if (close.length > 0) return `Did you mean ${orList(close.map((name) => `"${name}"`))}?${all}`
  if (names.length === 0) return `There is no ${options.what} yet.`
  if (names.length <= 6 || !options.listCommand) return `Use one of: ${names.join(', ')}.`
  return `Run ${options.listCommand} to see all ${names.length}.`
}
