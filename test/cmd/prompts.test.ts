import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {ctrlC, runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

// Prompts on a terminal, in process: every stream reports a terminal and the answers are scripted
// (test/helpers/run-command.ts). The smoke tier (test/e2e/tty.test.ts) types at a real pseudo-terminal.
const tty = {stderr: true, stdin: true, stdout: true}

describe('prompts on a terminal', () => {
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
    const {exitCode, shown, stdout} = await runCommand(
      ['trace', 'customer', '10090', ...running.flags(), '--no-color'],
      {
        answers: ['run'],
        env: {SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl')},
        tty,
      },
    )
    expect(shown).toContain('synctrace can fix this.')
    expect(shown.join('\n')).toContain('  ❯ Run it now: republish customer 10090 to the webshop')
    expect(stdout).toContain('10090: CMS → Webshop: missing → consistent at every hop ✔ fixed')
    expect(exitCode).toBe(0)
  })

  it('asks before a sync and changes nothing when the answer is no', async () => {
    const auditLog = join(dir, 'audit.jsonl')
    const {exitCode, prompts, stderr, stdout} = await runCommand(['sync', 'customer', '10042', ...running.flags()], {
      answers: [false],
      env: {SYNCTRACE_AUDIT_LOG: auditLog},
      tty,
    })
    expect(prompts).toEqual(['This will start a targeted CMS sync of customer 10042 on installation acme. Continue?'])
    expect(stdout + stderr).toContain('Cancelled at the prompt; nothing was changed.')
    expect(exitCode).toBe(0)
    expect(
      running.sandbox.requests('acme', 'cms').filter((request: {method: string}) => request.method === 'POST'),
    ).toHaveLength(0)
    expect(JSON.parse((await readFile(auditLog, 'utf8')).trim()).outcome).toBe('declined')
  })

  it('profile add asks for what the flags did not give, masks the secret, and stores it in the secrets file', async () => {
    const home = join(dir, 'home')
    const {app, cms, webshop} = running.sandbox.installation('acme').profile('admin')
    const {exitCode, shown, stderr, stdout} = await runCommand(
      [
        'profile',
        'add',
        'typed',
        '--app-url',
        app.url,
        '--app-token',
        'env:APP_TOKEN',
        '--webshop-url',
        webshop.url,
        '--webshop-token',
        'env:APP_TOKEN',
      ],
      {
        answers: ['none', cms.url, 'typed-cms-secret-value', 'none', 'save'],
        env: {APP_TOKEN: app.token, XDG_CONFIG_HOME: home},
        tty,
      },
    )
    // The typed CMS token is not the sandbox's: the check says so, and the profile is saved as asked.
    expect(stderr).toContain('✘ CMS:')
    expect(exitCode, stderr).toBe(0)
    expect(stdout).toContain('Profile "typed" saved')
    // The token question hides what is typed; nothing prints the value.
    expect(shown.filter((line) => line.startsWith('  > '))).toEqual([`  > ${cms.url}`, '  > (masked)'])
    expect(stdout + stderr).not.toContain('typed-cms-secret-value')
    const secrets = JSON.parse(await readFile(join(home, 'synctrace', 'secrets.json'), 'utf8'))
    expect(secrets['typed.cms.token']).toBe('typed-cms-secret-value')
    const config = JSON.parse(await readFile(join(home, 'synctrace', 'config.json'), 'utf8'))
    expect(config.profiles.typed.cms).toEqual({token: 'secret:typed.cms.token', url: cms.url})
  })

  it('"Run it now" on 10042 carries on: after the sync it offers the app refresh, then ends consistent (exit 0)', async () => {
    const auditLog = join(dir, 'audit.jsonl')
    const {exitCode, shown, stdout} = await runCommand(
      ['trace', 'customer', '10042', ...running.flags(), '--no-color'],
      {
        answers: ['run', 'run'],
        env: {SYNCTRACE_AUDIT_LOG: auditLog},
        tty,
      },
    )
    expect(shown).toContain('synctrace can fix this.')
    expect(shown.join('\n')).toContain('  ❯ Run it now: start a targeted CMS sync of customer 10042')
    expect(shown.some((line) => line.endsWith('synctrace can do the next step.'))).toBe(true)
    expect(shown.join('\n')).toContain('  ❯ Run it now: make every device of app user u-17 run a full refresh')
    expect(stdout).toContain('customer 10042 is consistent at every hop after 2 steps.')
    expect(exitCode).toBe(0)
    const actions = (await readFile(auditLog, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).action)
    expect(actions).toEqual(['sync-targeted', 'app-refresh'])
  })

  it('a support agent is never offered "Run it now": a hand-off block with the command an admin would run', async () => {
    const {exitCode, shown, stdout} = await runCommand(
      ['trace', 'customer', '10042', '--config', running.configPath, '--profile', 'sandbox-acme-support', '--no-color'],
      {tty},
    )
    expect(shown).toEqual([])
    expect(stdout).not.toContain('Run it now')
    expect(stdout).not.toContain('synctrace can fix this.')
    expect(stdout).toContain('Hand-off to an admin (your CMS role is support')
    expect(stdout).toMatch(/Paste this into the ticket:\s+synctrace sync customer 10042 --profile sandbox-acme\s/)
    expect(stdout).not.toContain('sandbox-acme-support --')
    expect(stdout).not.toMatch(/--config \S+\s+(--profile \S+)?\s*\n\s*$/)
    expect(exitCode).toBe(3)
  })

  it('Ctrl-C at the fix offer: exit 130, a declined audit entry, no "synctrace failed"', async () => {
    const auditLog = join(dir, 'audit.jsonl')
    const {exitCode, prompts, stderr, stdout} = await runCommand(
      ['trace', 'customer', '10090', ...running.flags(), '--no-color'],
      {answers: [ctrlC], env: {SYNCTRACE_AUDIT_LOG: auditLog}, tty},
    )
    expect(prompts).toEqual(['synctrace can fix this.'])
    expect(exitCode).toBe(130)
    expect(stdout + stderr).not.toContain('synctrace failed')
    expect(stdout + stderr).not.toContain('force closed')
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
    const {exitCode, prompts, stderr, stdout} = await runCommand(['sync', 'customer', '10042', ...running.flags()], {
      answers: [ctrlC],
      env: {SYNCTRACE_AUDIT_LOG: auditLog},
      tty,
    })
    expect(prompts).toHaveLength(1)
    expect(exitCode).toBe(130)
    expect(stdout + stderr).not.toContain('synctrace failed')
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
    const {exitCode, prompts, stderr, stdout} = await runCommand(['profile', 'add', 'typed'], {
      answers: [ctrlC],
      env: {XDG_CONFIG_HOME: home},
      tty,
    })
    expect(prompts).toEqual(['How does synctrace reach the ERP?'])
    expect(exitCode).toBe(130)
    expect(stdout + stderr).not.toContain('synctrace failed')
    await expect(readFile(join(home, 'synctrace', 'config.json'), 'utf8')).rejects.toThrow()
  })

  it('profile add checks each answer as it is given, shows env: references in clear, and asks the ftp questions', async () => {
    const home = join(dir, 'home')
    const {exitCode, prompts, shown, stderr, stdout} = await runCommand(
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
      {
        answers: [
          'not a url',
          'https://cms.example/acme',
          'env:CMS_TOKEN_NAME',
          'sftp',
          'http://files.example',
          'files.example/a4s',
          'a4s',
          'ftp-secret-value',
          '',
          'reported',
          'none',
        ],
        env: {APP_TOKEN: 'x', XDG_CONFIG_HOME: home},
        tty,
      },
    )
    expect(exitCode).toBe(0)
    expect(prompts.map((prompt) => prompt.split(/[:(]/)[0]!.trim())).toEqual([
      'CMS base URL',
      'CMS token',
      'Which protocol does the file server speak?',
      'File server host and folder',
      'File server user',
      'File server password',
      expect.stringContaining('host key'),
      'Which file layout do the exports use?',
      'Add a helpdesk, for synctrace ticket and --post?',
    ])
    // Each refusal is shown where the answer was given, and the question is asked again.
    expect(shown.filter((line) => line.startsWith('  ! '))).toEqual([
      expect.stringContaining('not a URL'),
      expect.stringContaining('use a sftp:// URL'),
    ])
    expect(stdout + stderr).not.toContain('ftp-secret-value')
    expect(stdout + stderr).toContain('env:CMS_TOKEN_NAME is not set in this shell')
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
    const {stderr, stdout} = await runCommand(
      ['trace', 'customer', '10042', ...running.flags(), '--no-color', '--no-input'],
      {tty},
    )
    expect(stderr).toMatch(/ERP asking… \d+/)
    expect(stderr).toMatch(/CMS ✔ \d+ ms/)
    // Erased (carriage return, then the line is cleared) when the trace is done: the last thing on stderr.
    expect(stderr).toMatch(/\r\u001B\[K$/)
    expect(stdout).toContain('Customer 10042')
    const json = await runCommand(['trace', 'customer', '10042', ...running.flags(), '--json'], {tty})
    expect(json.stderr).not.toContain('asking…')
    const piped = await runCommand(['trace', 'customer', '10042', ...running.flags()])
    expect(piped.stderr).not.toContain('asking…')
    expect(piped.stderr).not.toContain('✔')
    await running.sandbox.setFault('acme', 'erp', null)
  })

  it('never prompts under --json, even on a terminal', async () => {
    const {exitCode, prompts, stdout} = await runCommand(['trace', 'customer', '10090', ...running.flags(), '--json'], {
      tty,
    })
    expect(prompts).toEqual([])
    expect(stdout).not.toContain('synctrace can fix this.')
    expect(exitCode).toBe(3)
  })
})
