import {describe, expect, it} from 'vitest'

import {checkAdf} from '../../dist/connectors/helpdesk/adf.js'
import {markdownToJiraAdf} from '../../dist/connectors/helpdesk/markdown.js'

const paragraph = (...content: unknown[]) => ({content, type: 'paragraph'})
const doc = (...content: unknown[]) => ({content, type: 'doc', version: 1})

describe('the ADF a Jira note is made of', () => {
  it('a report in Markdown (headings, table, lists, code, links, quote, rule) becomes valid ADF', () => {
    const markdown = [
      '## Customer `10042`: **stale** in the CMS',
      '',
      '| Hop | Status | Since |',
      '|---|---|---|',
      '| ERP | changed | 2026-12-06 09:12 |',
      '| CMS | stale | `sync-1d` |',
      '',
      '1. Run the customer sync',
      '2. Refresh the device',
      '   - nested *detail*',
      '',
      '> The ERP changed after the last sync.',
      '',
      '```',
      'synctrace sync customers --wait 300',
      '```',
      '',
      '---',
      '',
      'See [the docs](https://example.com/docs).',
    ].join('\n')
    const document = markdownToJiraAdf(markdown)
    expect(checkAdf(document)).toEqual([])
    // An explicit Markdown link stays a link; a bare URL (a quoted value's) would not.
    expect(JSON.stringify(document)).toContain('{"type":"link","attrs":{"href":"https://example.com/docs"}}')
    expect(JSON.stringify(markdownToJiraAdf('see https://evil.example now'))).not.toContain('"type":"link"')
  })

  it('refuses what the ADF schema refuses: empty text, an unknown mark, text under doc, code with another mark, a heading without level, a list item starting with a list', () => {
    expect(checkAdf(doc(paragraph({text: '', type: 'text'})))).toEqual([
      'doc.content[0].content[0]: a text node without text',
    ])
    expect(checkAdf(doc(paragraph({marks: [{type: 'blink'}], text: 'x', type: 'text'})))[0]).toMatch(
      /unknown mark blink/,
    )
    expect(checkAdf(doc({text: 'x', type: 'text'}))[0]).toMatch(/a text directly under doc/)
    expect(checkAdf(doc(paragraph({marks: [{type: 'code'}, {type: 'strong'}], text: 'x', type: 'text'})))[0]).toMatch(
      /code mark is combined/,
    )
    expect(checkAdf(doc({content: [], type: 'heading'}))[0]).toMatch(/heading without a level/)
    const nested = {
      content: [{content: [{content: [paragraph({text: 'x', type: 'text'})], type: 'listItem'}], type: 'bulletList'}],
      type: 'listItem',
    }
    expect(checkAdf(doc({content: [nested], type: 'bulletList'}))[0]).toMatch(/starts with a list/)
    expect(checkAdf({content: [], type: 'doc', version: 2})).toEqual(['doc: version is not 1'])
    expect(
      checkAdf(doc(paragraph({attrs: {href: 'https://x'}, marks: [{type: 'link'}], text: 'x', type: 'text'})))[0],
    ).toMatch(/link mark without href/)
  })

  it("passes no ADF of anyone's making: an <adf> block (marklassian's raw ADF) at a line start, in a quote or a list, stays text", () => {
    const injected =
      '<adf>{"type":"paragraph","content":[{"type":"text","text":"owned","marks":[{"type":"link","attrs":{"href":"https://evil.example"}}]}]}</adf>'
    for (const markdown of [injected, `> ${injected}`, `- ${injected}`, `1. ${injected}`]) {
      const document = markdownToJiraAdf(markdown)
      const json = JSON.stringify(document)
      expect(json, markdown).not.toContain('"type":"link"')
      expect(json, markdown).toContain('evil.example')
      expect(checkAdf(document)).toEqual([])
    }
    const fenced = markdownToJiraAdf('```\n<adf>{}</adf>\n```')
    expect(JSON.stringify(fenced)).toContain('"text":"<adf>{}</adf>"')
  })
})
