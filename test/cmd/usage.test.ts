import {describe, expect, it} from 'vitest'

import {runCommand} from '../helpers/run-command.js'

describe('usage errors: one line of cause, one of what to do, exit 2, no stack trace', () => {
  const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)

  it('refuses an empty customer code', async () => {
    const result = await runCommand(['trace', 'customer', '   ', '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('The customer code is empty.')
    noStack(result.stderr)
  })

  it('refuses a 10,000-character key with its length', async () => {
    const result = await runCommand(['trace', 'customer', 'x'.repeat(10_000), '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('10000 characters long')
    noStack(result.stderr)
  })

  it('refuses a key with a control character', async () => {
    const result = await runCommand(['trace', 'customer', '100\u001B[2J42', '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('control character')
    expect(result.stderr).not.toContain('\u001B[2J')
  })

  it('names the missing config file and how to fix it', async () => {
    const result = await runCommand(['trace', 'customer', '10042', '--config', '/nonexistent/synctrace.json'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('No config file at /nonexistent/synctrace.json')
    expect(result.stderr).toContain('--sandbox')
    noStack(result.stderr)
  })

  it('rejects an unknown flag with exit 2', async () => {
    const result = await runCommand(['trace', 'customer', '10042', '--frobnicate'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('Unknown flag --frobnicate.')
  })

  it('rejects --installation without --sandbox', async () => {
    const result = await runCommand(['trace', 'customer', '10042', '--installation', 'acme'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('needs --sandbox')
  })

  it('rejects an unknown sandbox installation', async () => {
    const result = await runCommand(['trace', 'customer', '10042', '--sandbox', '--installation', 'nowhere'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('The sandbox has no installation "nowhere"')
  })
})

describe('errors like gh: one line of cause, one of what to do, in the style of every error; JSON under --json', () => {
  it.each([
    [
      ['trace', 'customer', '10042', '--frobnicate'],
      'Unknown flag --frobnicate.',
      'Usage: synctrace trace customer <code> [flags] (see synctrace trace customer --help for its flags)',
    ],
    [
      ['trace', 'customer'],
      'Missing the customer code: synctrace trace customer <code>',
      'Give it after the command (see synctrace trace customer --help).',
    ],
    [
      ['trace', 'customer', '1', '2'],
      'Unexpected argument: 2.',
      'Usage: synctrace trace customer <code> [flags] (quote a value that holds spaces); see synctrace trace customer --help.',
    ],
    [
      ['refresh', 'app', '--sandbox'],
      'Missing the flag --user.',
      'Usage: synctrace refresh app --user <value> [flags]',
    ],
  ])('%j: " ›   Error:" and " ›   Try this:", no usage dump', async (args, line, whatToDo) => {
    const result = await runCommand(args)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toBe(` ›   Error: ${line}\n ›   Try this: ${whatToDo}\n`)
    const json = await runCommand([...args, '--json'])
    expect(json.exitCode).toBe(2)
    expect(JSON.parse(json.stdout)).toEqual({error: {exitCode: 2, message: line, suggestions: [whatToDo]}})
  })
})
