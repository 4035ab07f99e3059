import {describe, expect, it} from 'vitest'

import {redactSecrets, registerSecret} from '../../src/http/redact.js'

// The secrets registry is per process (vitest runs each file in its own): this file has it to itself.
describe('redacting among the thousands of secrets a fleet run registers', () => {
  it('hides every one of 5000 registered secrets, wherever it stands in the text', () => {
    const secrets = Array.from({length: 5000}, (_, index) => `tok-${index.toString(36).padStart(6, '0')}-fleet`)
    for (const secret of secrets) registerSecret(secret)
    const text = `first ${secrets[0]}, middle ${secrets[2500]}; last ${secrets[4999]}`
    expect(redactSecrets(text)).toBe('first ***, middle ***; last ***')
    expect(redactSecrets(secrets[17] as string)).toBe('***')
    expect(redactSecrets('nothing secret in this line')).toBe('nothing secret in this line')
  })

  it('two secrets that overlap in the text are one ***, leaving no part of either', () => {
    registerSecret('abcdefghij12')
    registerSecret('ghij12345678')
    expect(redactSecrets('<abcdefghij12345678>')).toBe('<***>')
    expect(redactSecrets('a longer one first: xxabcdefghij12yy')).toBe('a longer one first: xx***yy')
  })
})
