import {readFileSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {projectRoot} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'

/** What the shell is offered for the last word of `words` (the words after `synctrace`), as `__complete` answers. */
async function offered(words: string[], env: NodeJS.ProcessEnv = {}): Promise<string[] | 'files'> {
  const {complete} = await import('../../dist/cli/completion.js')
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'oclif.manifest.json'), 'utf8'))
  const result = await complete(words, Object.values(manifest.commands), env)
  return 'files' in result ? 'files' : result.words
}

describe('shell completion: flags after arguments, flag values, profile and installation names', () => {
  let home: string
  let configPath: string
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'synctrace-completion-'))
    configPath = join(home, 'config.json')
    const profile = {cms: {token: 'env:NONE', url: 'http://127.0.0.1:9'}, installation: 'x'}
    const profiles = {acme: profile, 'acme.prod': profile, nordic: profile}
    await writeFile(configPath, JSON.stringify({profiles}), {mode: 0o600})
  })
  afterAll(() => rm(home, {force: true, recursive: true}))

  it('prints a bash and a zsh script that ask synctrace for the words', async () => {
    const bash = await runCommand(['autocomplete', 'bash'])
    expect(bash.exitCode).toBe(0)
    expect(bash.stdout).toContain('synctrace __complete')
    expect(bash.stdout).toContain('complete -F _synctrace_complete synctrace')
    const zsh = await runCommand(['autocomplete', 'zsh'])
    expect(zsh.stdout).toContain('compdef _synctrace synctrace')
    const setup = await runCommand(['autocomplete'])
    expect(setup.stdout).toContain('eval "$(synctrace autocomplete bash)"')
  })

  it('completes commands and their topics', async () => {
    expect(await offered(['tr'])).toEqual(['trace'])
    expect(await offered(['trace', ''])).toEqual(['customer', 'item', 'order', 'price'])
  })

  it('completes flags after the arguments', async () => {
    expect(await offered(['trace', 'customer', '10042', '--sa'])).toEqual(['--sandbox', '--sandbox-role'])
    expect(await offered(['reconcile', 'items', '--sandbox', '--re'])).toEqual(['--resume'])
  })

  it('completes the values of --format (also -f) and of choice arguments', async () => {
    expect(await offered(['trace', 'customer', '10042', '--format', ''])).toEqual(['terminal', 'markdown', 'json'])
    expect(await offered(['reconcile', 'customers', '-f', 'j'])).toEqual(['jsonl', 'json'])
    expect(await offered(['refresh', 'webshop', 'cu'])).toEqual(['customer', 'customers'])
  })

  it("completes --profile with the config file's profile names (--config or $SYNCTRACE_CONFIG)", async () => {
    expect(await offered(['trace', 'customer', '1', '--config', configPath, '--profile', 'ac'])).toEqual([
      'acme',
      'acme.prod',
    ])
    expect(await offered(['doctor', '--profile', ''], {SYNCTRACE_CONFIG: configPath})).toEqual([
      'acme',
      'acme.prod',
      'nordic',
    ])
  })

  it('completes --installation with the sandbox installations, and paths for --config', async () => {
    expect(await offered(['trace', 'customer', '1', '--sandbox', '--installation', 'v'])).toEqual(['viking', 'vnet'])
    expect(await offered(['doctor', '--config', ''])).toBe('files')
  })
})

describe('top-level help', () => {
  it('says reconcile covers customers and items', () => {
    const help = readFileSync(join(projectRoot, 'dist', 'help.txt'), 'utf8').replace(/\s+/g, ' ')
    expect(help).toContain('reconcile Compare every customer or item between two hops')
  })
})
