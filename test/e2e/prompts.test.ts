import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'
import {hasScript, runInTty} from '../helpers/tty.js'

describe.skipIf(!hasScript)('prompts on a terminal', () => {
  let running: RunningSandbox
  let dir: string
  beforeEach(async () => {
    running = await startTestSandbox()
    dir = await mkdtemp(join(tmpdir(), 'synctrace-tty-'))
  })
  afterEach(async () => {
    await running.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it('offers the fix after a trace; "Run it now" republishes and verifies', async () => {
    const {exitCode, screen} = await runInTty(
      ['trace', 'customer', '10090', ...running.flags(), '--no-color'],
      [{type: '\r', when: 'synctrace can fix this.'}],
      {
        SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl'),
      },
    )
    expect(screen).toContain('Run it now: republish customer 10090 to the webshop')
    expect(screen).toContain('10090: CMS → Webshop: missing → consistent at every hop  ✔ fixed')
    expect(exitCode).toBe(0)
  })

  it('asks before a sync and changes nothing when the answer is no', async () => {
    const auditLog = join(dir, 'audit.jsonl')
    const {exitCode, screen} = await runInTty(
      ['sync', 'customer', '10042', ...running.flags()],
      [{type: 'n\r', when: 'Continue?'}],
      {SYNCTRACE_AUDIT_LOG: auditLog},
    )
    expect(screen).toContain('This will start a targeted CMS sync of customer 10042 on installation acme. Continue?')
    expect(screen).toContain('Cancelled at the prompt; nothing was changed.')
    expect(exitCode).toBe(0)
    expect(
      running.sandbox.requests('acme', 'cms').filter((request: {method: string}) => request.method === 'POST'),
    ).toHaveLength(0)
    expect(JSON.parse((await readFile(auditLog, 'utf8')).trim()).outcome).toBe('declined')
  })

  it('profile add asks for what the flags did not give, masks the secret, and stores it in the secrets file', async () => {
    const home = join(dir, 'home')
    const {exitCode, screen} = await runInTty(
      [
        'profile',
        'add',
        'typed',
        '--app-url',
        'https://app.example',
        '--app-token',
        'env:APP_TOKEN',
        '--webshop-url',
        'https://shop.example',
        '--webshop-token',
        'env:APP_TOKEN',
      ],
      [
        {type: 'https://cms.example/acme\r', when: 'CMS base URL'},
        {type: 'typed-cms-secret-value\r', when: 'CMS token'},
      ],
      {APP_TOKEN: 'x', XDG_CONFIG_HOME: home},
    )
    expect(exitCode).toBe(0)
    expect(screen).toContain('Profile "typed" saved')
    expect(screen).not.toContain('typed-cms-secret-value')
    const secrets = JSON.parse(await readFile(join(home, 'synctrace', 'secrets.json'), 'utf8'))
    expect(secrets['typed.cms.token']).toBe('typed-cms-secret-value')
    const config = JSON.parse(await readFile(join(home, 'synctrace', 'config.json'), 'utf8'))
    expect(config.profiles.typed.cms).toEqual({token: 'secret:typed.cms.token', url: 'https://cms.example/acme'})
  })

  it('"Run it now" on 10042 carries on: after the sync it offers the app refresh, then ends consistent (exit 0)', async () => {
    const auditLog = join(dir, 'audit.jsonl')
    const {exitCode, screen} = await runInTty(
      ['trace', 'customer', '10042', ...running.flags(), '--no-color'],
      [
        {type: '\r', when: 'synctrace can fix this.'},
        {type: '\r', when: 'synctrace can do the next step.'},
      ],
      {SYNCTRACE_AUDIT_LOG: auditLog},
    )
    expect(screen).toContain('Run it now: start a targeted CMS sync of customer 10042')
    expect(screen).toContain('Run it now: make every device of app user u-17 run a full refresh')
    expect(screen).toContain('customer 10042 is consistent at every hop after 2 steps.')
    expect(exitCode).toBe(0)
    const actions = (await readFile(auditLog, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).action)
    expect(actions).toEqual(['sync-targeted', 'app-refresh'])
  })

  it('a support agent is never offered "Run it now": a hand-off block with the command an admin would run', async () => {
    const {exitCode, screen} = await runInTty(
      ['trace', 'customer', '10042', '--config', running.configPath, '--profile', 'sandbox-acme-support', '--no-color'],
      [],
    )
    expect(screen).not.toContain('Run it now')
    expect(screen).not.toContain('synctrace can fix this.')
    expect(screen).toContain('Hand-off to an admin (your CMS role is support')
    expect(screen).toMatch(/Paste this into the ticket:\s+synctrace sync customer 10042 --sandbox\s/)
    expect(screen).not.toContain('sandbox-acme-support --')
    expect(screen).not.toMatch(/--config \S+\s+(--profile \S+)?\s*\n\s*$/)
    expect(exitCode).toBe(3)
  })

  it('Ctrl-C at the fix offer: exit 130, a declined audit entry, no "synctrace failed"', async () => {
    const auditLog = join(dir, 'audit.jsonl')
    const {exitCode, screen} = await runInTty(
      ['trace', 'customer', '10090', ...running.flags(), '--no-color'],
      [{type: '\u0003', when: 'synctrace can fix this.'}],
      {
        SYNCTRACE_AUDIT_LOG: auditLog,
      },
    )
    expect(exitCode).toBe(130)
    expect(screen).not.toContain('synctrace failed')
    expect(screen).not.toContain('force closed')
    expect(JSON.parse((await readFile(auditLog, 'utf8')).trim())).toMatchObject({
      action: 'webshop-republish',
      outcome: 'declined',
    })
    expect(
      running.sandbox.requests('acme', 'webshop').filter((request: {method: string}) => request.method === 'POST'),
    ).toHaveLength(0)
  })

  it('Ctrl-C at the confirmation: exit 130, an interrupted audit entry, nothing sent', async () => {
    const auditLog = join(dir, 'audit.jsonl')
    const {exitCode, screen} = await runInTty(
      ['sync', 'customer', '10042', ...running.flags()],
      [{type: '\u0003', when: 'Continue?'}],
      {SYNCTRACE_AUDIT_LOG: auditLog},
    )
    expect(exitCode).toBe(130)
    expect(screen).not.toContain('synctrace failed')
    expect(JSON.parse((await readFile(auditLog, 'utf8')).trim())).toMatchObject({
      action: 'sync-targeted',
      outcome: 'interrupted',
    })
    expect(
      running.sandbox.requests('acme', 'cms').filter((request: {method: string}) => request.method === 'POST'),
    ).toHaveLength(0)
  })

  it('Ctrl-C at a profile add prompt: exit 130, no "synctrace failed", nothing written', async () => {
    const home = join(dir, 'home')
    const {exitCode, screen} = await runInTty(['profile', 'add', 'typed'], [{type: '\u0003', when: 'CMS base URL'}], {
      XDG_CONFIG_HOME: home,
    })
    expect(exitCode).toBe(130)
    expect(screen).not.toContain('synctrace failed')
    await expect(readFile(join(home, 'synctrace', 'config.json'), 'utf8')).rejects.toThrow()
  })

  it('profile add checks each answer as it is given, shows env: references in clear, and asks the ftp questions', async () => {
    const home = join(dir, 'home')
    const {exitCode, screen} = await runInTty(
      [
        'profile',
        'add',
        'files',
        '--connection',
        'ftp',
        '--app-url',
        'https://app.example',
        '--app-token',
        'env:APP_TOKEN',
        '--webshop-url',
        'https://shop.example',
        '--webshop-token',
        'env:APP_TOKEN',
      ],
      [
        {type: 'not a url\r', when: 'CMS base URL'},
        {type: '\u0015https://cms.example/acme\r', when: 'not a URL'},
        {type: 'env:CMS_TOKEN_NAME\r', when: 'CMS token'},
        {type: 'http://files.example\r', when: 'File server URL'},
        {type: '\u0015sftp://files.example/a4s\r', when: 'use an ftp://'},
        {type: 'a4s\r', when: 'File server user'},
        {type: 'ftp-secret-value\r', when: 'File server password'},
        {type: '\r', when: 'host key'},
      ],
      {APP_TOKEN: 'x', XDG_CONFIG_HOME: home},
    )
    expect(screen).toContain('env:CMS_TOKEN_NAME')
    expect(screen).not.toContain('ftp-secret-value')
    expect(screen).toContain('env:CMS_TOKEN_NAME is not set in this shell')
    expect(exitCode).toBe(0)
    const config = JSON.parse(await readFile(join(home, 'synctrace', 'config.json'), 'utf8'))
    expect(config.profiles.files.cms).toEqual({token: 'env:CMS_TOKEN_NAME', url: 'https://cms.example/acme'})
    expect(config.profiles.files.ftp).toEqual({
      password: 'secret:files.ftp.password',
      url: 'sftp://files.example/a4s',
      user: 'a4s',
    })
  })

  it('shows a live per-hop line on stderr while the trace runs, erased before the report; none under --json or on a pipe', async () => {
    const slowErp = {delayMs: 1200, kind: 'slow' as const}
    await running.sandbox.setFault('acme', 'erp', slowErp)
    const {screen} = await runInTty(['trace', 'customer', '10042', ...running.flags(), '--no-color', '--no-input'], [])
    expect(screen).toMatch(/ERP asking… \d+/)
    expect(screen).toMatch(/CMS ✔ \d+ ms/)
    // Erased (carriage return, then the line is cleared) before the report starts.
    expect(screen.indexOf('asking…')).toBeLessThan(screen.indexOf('Customer 10042'))
    const json = await runInTty(['trace', 'customer', '10042', ...running.flags(), '--json'], [])
    expect(json.screen).not.toContain('asking…')
    const piped = await runCli(['trace', 'customer', '10042', ...running.flags()])
    expect(piped.stderr).not.toContain('asking…')
    expect(piped.stderr).not.toContain('✔')
    await running.sandbox.setFault('acme', 'erp', null)
  })

  it('never prompts under --json, even on a terminal', async () => {
    const {exitCode, screen} = await runInTty(['trace', 'customer', '10090', ...running.flags(), '--json'], [])
    expect(screen).not.toContain('synctrace can fix this.')
    expect(exitCode).toBe(3)
  })
})
