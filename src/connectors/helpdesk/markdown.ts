import MarkdownIt from 'markdown-it'
import {markdownToAdf} from 'marklassian'

import {type AdfDocument, checkAdf} from './adf.js'
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

/** HTML is never passed through (`html: false`): a `<script>` in the Markdown is text; links only of safe schemes (markdown-it's validateLink). */
const renderer = new MarkdownIt({html: false, linkify: true})

/** Markdown as the HTML of a Zendesk `html_body` or a Freshdesk note `body`. */
export function markdownToHtml(markdown: string): string {
  return renderer.render(noteText(markdown))
}

/** Markdown as a Jira Cloud v3 comment body (ADF), checked against the ADF rules before it is sent. */
export function markdownToJiraAdf(markdown: string): AdfDocument {
  const document = markdownToAdf(noteText(markdown)) as AdfDocument
  const problems = checkAdf(document)
  if (problems.length > 0) throw new Error(`the note is not valid ADF: ${problems.slice(0, 3).join('; ')}`)
  return document
}

/** A note's Markdown with its marker as the last paragraph, as inline code (the marker has no Markdown meaning). */
export function withMarker(markdown: string, marker: string): string {
  if (!markerPattern.test(marker)) throw new Error(`not a synctrace marker: ${JSON.stringify(marker.slice(0, 40))}`)
  return `${markdown.replace(/\s+$/, '')}\n\n\`${marker}\`\n`
}
