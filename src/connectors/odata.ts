/** OData v4 literals and queries, as Business Central and Visma eAccounting read them. */

/** A string literal: single quotes, with a quote inside doubled (`O'Brien` → `'O''Brien'`). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/** `field eq 'value'`; the field name is ours, never the user's. */
export function odataEquals(field: string, value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(field)) throw new Error(`not an OData property name: ${field}`)
  return `${field} eq ${odataString(value)}`
}

/** A query string with `$filter` (and other system options, `$page` say) percent-encoded as a URL needs. */
export function odataQuery(options: Record<string, string | number>): string {
  return Object.entries(options)
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&')
}
