import {describe, expect, it} from 'vitest'

import {argumentNoun} from '../../src/cli/command-line-errors.js'
import {closestMatches, editDistance, suggestName} from '../../src/util/closest.js'

describe('closest match: what a mistyped name meant', () => {
  it('counts a swap of two neighbouring letters as one edit', () => {
    expect(editDistance('--sanbdox', '--sandbox')).toBe(1)
    expect(editDistance('acme', 'acme')).toBe(0)
    expect(editDistance('', 'abc')).toBe(3)
  })

  it('offers the closest names first, ignoring case, and nothing for a name far from all', () => {
    expect(closestMatches('vikng', ['acme', 'viking', 'vnet'])).toEqual(['viking'])
    expect(closestMatches('ACME', ['acme', 'acme-plain'])).toEqual(['acme'])
    expect(closestMatches('zzzzzz', ['acme', 'viking'])).toEqual([])
  })

  it('says the closest profile, else all of a few names, else where to list many', () => {
    const many = Array.from({length: 28}, (_, index) => `p${index}`)
    expect(suggestName('acm', ['acme', 'nordic'], {what: 'profile'})).toBe('Did you mean "acme"?')
    expect(suggestName('zzzzzz', ['acme', 'nordic'], {what: 'profile'})).toBe('Use one of: acme, nordic.')
    expect(suggestName('zzzzzz', many, {listCommand: 'synctrace profile list', what: 'profile'})).toBe(
      'Run synctrace profile list to see all 28.',
    )
  })

  it("names an argument by its description's head", () => {
    expect(argumentNoun('code', 'The customer code as the ERP shows it (quote it if it holds spaces or quotes).')).toBe(
      'the customer code',
    )
    expect(argumentNoun('name', 'Profile name.')).toBe('the profile name')
    expect(argumentNoun('x', undefined)).toBe('the <x> argument')
  })
})
