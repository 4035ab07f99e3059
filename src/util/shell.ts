/** Quotes a value for a POSIX shell when it needs it, so a suggested command can be pasted as it is. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value
  return `'${value.replace(/'/g, `'\\''`)}'`
}
