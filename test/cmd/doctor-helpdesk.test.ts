import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {describeSandbox, writeSandboxConfig} from '../../dist/sandbox/describe.js'
import {startSandbox} from '../../dist/sandbox/sandbox.js'
import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {testTimeScale} from '../helpers/sandbox.js'

describe("doctor checks the profile's helpdesk", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>
  let dir: string
  beforeAll(async () => {
    sandbox = await startSandbox({installations: ['acme'], timeScale: testTimeScale})
    dir = await mkdtemp(join(tmpdir(), 'synctrace-doctor-helpdesk-'))
  }, 60_000)
  afterAll(async () => {
    await sandbox?.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it.each(['zendesk', 'freshdesk', 'jira'] as const)(
    '%s: reachable, authenticated as the agent, may add internal notes; refused credentials are a problem with its advice',
    async (system) => {
      const configPath = join(dir, `${system}.json`)
      await writeSandboxConfig(configPath, describeSandbox(sandbox, system))
      const doctor = () => runCommand(['doctor', '--config', configPath, '--profile', 'sandbox-acme', '--json'])
      const healthy = parseJson(await doctor())
      expect(healthy.exitCode).toBe(0)
      expect(healthy.helpdesk).toMatchObject({canAddInternalNotes: true, status: 'ok', system})
      const state = sandbox.helpdesk(system).state
      const token = state.token
      state.token = 'revoked'
      const refused = await doctor()
      state.token = token
      const report = parseJson(refused)
      expect(refused.exitCode).toBe(3)
      expect(report.helpdesk).toMatchObject({canAddInternalNotes: null, status: 'problem'})
      expect(report.problems.at(-1)).toMatch(/\(helpdesk\)/)
      expect(report.advice.at(-1)).toMatchObject({owner: 'admin'})
      const terminal = await runCommand(['doctor', '--config', configPath, '--profile', 'sandbox-acme'])
      expect(terminal.stdout).toMatch(/✔ .* \(helpdesk\) .*can add internal notes/)
    },
  )
})

describe('profile add --helpdesk', () => {
  const base = (configPath: string) => [
    'profile',
    'add',
    'hd',
    '--config',
    configPath,
    ...['--cms-url', 'https://cms.example', '--cms-token', 'env:HD_TOKEN'],
    ...['--app-url', 'https://app.example', '--app-token', 'env:HD_TOKEN'],
    ...['--webshop-url', 'https://shop.example', '--webshop-token', 'env:HD_TOKEN'],
    ...[
      '--connection',
      'ftp',
      '--ftp-url',
      'sftp://files.example/out',
      '--ftp-user',
      'u',
      '--ftp-password',
      'env:HD_TOKEN',
    ],
    '--no-input',
  ]

  it("saves the helpdesk section from the descriptor's flags, the token as a reference; a missing one names its flag", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synctrace-profile-helpdesk-'))
    try {
      const configPath = join(dir, 'config.json')
      const helpdesk = ['--helpdesk', 'jira', '--helpdesk-url', 'https://acme.atlassian.net']
      const env = {env: {HD_TOKEN: 'x'}}
      const missing = await runCommand([...base(configPath), ...helpdesk, '--helpdesk-email', 'a@acme.example'], env)
      expect(missing.exitCode).toBe(2)
      expect(missing.stderr).toContain('--helpdesk-token')
      const added = await runCommand(
        [...base(configPath), ...helpdesk, '--helpdesk-email', 'a@acme.example', '--helpdesk-token', 'env:HD_TOKEN'],
        env,
      )
      expect(added.exitCode, added.stderr).toBe(0)
      const config = JSON.parse(await readFile(configPath, 'utf8'))
      expect(config.profiles.hd.helpdesk).toEqual({
        email: 'a@acme.example',
        system: 'jira',
        token: 'env:HD_TOKEN',
        url: 'https://acme.atlassian.net',
      })
    } finally {
      await rm(dir, {force: true, recursive: true})
    }
  })
})
