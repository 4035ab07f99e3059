import {describe, expect, it} from 'vitest'

import {runCommand} from '../helpers/run-command.js'

// `trace price <customer> <item> [--quantity N] [--date D]`: its arguments and flags, checked before any hop is asked.

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)

describe('trace price: usage errors, one line of cause and one of what to do, exit 2', () => {
  it('refuses --quantity 0: a quantity is a whole number of at least 1', async () => {
    const result = await runCommand(['trace', 'price', '10042', 'P-100', '--quantity', '0', '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--quantity must be a whole number of at least 1; "0" is not.')
    expect(result.stderr).toContain('Try this:')
    expect(result.stderr).toContain('--quantity 10')
    noStack(result.stderr)
  })

  it.each([['2.5'], ['-3'], ['ten']])('refuses --quantity %s', async (quantity) => {
    const result = await runCommand(['trace', 'price', '10042', 'P-100', '--quantity', quantity, '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(`--quantity must be a whole number of at least 1; "${quantity}" is not.`)
  })

  it.each([['2026-02-30'], ['20.11.2026'], ['2026-11-2']])(
    'refuses --date %s, which is no yyyy-MM-dd date',
    async (date) => {
      const result = await runCommand(['trace', 'price', '10042', 'P-100', '--date', date, '--sandbox'])
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain(`--date must be a date as yyyy-MM-dd; "${date}" is not one.`)
      expect(result.stderr).toContain("today in the installation's time zone")
      noStack(result.stderr)
    },
  )

  it('needs both the customer and the item', async () => {
    const result = await runCommand(['trace', 'price', '10042', '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/item/)
    noStack(result.stderr)
  })

  it('refuses an empty item code by its name', async () => {
    const result = await runCommand(['trace', 'price', '10042', '  ', '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('The item code is empty.')
  })
})
