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
    expect(result.stderr).toMatch(/Nonexistent flag: --frobnicate/)
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

describe('errors like gh: one line, the usage line, where to read more; JSON under --json', () => {
  it.each([
    [
      ['trace', 'customer', '10042', '--frobnicate'],
      'Nonexistent flag: --frobnicate.',
      'synctrace trace customer <code> [flags]',
      'trace customer',
    ],
    [
      ['trace', 'customer'],
      'Missing the argument <code>.',
      'synctrace trace customer <code> [flags]',
      'trace customer',
    ],
    [
      ['trace', 'customer', '1', '2'],
      'Unexpected argument: 2.',
      'synctrace trace customer <code> [flags]',
      'trace customer',
    ],
    [
      ['refresh', 'app', '--sandbox'],
      'Missing required flag --user.',
      'synctrace refresh app --user <value> [flags]',
      'refresh app',
    ],
  ])('%j: one line of cause, the usage line, no help dump', async (args, line, usage, command) => {
    const result = await runCommand(args)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toBe(`${line}\n\nUsage: ${usage}\n\nSee synctrace ${command} --help\n`)
    const json = await runCommand([...args, '--json'])
    expect(json.exitCode).toBe(2)
    expect(JSON.parse(json.stdout)).toEqual({
      error: {exitCode: 2, message: line, suggestions: [`See synctrace ${command} --help`]},
    })
  })
})
