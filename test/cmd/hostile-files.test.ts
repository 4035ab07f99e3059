import {execFileSync} from 'node:child_process'
import {chmod, mkdtemp, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'

/** Config, secrets and audit files treated as ssh treats its own. */
describe('hostile files', () => {
  let dir: string
  const service = (token: string) => ({token, url: 'http://127.0.0.1:9'})
  const profile = (token: string) => ({app: service(token), cms: service(token), webshop: service(token)})
  const write = async (name: string, content: unknown, mode = 0o600) => {
    const path = join(dir, name)
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content), {mode})
    await chmod(path, mode)
    return path
  }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synctrace-files-'))
  })
  afterAll(async () => {
    await rm(dir, {force: true, recursive: true})
  })

  it('removes exactly the secrets of the removed profile, never those of acme.prod', async () => {
    const sub = await mkdtemp(join(dir, 'remove-'))
    const config = join(sub, 'config.json')
    await writeFile(
      config,
      JSON.stringify({
        profiles: {acme: profile('secret:acme.cms.token'), 'acme.prod': profile('secret:acme.prod.cms.token')},
      }),
      {mode: 0o600},
    )
    await writeFile(
      join(sub, 'secrets.json'),
      JSON.stringify({'acme.cms.token': 'tok-acme-1234', 'acme.prod.cms.token': 'tok-prod-5678'}),
      {mode: 0o600},
    )
    const result = await runCommand(['profile', 'remove', 'acme', '--config', config])
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(await readFile(join(sub, 'secrets.json'), 'utf8'))).toEqual({
      'acme.prod.cms.token': 'tok-prod-5678',
    })
  })

  it('warns about a config others can read, and refuses a secrets file others can read', async () => {
    const sub = await mkdtemp(join(dir, 'modes-'))
    const config = join(sub, 'config.json')
    await writeFile(config, JSON.stringify({profiles: {acme: profile('secret:acme.cms.token')}}))
    await chmod(config, 0o644)
    const listed = await runCommand(['profile', 'list', '--config', config])
    expect(listed.exitCode).toBe(0)
    expect(listed.stderr).toMatch(/Warning: the config file .* is readable by other users/)
    await writeFile(join(sub, 'secrets.json'), JSON.stringify({'acme.cms.token': 'tok-visible-9999'}))
    await chmod(join(sub, 'secrets.json'), 0o644)
    const traced = await runCommand(['trace', 'customer', '10001', '--config', config, '--json'])
    expect(traced.exitCode).toBe(2)
    expect(parseJson(traced).error.message).toMatch(/secrets file .* is readable by other users/)
    expect(traced.stdout + traced.stderr).not.toContain('tok-visible-9999')
  })

  it('refuses the profile names __proto__, constructor and prototype', async () => {
    const config = await write('names.json', {profiles: {acme: profile('env:HOME')}})
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const used = await runCommand(['profile', 'use', name, '--config', config])
      expect(used.exitCode).toBe(2)
      const traced = await runCommand(['trace', 'customer', '1', '--config', config, '--profile', name, '--json'])
      expect(traced.exitCode).toBe(2)
    }
    expect(JSON.parse(await readFile(config, 'utf8'))).toEqual({profiles: {acme: profile('env:HOME')}})
    const added = await runCommand([
      'profile',
      'add',
      'constructor',
      '--config',
      config,
      '--cms-url',
      'http://127.0.0.1:9',
      '--cms-token',
      'env:HOME',
      '--app-url',
      'http://127.0.0.1:9',
      '--app-token',
      'env:HOME',
      '--webshop-url',
      'http://127.0.0.1:9',
      '--webshop-token',
      'env:HOME',
      '--erp',
      'none',
      '--no-input',
    ])
    expect(added.exitCode).toBe(2)
  })

  it('accepts a config with a BOM', async () => {
    const config = await write('bom.json', `\uFEFF${JSON.stringify({profiles: {acme: profile('env:HOME')}})}`)
    const result = await runCommand(['profile', 'list', '--config', config, '--json'])
    expect(result.exitCode).toBe(0)
    expect(parseJson(result).profiles).toEqual([expect.objectContaining({name: 'acme'})])
  })

  it('never echoes the content of a file that is not a config', async () => {
    const config = await write('shadow', 'root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\n')
    for (const args of [
      ['profile', 'list'],
      ['trace', 'customer', '1'],
    ]) {
      const result = await runCommand([...args, '--config', config])
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain('is not valid JSON')
      expect(result.stdout + result.stderr).not.toMatch(/root|saltsalt|hash/)
    }
  })

  it('refuses malformed env: and secret: references instead of sending them as tokens', async () => {
    for (const token of ['env:', 'env:1BAD', 'env:A-B', 'secret:', 'secret:../x']) {
      const config = await write(`ref-${Math.random().toString(36).slice(2)}.json`, {profiles: {acme: profile(token)}})
      const result = await runCommand(['trace', 'customer', '1', '--config', config, '--json'])
      expect(result.exitCode, token).toBe(2)
      expect(parseJson(result).error.message).toMatch(/malformed (env|secret): reference/)
    }
  })

  it('reads only regular files: a FIFO as --config is refused at once', async () => {
    const fifo = join(dir, 'fifo')
    execFileSync('mkfifo', [fifo])
    const started = Date.now()
    const result = await runCommand(['trace', 'customer', '1', '--config', fifo, '--json'])
    expect(result.exitCode).toBe(2)
    expect(parseJson(result).error.message).toContain('is not a regular file')
    expect(Date.now() - started).toBeLessThan(10_000)
    const audit = await runCommand(['audit', '--json'], {env: {SYNCTRACE_AUDIT_LOG: fifo}})
    expect(audit.exitCode).toBe(2)
  })

  it('never writes through a symlink: profile add and sandbox --write-config refuse a link at the path', async () => {
    const target = await write('target.json', 'do not touch')
    const link = join(dir, 'link.json')
    await symlink(target, link)
    const sandbox = await runCommand(['sandbox', '--installation', 'acme', '--write-config', link])
    expect(sandbox.exitCode).toBe(2)
    expect(sandbox.stderr).toContain('symbolic link')
    const added = await runCommand([
      'profile',
      'add',
      'acme',
      '--config',
      link,
      '--cms-url',
      'http://127.0.0.1:9',
      '--cms-token',
      'env:HOME',
      '--app-url',
      'http://127.0.0.1:9',
      '--app-token',
      'env:HOME',
      '--webshop-url',
      'http://127.0.0.1:9',
      '--webshop-token',
      'env:HOME',
      '--erp',
      'none',
      '--no-input',
    ])
    expect(added.exitCode).toBe(2)
    expect(await readFile(target, 'utf8')).toBe('do not touch')
  })
})
