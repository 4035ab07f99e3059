import {describe, expect, it} from 'vitest'

import {odataEquals, odataQuery, odataString} from '../../src/connectors/odata.js'
import {pathSegment} from '../../src/connectors/platform/service.js'
import {ODataSyntaxError, parseFilter} from '../../src/emulation/odata-filter.js'
import {escapeMarkdownCell, sanitizeForTerminal} from '../../src/util/sanitize.js'
import {markdownCode} from '../../src/render/markdown.js'
import {shellQuote} from '../../src/util/shell.js'

describe('OData literals for Business Central', () => {
  it("doubles a quote inside a string literal (O'Brien)", () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'")
    expect(odataEquals('number', "x' or number eq '1")).toBe("number eq 'x'' or number eq ''1'")
  })

  it('round-trips through a filter parser: the escaped literal matches exactly one record', () => {
    const records = [{number: "O'Brien"}, {number: 'O'}, {number: '10001'}]
    const predicate = parseFilter(odataEquals('number', "O'Brien"))
    expect(records.filter(predicate)).toEqual([{number: "O'Brien"}])
    const injected = parseFilter(odataEquals('number', "x' or number eq '10001"))
    expect(records.filter(injected)).toEqual([])
  })

  it('rejects a filter built by pasting an unescaped quote, as a real server would', () => {
    expect(() => parseFilter("number eq 'O'Brien'")).toThrow(ODataSyntaxError)
  })

  it('refuses a property name that is not an identifier', () => {
    expect(() => odataEquals("number eq '1' or x", 'a')).toThrow()
  })

  it('percent-encodes $filter values without losing the quote', () => {
    expect(odataQuery({$filter: "number eq 'A B'"})).toBe("$filter=number%20eq%20'A%20B'")
  })
})

describe('keys in URL paths and suggested commands', () => {
  it('keeps slashes, percent signs, quotes and unicode inside one path segment', () => {
    expect(pathSegment("A/B%20Ö'")).toBe('A%2FB%2520%C3%96%27')
  })

  it('quotes a key for the shell only when needed', () => {
    expect(shellQuote('10042')).toBe('10042')
    expect(shellQuote("O'Brien")).toBe(`'O'\\''Brien'`)
    expect(shellQuote('a b; rm -rf /')).toBe("'a b; rm -rf /'")
  })
})

describe('data from a hop is made safe before it reaches a terminal or a ticket', () => {
  it('neutralises CSI, OSC 8 hyperlinks, OSC 52 clipboard writes, CR, BS and C1 controls', () => {
    const hostile =
      'Acme\u001B[2J\u001B]8;;http://evil.example\u0007click\u001B]8;;\u0007\u001B]52;c;ZXZpbA==\u0007\rX\bY\u009B31m'
    const clean = sanitizeForTerminal(hostile)
    expect(clean).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/)
    expect(clean).toContain('Acme')
    expect(clean).toContain('click')
    expect(clean).not.toContain('evil.example\u0007')
  })

  it('keeps a value on its line', () => {
    expect(sanitizeForTerminal('line1\nline2\tx')).toBe('line1 line2 x')
  })

  it('escapes pipes and backticks in Markdown table cells', () => {
    expect(escapeMarkdownCell('a|b`c')).toBe('a\\|b\\`c')
    expect(markdownCode('a`b')).toBe('``a`b``')
  })
})
