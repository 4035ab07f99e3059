import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {seededInstallations} from '../../dist/sandbox/seed.js'
import {runCommand} from '../helpers/run-command.js'

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)

/** The run's stderr as the two lines of every error: the cause and what to do. */
function errorLines(stderr: string): {cause: string; whatToDo: string} {
  const [cause, whatToDo, ...rest] = stderr.trimEnd().split('\n')
  expect(rest).toEqual([])
  expect(cause).toMatch(/^ › {3}Error: /)
  expect(whatToDo).toMatch(/^ › {3}Try this: /)
  return {
    cause: (cause as string).replace(/^ › {3}Error: /, ''),
    whatToDo: (whatToDo as string).replace(/^ › {3}Try this: /, ''),
  }
}

describe('a bad value on the command line is worded as every error, never oclif\'s "Parsing --timeout"', () => {
  it('refuses --timeout abc: a whole number of seconds, and what to give', async () => {
    const result = await runCommand(['trace', 'customer', '10042', '--sandbox', '--timeout', 'abc'])
    expect(result.exitCode).toBe(2)
    const {cause, whatToDo} = errorLines(result.stderr)
    expect(cause).toBe("--timeout must be a whole number of seconds, got 'abc'.")
    expect(whatToDo).toBe('Give it in digits, e.g. --timeout 30.')
    expect(result.stderr).not.toContain('Parsing')
    expect(result.stderr).not.toContain('See more help')
  })

  it('refuses --wait 0 with its lower bound', async () => {
    const result = await runCommand(['sync', 'customer', '10042', '--sandbox', '--wait', '0'])
    expect(result.exitCode).toBe(2)
    expect(errorLines(result.stderr)).toEqual({
      cause: "--wait must be a whole number of seconds, at least 1, got '0'.",
      whatToDo: 'Give --wait 1 or more.',
    })
  })

  it('refuses a --format that is not one of its values with the closest one', async () => {
    const result = await runCommand(['doctor', '--sandbox', '--format', 'mardown'])
    expect(result.exitCode).toBe(2)
    expect(errorLines(result.stderr)).toEqual({
      cause: "--format must be one of terminal, markdown, json or csv, got 'mardown'.",
      whatToDo: 'Did you mean --format markdown?',
    })
  })

  it('names a missing argument by what it is, with the usage, for every command that takes one', async () => {
    const cases: Array<[string[], string]> = [
      [['trace', 'customer'], 'Missing the customer code: synctrace trace customer <code>'],
      [['trace', 'item'], 'Missing the item code: synctrace trace item <code>'],
      [['trace', 'order'], 'Missing the order number: synctrace trace order <orderNr>'],
      [['status'], 'Missing the job id: synctrace status <jobId>'],
      [['sync', 'customer'], 'Missing the customer codes: synctrace sync customer <code>...'],
      [['profile', 'use'], 'Missing the profile name: synctrace profile use <name>'],
    ]
    for (const [argv, cause] of cases) {
      const result = await runCommand(argv, {env: {OCLIF_COLUMNS: '40'}})
      expect(result.exitCode).toBe(2)
      expect(result.stderr.replace(/\n › {3}/g, ' ')).toContain(cause)
      expect(result.stderr).not.toMatch(/<quotes|\)\.>/)
    }
  })
})

