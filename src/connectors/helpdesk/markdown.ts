import MarkdownIt from 'markdown-it'
import {markdownToAdf} from 'marklassian'

import {type AdfDocument, type AdfNode, checkAdf} from './adf.js'
import {markerPattern} from './types.js'

/**
 * What a note may hold of the text it was given: newline and tab stay; every other control character (C0, DEL,
 * C1) and the invisible direction marks become U+FFFD, so no raw control byte reaches a helpdesk.
 */
export function noteText(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g, '\uFFFD') // eslint-disable-line no-control-regex
}

/**
 * HTML is never passed through (`html: false`): a `<script>` in the Markdown is text. Links only from explicit
 * Markdown links, of safe schemes (markdown-it's validateLink): no linkify, so a URL a quoted value holds stays text.
 */
const renderer = new MarkdownIt({html: false, linkify: false})

/** Markdown as the HTML of a Zendesk `html_body` or a Freshdesk note `body`. */
export function markdownToHtml(markdown: string): string {
  return renderer.render(noteText(markdown))
}

/**
 * Markdown whose raw HTML blocks are text: a line (or a quote's or list item's) that starts with `<` outside a
 * fenced code block gets it escaped as `\<`. marklassian passes an `<adf>{…}</adf>` block through as ADF nodes; as markdown-it's
 * `html: false`, no HTML, and so no ADF of anyone's making, goes through.
 */
export function withoutHtmlBlocks(markdown: string): string {
  let fence: string | null = null
  return markdown
    .split('\n')
    .map((line) => {
      const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1]
      if (fence === null && opening) fence = opening
      else if (fence !== null && opening?.startsWith(fence[0] as string) && opening.length >= fence.length) fence = null
      else if (fence === null) return line.replace(/^([\s>]*(?:(?:[-*+]|\d{1,9}[.)])\s+)?[\s>]*)</, '$1\\<')
      return line
    })
    .join('\n')
}

/** A link mark whose text is its own URL: marked's GFM autolink of a bare URL (which cannot be turned off there). */
function isAutolink(text: string | undefined, mark: {type: string; attrs?: Record<string, unknown>}): boolean {
  const href = mark.attrs?.href
  if (mark.type !== 'link' || typeof href !== 'string' || !text) return false
  return href === text || href === `http://${text}` || href === `mailto:${text}`
}

/** The document without autolinks, as markdown-it without linkify: links only from explicit Markdown links. */
function withoutAutolinks<T extends AdfNode | AdfDocument>(node: T): T {
  const marks = (node as AdfNode).marks?.filter((mark) => !isAutolink((node as AdfNode).text, mark))
  const content = node.content?.map((child) => withoutAutolinks(child))
  const result = {...node, ...(content ? {content} : {})} as T & {marks?: unknown}
  if (marks) {
    if (marks.length > 0) result.marks = marks
    else delete result.marks
  }
  return result
}

/** Markdown as a Jira Cloud v3 comment body (ADF), checked against the ADF rules before it is sent. */
export function markdownToJiraAdf(markdown: string): AdfDocument {
  const document = withoutAutolinks(markdownToAdf(withoutHtmlBlocks(noteText(markdown))) as AdfDocument)
  const problems = checkAdf(document)
  if (problems.length > 0) throw new Error(`the note is not valid ADF: ${problems.slice(0, 3).join('; ')}`)
  return document
}

/** A note's Markdown with its marker as the last paragraph, as inline code (the marker has no Markdown meaning). */
export function withMarker(markdown: string, marker: string): string {
  if (!markerPattern.test(marker)) throw new Error(`not a synctrace marker: ${JSON.stringify(marker.slice(0, 40))}`)
  return `${markdown.replace(/\s+$/, '')}\n\n\`${marker}\`\n`
}
