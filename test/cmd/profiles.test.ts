import {spawn} from 'node:child_process'
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {binRun, parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'

/** A `synctrace sandbox` running in the foreground, as a user would start it in another terminal. */
async function startForegroundSandbox(
  env: Record<string, string>,
): Promise<{stop: () => Promise<void>; description: any}> {
  const child = spawn(process.execPath, [binRun, 'sandbox', '--json'], {
    env: {...process.env, ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = ''
    child.stdout.on('data', (chunk) => {
      buffer += chunk
      if (buffer.includes('\n')) resolve(buffer.slice(0, buffer.indexOf('\n')))
    })
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)))
  })
  return {
    description: JSON.parse(line),
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit')
        child.on('exit', () => resolve())
        child.kill('SIGINT')
      }),
  }
}

describe('profiles: a profile written by `profile add` works for trace, doctor and the fixes', () => {
  let home: string
  let env: Record<string, string>
  let sandbox: Awaited<ReturnType<typeof startForegroundSandbox>>
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'synctrace-home-'))
    env = {
      SYNCTRACE_AUDIT_LOG: join(home, 'audit.jsonl'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_CONFIG_HOME: join(home, 'config'),
    }
    sandbox = await startForegroundSandbox(env)
  })
  afterAll(async () => {
    await sandbox.stop()
    await rm(home, {force: true, recursive: true})
  })

  it('saves the running sandbox as a profile, secrets in a 0600 secrets file, and uses it by default', async () => {
    const added = await runCommand(['profile', 'add', '--from-sandbox', 'acme'], {env})
    expect(added.exitCode).toBe(0)
    expect(added.stdout).toContain('Profile "acme" saved')
    expect(added.stdout).toContain('Use it with --profile acme.')
    expect(added.stderr).toContain('stored in')
    const configPath = join(home, 'config', 'synctrace', 'config.json')
    const secretsPath = join(home, 'config', 'synctrace', 'secrets.json')
    expect((await stat(configPath)).mode & 0o777).toBe(0o600)
    expect((await stat(secretsPath)).mode & 0o777).toBe(0o600)
    const config = await readFile(configPath, 'utf8')
    const admin = sandbox.description.installations[0].tokens.admin
    expect(config).not.toContain(admin)
    expect(config).toContain('"token": "secret:acme.cms.token"')

    const trace = await runCommand(['trace', 'customer', '10042', '--json'], {env})
    expect(parseJson(trace).verdict.cause).toBe('erp-changed-after-sync')
    const doctor = await runCommand(['doctor', '--json'], {env})
    expect(doctor.exitCode).toBe(0)
    const sync = await runCommand(['sync', 'customer', '10042', '--yes', '--json'], {env})
    expect(parseJson(sync).results[0]).toMatchObject({
      outcome: 'succeeded',
      verification: [expect.objectContaining({breakGone: true})],
    })
  })

  it('adds a profile from flags with env: references, lists, shows it masked, switches and removes it', async () => {
    const profileEnv = {...env, SHOP_TOKEN: 'shop-secret-value-42'}
    const added = await runCommand(
      [
        'profile',
        'add',
        'prod',
        '--cms-url',
        'https://cms.platform.example/acme',
        '--cms-token',
        'env:CMS_TOKEN',
        '--app-url',
        'https://app.platform.example/acme',
        '--app-token',
        'env:CMS_TOKEN',
        '--webshop-url',
        'https://shop.acme.example',
        '--webshop-token',
        'env:SHOP_TOKEN',
      ],
      {env: {...profileEnv, CMS_TOKEN: 'x-cms-token'}},
    )
    expect(added.exitCode).toBe(0)
    const shown = await runCommand(['profile', 'show', 'prod'], {env: profileEnv})
    expect(shown.stdout).toContain('"token": "env:SHOP_TOKEN (set)"')
    expect(shown.stdout).toContain('"token": "env:CMS_TOKEN (NOT SET)"')
    expect(shown.stdout).not.toContain('shop-secret-value-42')
    const listed = parseJson(await runCommand(['profile', 'list', '--json'], {env}))
    expect(
      listed.profiles.map((profile: {name: string; default: boolean}) => `${profile.name}:${profile.default}`),
    ).toEqual(['acme:true', 'prod:false'])
    expect((await runCommand(['profile', 'use', 'prod'], {env})).exitCode).toBe(0)
    expect(
      parseJson(await runCommand(['profile', 'list', '--json'], {env})).profiles.find(
        (profile: {name: string}) => profile.name === 'prod',
      ).default,
    ).toBe(true)
    // The default profile's env var is missing: a clear usage error naming it.
    const missing = await runCommand(['trace', 'customer', '10042'], {env})
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain('environment variable CMS_TOKEN, which is not set')
    expect((await runCommand(['profile', 'remove', 'prod'], {env})).exitCode).toBe(0)
    expect(
      parseJson(await runCommand(['profile', 'list', '--json'], {env})).profiles.map(
        (profile: {name: string}) => profile.name,
      ),
    ).toEqual(['acme'])
  })

  it('refuses a secret value without --store-secrets, and a bad URL, writing nothing', async () => {
    const before = await readFile(join(home, 'config', 'synctrace', 'config.json'), 'utf8')
    const value = await runCommand(
      [
        'profile',
        'add',
        'x',
        '--cms-url',
        'https://cms.example',
        '--cms-token',
        'plain-secret',
        '--app-url',
        'https://a.example',
        '--app-token',
        'env:A',
        '--webshop-url',
        'https://w.example',
        '--webshop-token',
        'env:A',
      ],
      {env: {...env, A: 'a'}},
    )
    expect(value.exitCode).toBe(2)
    expect(value.stderr).toContain('--cms-token was given a value')
    expect(value.stderr).not.toContain('plain-secret')
    const badUrl = await runCommand(
      [
        'profile',
        'add',
        'y',
        '--cms-url',
        'not a url',
        '--cms-token',
        'env:A',
        '--app-url',
        'https://a.example',
        '--app-token',
        'env:A',
        '--webshop-url',
        'https://w.example',
        '--webshop-token',
        'env:A',
      ],
      {env: {...env, A: 'a'}},
    )
    expect(badUrl.exitCode).toBe(2)
    expect(badUrl.stderr).toContain('--cms-url: not a URL')
    expect(await readFile(join(home, 'config', 'synctrace', 'config.json'), 'utf8')).toBe(before)
    const unknown = await runCommand(['trace', 'customer', '1', '--profile', 'nope'], {env})
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toContain('No profile named "nope"')
  })

  it('--from-sandbox nordic and fjord keep the file server password and the Fortnox token out of the config', async () => {
    for (const installation of ['nordic', 'fjord']) {
      const added = await runCommand(['profile', 'add', '--from-sandbox', installation], {env})
      expect(added.exitCode).toBe(0)
    }
    const config = await readFile(join(home, 'config', 'synctrace', 'config.json'), 'utf8')
    const [nordic, fjord] = ['nordic', 'fjord'].map((id) =>
      sandbox.description.installations.find((entry: {id: string}) => entry.id === id),
    )
    expect(config).not.toContain(nordic.fileServer.password)
    expect(config).not.toContain(fjord.erp.token)
    expect(config).toContain('"password": "secret:nordic.ftp.password"')
    expect(config).toContain('"token": "secret:fjord.erp.token"')
    const trace = await runCommand(['trace', 'customer', '20050', '--profile', 'nordic', '--json'], {env})
    expect(trace.exitCode).toBe(3)
  })

  it('adds Fortnox and ftp profiles from flags; an env: reference not set yet is accepted with a warning', async () => {
    const added = await runCommand(
      [
        'profile',
        'add',
        'fx',
        '--cms-url',
        'https://cms.example',
        '--cms-token',
        'env:LATER_TOKEN',
        '--app-url',
        'https://a.example',
        '--app-token',
        'env:LATER_TOKEN',
        '--webshop-url',
        'https://w.example',
        '--webshop-token',
        'env:LATER_TOKEN',
        '--erp',
        'fortnox',
        '--erp-token',
        'env:LATER_FORTNOX',
        '--connection',
        'ftp',
        '--ftp-url',
        'ftps://files.example/a4s',
        '--ftp-user',
        'a4s',
        '--ftp-password',
        'env:LATER_FTP',
      ],
      {env},
    )
    expect(added.exitCode).toBe(0)
    expect(added.stderr).toContain('env:LATER_TOKEN is not set in this shell')
    const config = JSON.parse(await readFile(join(home, 'config', 'synctrace', 'config.json'), 'utf8'))
    expect(config.profiles.fx.erp).toEqual({
      system: 'fortnox',
      token: 'env:LATER_FORTNOX',
      url: 'https://api.fortnox.se',
    })
    expect(config.profiles.fx.ftp).toEqual({password: 'env:LATER_FTP', url: 'ftps://files.example/a4s', user: 'a4s'})
    const badHostKey = await runCommand(
      [
        'profile',
        'add',
        'fy',
        '--cms-url',
        'https://cms.example',
        '--cms-token',
        'env:A',
        '--app-url',
        'https://a.example',
        '--app-token',
        'env:A',
        '--webshop-url',
        'https://w.example',
        '--webshop-token',
        'env:A',
        '--host-key-sha256',
        'nope',
      ],
      {env},
    )
    expect(badHostKey.exitCode).toBe(2)
    expect(badHostKey.stderr).toContain('--host-key-sha256: a SHA-256 fingerprint')
  })

  it('without a TTY, names the missing flag instead of prompting', async () => {
    const result = await runCommand(['profile', 'add', 'z', '--cms-url', 'https://cms.example'], {env})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--cms-token is required when not running interactively')
  })
})
