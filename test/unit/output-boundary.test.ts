import {describe, expect, it} from 'vitest'

import {pathSegment} from '../../src/connectors/platform/service.js'
import {requestTarget} from '../../src/http/client.js'
import {displayUrl, redactSecrets, registerSecret, registerUrlSecrets} from '../../src/http/redact.js'
import {cleanMessage, cleanOutput} from '../../src/util/output.js'
import {neutralizeText, sanitizeForTerminal, unsafeCharacter} from '../../src/util/sanitize.js'

const hostile = [
  '\u001B[2J',
  '\u001B]8;;http://evil.example\u0007x\u001B]8;;\u0007',
  '\u001B]52;c;ZXZpbA==\u0007',
  '\r',
  '\b',
  '\u0000',
  '\u007F',
  '\u009B31m',
  '\u0085',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u2028',
  '\u2029',
  '\u200B',
  '\u200C',
  '\u200D',
  '\uFEFF',
  '\u2060',
]

describe('the output boundary', () => {
  it('neutralises every control, escape, bidi and zero-width character in terminal and Markdown text, keeping lines', () => {
    for (const bad of hostile) {
      for (const format of ['terminal', 'markdown'] as const) {
        const out = cleanOutput(`a${bad}b\nc\td`, {format})
        expect(out, JSON.stringify(bad)).not.toMatch(unsafeCharacter)
        expect(out).not.toContain('\u001B')
        expect(out).toContain('\nc\td')
      }
      expect(sanitizeForTerminal(`a${bad}b`)).not.toMatch(unsafeCharacter)
    }
  })

  it("keeps synctrace's own colours only when colour is on, and never a cursor movement", () => {
    expect(cleanOutput('\u001B[31mred\u001B[39m', {color: true, format: 'terminal'})).toBe('\u001B[31mred\u001B[39m')
    expect(cleanOutput('\u001B[31mred\u001B[39m', {format: 'terminal'})).not.toContain('\u001B')
    expect(cleanOutput('\u001B[2J\u001B[H', {color: true, format: 'terminal'})).not.toContain('\u001B')
    expect(neutralizeText('\uE0000\uE001x', {keepStyle: true})).not.toContain('\uE000')
  })

  it('keeps JSON valid and equal, with no raw unsafe character', () => {
    const value = {name: `x${hostile.join('')}y`}
    const out = cleanOutput(JSON.stringify(value), {format: 'json'})
    expect(out).not.toMatch(unsafeCharacter)
    expect(JSON.parse(out)).toEqual(value)
  })

  it('replaces registered secrets in every format, also as JSON and URL escapes', () => {
    registerSecret('s3cr"et\\token')
    for (const format of ['terminal', 'markdown', 'json'] as const) {
      expect(cleanOutput('x s3cr"et\\token y', {format})).not.toContain('s3cr"et\\token')
      expect(cleanOutput(JSON.stringify({a: 'x s3cr"et\\token y'}), {format})).not.toContain('s3cr')
      expect(cleanOutput(`https://h/?q=${encodeURIComponent('s3cr"et\\token')}`, {format})).not.toContain('s3cr')
    }
    expect(cleanMessage('line one\nline two s3cr"et\\token\u001B[2J')).toBe('line one line two ***\uFFFD')
  })

  it('registers URL user info and strips it from printed URLs', () => {
    registerUrlSecrets('https://agent:pa%24%24word-99@cms.example/acme')
    expect(redactSecrets('pa$$word-99 and pa%24%24word-99')).toBe('*** and ***')
    expect(displayUrl('https://agent:pa%24%24word-99@cms.example/acme/api/v1/sync/jobs')).toBe(
      'https://cms.example/acme/api/v1/sync/jobs',
    )
  })
})

describe('paths from encoded segments', () => {
  it('encodes . and .. so that they never change a path, and the client sends them unresolved', () => {
    expect(pathSegment('.')).toBe('%2E')
    expect(pathSegment('..')).toBe('%2E%2E')
    expect(pathSegment('...')).toBe('...')
    expect(pathSegment('a/../b')).toBe('a%2F..%2Fb')
    for (const key of ['.', '..', '%2E%2E', '.%2E', 'a/..']) {
      const {origin, path} = requestTarget(`http://127.0.0.1:9/acme/api/v1/customers/${pathSegment(key)}`)
      expect(origin).toBe('http://127.0.0.1:9')
      expect(path).toMatch(/^\/acme\/api\/v1\/customers\/[^/]+$/)
      expect(decodeURIComponent(path.split('/').pop() as string)).toBe(key)
    }
    expect(requestTarget('http://h/app/v1/users/%2E%2E/full-refresh').path).toBe('/app/v1/users/%2E%2E/full-refresh')
    expect(requestTarget("http://h/x?$filter=number eq 'a'").path).toBe('/x?$filter=number%20eq%20%27a%27')
  })
})
