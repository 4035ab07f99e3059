import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'
import {hasScript, runInTty} from '../helpers/tty.js'

// Smoke tier: prompts on a real pseudo-terminal (inquirer's rendering, its masking, Ctrl-C as the terminal sends it).
// The behaviour at every prompt is tested in process in test/cmd/prompts.test.ts.
describe.skipIf(!hasScript)('prompts on a real terminal', () => {
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
    expect(screen).toContain('10090: CMS → Webshop: missing → consistent at every hop ✔ fixed')
    expect(exitCode).toBe(0)
  })

  it('profile add asks for what the flags did not give, masks the secret, tests the connection and saves when told to', async () => {
    const home = join(dir, 'home')
    const {app, cms, webshop} = running.sandbox.installation('acme').profile('admin')
    const {exitCode, screen} = await runInTty(
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
      [
        // Up from the first choice wraps to the last: no ERP access.
        {type: '\u001b[A\r', when: 'How does synctrace reach the ERP?'},
        {type: `${cms.url}\r`, when: 'CMS base URL'},
        {type: 'typed-cms-secret-value\r', when: 'CMS token'},
        // No helpdesk: the first choice.
        {type: '\r', when: 'Add a helpdesk'},
        // The typed token is refused by the CMS: "Save the profile anyway", the second choice.
        {type: '\u001b[B\r', when: 'What now?'},
      ],
      {APP_TOKEN: app.token, XDG_CONFIG_HOME: home},
    )
    expect(exitCode).toBe(0)
    expect(screen).toContain('✘ CMS:')
    expect(screen).toContain('Profile "typed" saved')
    expect(screen).not.toContain('typed-cms-secret-value')
    const secrets = JSON.parse(await readFile(join(home, 'synctrace', 'secrets.json'), 'utf8'))
    expect(secrets['typed.cms.token']).toBe('typed-cms-secret-value')
    const config = JSON.parse(await readFile(join(home, 'synctrace', 'config.json'), 'utf8'))
    expect(config.profiles.typed.cms).toEqual({token: 'secret:typed.cms.token', url: cms.url})
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
})
