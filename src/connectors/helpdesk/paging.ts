/** Pages a listing of notes reads at most: 60 pages of 100 hold more than Zendesk's 5000 comments per ticket. */
export const maxNotePages = 60

/** The newest `count` comments read by default. */
export const defaultCommentCount = 10

/** The `rel="next"` target of an RFC 8288 `Link` header (Freshdesk's paging), or null. */
export function nextLink(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header.join(', ') : (header ?? '')
  for (const part of value.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part)
    if (match && /(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2] as string))
      return match[1] as string
  }
  return null
}