describe('did you mean: the closest flag, command, profile and sandbox installation', () => {
  let home: string
  let configPath: string
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'synctrace-errors-'))
    configPath = join(home, 'config.json')
    const names = Array.from({length: 27}, (_, index) => `customer-${String(index + 1).padStart(2, '0')}`)
    const profile = {cms: {token: 'env:NONE', url: 'http://127.0.0.1:9'}, installation: 'x'}
    const profiles = Object.fromEntries([...names, 'acme'].map((name) => [name, profile]))
    await writeFile(configPath, JSON.stringify({defaultProfile: 'acme', profiles}), {mode: 0o600})
  })
  afterAll(() => rm(home, {force: true, recursive: true}))

  it('suggests --sandbox for --sandbx', async () => {
    const result = await runCommand(['trace', 'customer', '10042', '--sandbx'])
    expect(result.exitCode).toBe(2)
    expect(errorLines(result.stderr)).toEqual({
      cause: 'Unknown flag --sandbx.',
      whatToDo: 'Did you mean --sandbox? (see synctrace trace customer --help)',
    })
    const json = await runCommand(['trace', 'customer', '10042', '--sandbx', '--json'])
    expect(JSON.parse(json.stdout).error.suggestions).toEqual([
      'Did you mean --sandbox? (see synctrace trace customer --help)',
    ])
  })

  it('suggests the closest command, with the rest of the command line', async () => {
    const result = await runCommand(['trace', 'custmer', '10042', '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(errorLines(result.stderr)).toEqual({
      cause: 'Unknown command "trace custmer".',
      whatToDo: 'Did you mean synctrace trace customer 10042 --sandbox?',
    })
    const json = await runCommand(['recncile', 'items', '--json'])
    expect(json.exitCode).toBe(2)
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        exitCode: 2,
        message: 'Unknown command "recncile items".',
        suggestions: ['Did you mean synctrace reconcile items --json?'],
      },
    })
  })

  it('suggests the closest profile, not all 28 names', async () => {
    const result = await runCommand(['trace', 'customer', '10042', '--config', configPath, '--profile', 'acm'])
    expect(result.exitCode).toBe(2)
    const {cause, whatToDo} = errorLines(result.stderr)
    expect(cause).toBe(`No profile named "acm" in ${configPath}.`)
    expect(whatToDo).toBe('Did you mean "acme"? (synctrace profile list lists all 28)')
    const used = await runCommand(['profile', 'use', 'customer-1', '--config', configPath])
    expect(errorLines(used.stderr).whatToDo).toBe(
      'Did you mean "customer-01", "customer-10" or "customer-11"? (synctrace profile list lists all 28)',
    )
  })

  it('points at profile list when no profile is close', async () => {
    const result = await runCommand(['profile', 'show', 'zzzzzzzz', '--config', configPath])
    expect(result.exitCode).toBe(2)
    expect(errorLines(result.stderr).whatToDo).toBe('Run synctrace profile list to see all 28.')
  })

  it('suggests the closest sandbox installation', async () => {
    const result = await runCommand(['trace', 'customer', '10042', '--sandbox', '--installation', 'vikng'])
    expect(result.exitCode).toBe(2)
    expect(errorLines(result.stderr)).toEqual({
      cause: 'The sandbox has no installation "vikng".',
      whatToDo: 'Did you mean --installation viking?',
    })
  })

  it("lists every seeded sandbox installation in --installation's help", async () => {
    const {connectionFlags} = await import('../../dist/cli/base-command.js')
    const {sandboxInstallations, scaleInstallationNames} = await import('../../dist/cli/sandbox-installations.js')
    const {scaleInstallations} = await import('../../dist/sandbox/scale/installation.js')
    expect(sandboxInstallations).toEqual(seededInstallations())
    expect(scaleInstallationNames).toEqual(scaleInstallations)
    expect(connectionFlags.installation.description).toContain(seededInstallations().join(', '))
  })
})

describe('conflicting flags are refused, in every command family, exit 2', () => {
  it.each([
    [['trace', 'customer', '10042', '--sandbox', '-f', 'markdown', '--json'], '--format and --json'],
    [['trace', 'order', 'A-2001', '--sandbox', '--format', 'terminal', '--json'], '--format and --json'],
    [['doctor', '--sandbox', '-f', 'markdown', '--json'], '--format and --json'],
    [['reconcile', 'customers', '--sandbox', '-f', 'csv', '--json'], '--format and --json'],
    [['sync', 'customer', '10042', '--sandbox', '--profile', 'acme'], '--sandbox and --profile'],
    [['refresh', 'app', '--user', 'u1', '--sandbox', '--config', '/tmp/x.json'], '--sandbox and --config'],
    [['status', 'j-1', '--sandbox', '--profile', 'acme'], '--sandbox and --profile'],
    [['sandbox', '--scale', '10', '--fault', 'erp=down'], '--scale and --fault'],
    [['profile', 'add', '--from-sandbox', 'acme', '--cms-url', 'https://cms.example'], '--from-sandbox and --cms-url'],
  ])('%j: "%s cannot be used together"', async (argv, pair) => {
    const result = await runCommand(argv)
    expect(result.exitCode).toBe(2)
    const message = `${pair} cannot be used together.`
    if (argv.includes('--json')) {
      const {error} = JSON.parse(result.stdout)
      expect(error.message).toBe(message)
      expect(error.suggestions).toHaveLength(1)
      expect(result.stdout).not.toContain('"hops"')
    } else expect(errorLines(result.stderr).cause).toBe(message)
    noStack(result.stderr)
  })

  it('still takes --format json with --json: they ask for the same', async () => {
    const result = await runCommand(['trace', 'customer', '10042', '--sandbox', '-f', 'json', '--json'])
    expect(result.exitCode).not.toBe(2)
    expect(JSON.parse(result.stdout).entity).toBe('customer')
  })
})

describe('no stack trace without --debug', () => {
  it.each([
    [['trace', 'customer', '10042', '--timeout', 'x']],
    [['trace', 'custmer']],
    [['reconcile', 'customers', '--between', 'erp,app']],
    [['refresh', 'webshop', 'custmer']],
  ])('%j', async (argv) => {
    const result = await runCommand(argv)
    expect(result.exitCode).toBe(2)
    errorLines(result.stderr)
    noStack(result.stderr)
  })
})
