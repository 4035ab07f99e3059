import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {describeSandbox} from '../../dist/sandbox/describe.js'
import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

// `profile add` on a terminal, in process, against a sandbox whose URLs and tokens the test knows.
const tty = {stderr: true, stdin: true, stdout: true}

describe('profile add: the setup wizard', () => {
  let running: RunningSandbox
  let dir: string
  let count = 0
  /** A fresh config folder per test. */
  const home = () => join(dir, `home-${++count}`)
  const admin = () => running.sandbox.installation('acme').profile('admin')
  beforeAll(async () => {
    running = await startTestSandbox(['acme'])
    dir = await mkdtemp(join(tmpdir(), 'synctrace-wizard-'))
  })
  afterAll(async () => {
    await running.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it('asks the name, the connection, the URLs (cloud defaults pre-filled) and tokens in order, tests the connection, then saves', async () => {
    const {app, cms, erp, webshop} = admin()
    const config = home()
    const result = await runCommand(['profile', 'add'], {
      answers: [
        'wizard',
        'businesscentral',
        cms.url,
        'env:ACME_CMS_TOKEN',
        app.url,
        '',
        webshop.url,
        '',
        erp?.url as string,
        erp?.tenant as string,
        erp?.companyId as string,
        erp?.tokenUrl as string,
        erp?.clientId as string,
        erp?.clientSecret as string,
        'none',
      ],
      env: {ACME_CMS_TOKEN: cms.token, XDG_CONFIG_HOME: config},
      tty,
    })
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.prompts.map((prompt) => prompt.split(' (')[0])).toEqual([
      'Profile name',
      'How does synctrace reach the ERP?',
      'CMS base URL',
      'CMS token',
      'App backend base URL',
      'App backend token',
      'Webshop base URL',
      'Webshop token',
      'Business Central: API base URL',
      'Business Central tenant',
      'Business Central company id',
      'Business Central: token endpoint',
      'Business Central client id',
      'Business Central client secret',
      'Add a helpdesk, for synctrace ticket and --post?',
    ])
    // The ERPs of the registry are the choices; the cloud's URL is pre-filled; the app's token defaults to the CMS's.
    expect(result.shown).toContain('  ❯ Business Central API (direct)')
    expect(result.shown).toContain('  ❯ Fortnox API (direct)')
    expect(result.shown).toContain('  ❯ Export files on a file server (FTP, FTPS or SFTP)')
    expect(result.shown).toContain('  (default: https://api.businesscentral.dynamics.com)')
    expect(result.prompts[5]).toContain('empty: the CMS token')
    // The doctor's checks, each shown, before the profile is saved.
    expect(result.stderr).toContain('Testing the connection')
    for (const hop of ['Business Central', 'CMS', 'App backend', 'Webshop'])
      expect(result.stderr).toMatch(new RegExp(`✔ ${hop}: connected`))
    expect(result.stdout).toContain('Profile "wizard" saved')
    const saved = JSON.parse(await readFile(join(config, 'synctrace', 'config.json'), 'utf8')).profiles.wizard
    expect(saved.cms).toEqual({token: 'env:ACME_CMS_TOKEN', url: cms.url})
    expect(saved.app).toEqual({token: 'env:ACME_CMS_TOKEN', url: app.url})
    expect(saved.webshop).toEqual({token: 'env:ACME_CMS_TOKEN', url: webshop.url})
    expect(saved.erp).toMatchObject({clientSecret: 'secret:wizard.erp.clientSecret', system: 'businesscentral'})
    const trace = await runCommand(['trace', 'customer', '10042', '--profile', 'wizard', '--json'], {
      env: {ACME_CMS_TOKEN: cms.token, XDG_CONFIG_HOME: config},
    })
    expect(parseJson(trace).verdict.cause).toBe('erp-changed-after-sync')
  })

  it('a refused token: the check says what to fix, and nothing is saved unless confirmed', async () => {
    const {app, cms, webshop} = admin()
    const config = home()
    const flags = ['--erp', 'none', '--cms-url', cms.url, '--app-url', app.url, '--webshop-url', webshop.url]
    const cancelled = await runCommand(['profile', 'add', 'wrong', ...flags], {
      answers: ['wrong-token', '', '', 'none', 'cancel'],
      env: {XDG_CONFIG_HOME: config},
      tty,
    })
    expect(cancelled.prompts.map((prompt) => prompt.split(' (')[0])).toEqual([
      'CMS token',
      'App backend token',
      'Webshop token',
      'Add a helpdesk, for synctrace ticket and --post?',
      'A check failed. What now?',
    ])
    expect(cancelled.stderr).toMatch(/✘ CMS: /)
    expect(cancelled.stderr).toContain('To fix:')
    expect(cancelled.stderr).toContain('CMS: the credentials were refused: check --cms-token.')
    expect(cancelled.stderr).toContain('Profile "wrong" was not saved')
    expect(cancelled.exitCode).toBe(1)
    await expect(readFile(join(config, 'synctrace', 'config.json'), 'utf8')).rejects.toThrow()

    // Re-entering: the URL pre-filled, the right token (the app's and webshop's follow it), then saved.
    const reentered = await runCommand(['profile', 'add', 'wrong', ...flags], {
      answers: ['wrong-token', '', '', 'none', 'reenter', '', 'env:GOOD_TOKEN', '', '', '', ''],
      env: {GOOD_TOKEN: cms.token, XDG_CONFIG_HOME: config},
      tty,
    })
    expect(reentered.exitCode, reentered.stderr).toBe(0)
    expect(reentered.shown).toContain(`  (default: ${cms.url})`)
    expect(reentered.stderr).toMatch(/✔ CMS: connected/)
    const saved = JSON.parse(await readFile(join(config, 'synctrace', 'config.json'), 'utf8')).profiles.wrong
    expect(saved.cms.token).toBe('env:GOOD_TOKEN')
    expect(saved.webshop.token).toBe('env:GOOD_TOKEN')
    // The refused value typed first is not left in the secrets file.
    expect(await readFile(join(config, 'synctrace', 'secrets.json'), 'utf8')).not.toContain('wrong-token')
  })

  it('another ERP than the CMS reports: the check names the right one, and re-entering asks the connection again', async () => {
    const {app, cms, erp, webshop} = admin()
    const config = home()
    const platform = ['--cms-url', cms.url, '--cms-token', 'env:T', '--app-url', app.url, '--webshop-url', webshop.url]
    const result = await runCommand(['profile', 'add', 'mixed', ...platform, '--app-token', 'env:T'], {
      answers: [
        'fortnox',
        '',
        erp?.url as string,
        'env:T',
        'none',
        'reenter',
        'businesscentral',
        erp?.url as string,
        erp?.tenant as string,
        erp?.companyId as string,
        erp?.tokenUrl as string,
        erp?.clientId as string,
        erp?.clientSecret as string,
      ],
      env: {T: cms.token, XDG_CONFIG_HOME: config},
      tty,
    })
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.shown).toContain('  (default: https://api.fortnox.se)')
    expect(result.stderr).toContain("✘ CMS: the installation's ERP is Business Central, not Fortnox")
    expect(result.stderr).toContain('Choose the Business Central API (--erp businesscentral) as the connection.')
    const asked = result.prompts.map((prompt) => prompt.split(' (')[0])
    expect(asked.slice(asked.indexOf('A check failed. What now?') + 1, -5)).toEqual([
      'How does synctrace reach the ERP?',
      'Business Central: API base URL',
    ])
    const saved = JSON.parse(await readFile(join(config, 'synctrace', 'config.json'), 'utf8')).profiles.mixed
    expect(saved.erp.system).toBe('businesscentral')
    expect(saved.webshop.token).toBe('env:T')
  })

  it('export files: asks the protocol, host, login and layout; a refused password is re-entered alone, then saved', async () => {
    const nordic = await startTestSandbox(['nordic'])
    try {
      const {app, cms, ftp, webshop} = nordic.sandbox.installation('nordic').profile('admin')
      if (!ftp?.url || !ftp.hostKeySha256) throw new Error('nordic has an SFTP file server')
      const config = home()
      const result = await runCommand(['profile', 'add', 'files'], {
        answers: [
          'ftp',
          cms.url,
          'env:NORDIC_TOKEN',
          app.url,
          '',
          webshop.url,
          '',
          'sftp',
          ftp.url.replace('sftp://', ''),
          ftp.user,
          'wrong-password',
          ftp.hostKeySha256,
          'generic',
          'none',
          'reenter',
          'sftp',
          '',
          '',
          ftp.password,
          '',
          'generic',
        ],
        env: {NORDIC_TOKEN: cms.token, XDG_CONFIG_HOME: config},
        tty,
      })
      expect(result.exitCode, result.stderr).toBe(0)
      const asked = result.prompts.map((prompt) => prompt.split(' (')[0])
      const fileServerQuestions = [
        'Which protocol does the file server speak?',
        'File server host and folder',
        'File server user',
        'File server password',
        'SFTP host key SHA-256 fingerprint',
        'Which file layout do the exports use?',
      ]
      expect(asked.slice(asked.indexOf('A check failed. What now?') + 1)).toEqual(fileServerQuestions)
      expect(result.shown).toContain('  ❯ Winbas (_customers.xml, _items.xml in windows-1252; Orders/{OrderNr}.xml)')
      expect(result.stderr).toMatch(/✘ File server: /)
      expect(result.stderr).toContain('File server: the credentials were refused: check --ftp-user, --ftp-password.')
      expect(result.stderr).toMatch(/✔ File server: connected/)
      const saved = JSON.parse(await readFile(join(config, 'synctrace', 'config.json'), 'utf8')).profiles.files
      expect(saved.ftp).toEqual({
        hostKeySha256: ftp.hostKeySha256,
        layout: 'generic',
        password: 'secret:files.ftp.password',
        url: ftp.url,
        user: ftp.user,
      })
      expect(saved.erp).toBeUndefined()
    } finally {
      await nordic.stop()
    }
  })

  it.each(['zendesk', 'freshdesk', 'jira'] as const)(
    "asks whether to add a helpdesk and, for %s, its descriptor's settings; the token kept as env: or in the secrets file",
    async (system) => {
      const {app, cms, webshop} = admin()
      const helpdesk = running.sandbox.helpdesk(system).profile()
      const config = home()
      const flags = ['--erp', 'none', '--cms-url', cms.url, '--app-url', app.url, '--webshop-url', webshop.url]
      const fields = system === 'freshdesk' ? [helpdesk.url] : [helpdesk.url, helpdesk.email as string]
      const result = await runCommand(['profile', 'add', `hd-${system}`, ...flags], {
        answers: ['env:HD_CMS_TOKEN', '', '', system, ...fields, helpdesk.token],
        env: {HD_CMS_TOKEN: cms.token, XDG_CONFIG_HOME: config},
        tty,
      })
      expect(result.exitCode, result.stderr).toBe(0)
      const asked = result.prompts.map((prompt) => prompt.split(' (')[0])
      expect(asked.slice(3, 4)).toEqual(['Add a helpdesk, for synctrace ticket and --post?'])
      expect(asked.slice(4)).toHaveLength(fields.length + 1)
      expect(asked.at(-1)).toMatch(/API (token|key)$/)
      for (const name of ['None', 'Zendesk', 'Freshdesk', 'Jira Service Management'])
        expect(result.shown.join('\n')).toContain(name)
      const saved = JSON.parse(await readFile(join(config, 'synctrace', 'config.json'), 'utf8')).profiles[
        `hd-${system}`
      ]
      expect(saved.helpdesk).toEqual({
        system,
        token: `secret:hd-${system}.helpdesk.token`,
        url: helpdesk.url,
        ...(system === 'freshdesk' ? {} : {email: helpdesk.email}),
      })
      const secrets = JSON.parse(await readFile(join(config, 'synctrace', 'secrets.json'), 'utf8'))
      expect(secrets[`hd-${system}.helpdesk.token`]).toBe(helpdesk.token)
      const doctor = await runCommand(['doctor', '--profile', `hd-${system}`, '--json'], {
        env: {HD_CMS_TOKEN: cms.token, XDG_CONFIG_HOME: config},
      })
      expect(parseJson(doctor).helpdesk).toMatchObject({canAddInternalNotes: true, status: 'ok', system})
    },
  )

  it('no helpdesk: answering None saves a profile without a helpdesk section; an env: reference is kept as given', async () => {
    const {app, cms, webshop} = admin()
    const config = home()
    const flags = ['--erp', 'none', '--cms-url', cms.url, '--app-url', app.url, '--webshop-url', webshop.url]
    const none = await runCommand(['profile', 'add', 'no-hd', ...flags], {
      answers: ['env:HD_CMS_TOKEN', '', '', 'none'],
      env: {HD_CMS_TOKEN: cms.token, XDG_CONFIG_HOME: config},
      tty,
    })
    expect(none.exitCode, none.stderr).toBe(0)
    const saved = () => readFile(join(config, 'synctrace', 'config.json'), 'utf8').then((text) => JSON.parse(text))
    expect((await saved()).profiles['no-hd']).not.toHaveProperty('helpdesk')
    const zendesk = running.sandbox.helpdesk('zendesk').profile()
    const withEnv = await runCommand(['profile', 'add', 'env-hd', ...flags], {
      answers: ['env:HD_CMS_TOKEN', '', '', 'zendesk', zendesk.url, zendesk.email as string, 'env:HD_ZENDESK_TOKEN'],
      env: {HD_CMS_TOKEN: cms.token, HD_ZENDESK_TOKEN: zendesk.token, XDG_CONFIG_HOME: config},
      tty,
    })
    expect(withEnv.exitCode, withEnv.stderr).toBe(0)
    expect((await saved()).profiles['env-hd'].helpdesk.token).toBe('env:HD_ZENDESK_TOKEN')
  })

  it('without a terminal, or with --no-input, asks nothing: a missing value is a usage error naming the flag', async () => {
    const env = {XDG_CONFIG_HOME: home()}
    const unnamed = await runCommand(['profile', 'add'], {env})
    expect(unnamed.exitCode).toBe(2)
    expect(unnamed.prompts).toEqual([])
    expect(unnamed.stderr).toContain('A profile name is required when not running interactively')
    const noInput = await runCommand(['profile', 'add', 'x', '--no-input'], {env, tty})
    expect(noInput.exitCode).toBe(2)
    expect(noInput.prompts).toEqual([])
    expect(noInput.stderr).toContain('--cms-url is required when not running interactively')
  })

  it('--from-sandbox acme saves a profile --profile acme finds', async () => {
    const cache = join(dir, 'cache')
    // The state file a running `synctrace sandbox` leaves (this process runs the sandbox).
    await mkdir(join(cache, 'synctrace', 'sandboxes'), {recursive: true})
    await writeFile(
      join(cache, 'synctrace', 'sandboxes', `${process.pid}.json`),
      JSON.stringify(describeSandbox(running.sandbox)),
      {mode: 0o600},
    )
    const env = {XDG_CACHE_HOME: cache, XDG_CONFIG_HOME: home()}
    const added = await runCommand(['profile', 'add', '--from-sandbox', 'acme'], {env})
    expect(added.exitCode, added.stderr).toBe(0)
    expect(added.stdout).toContain('Profile "acme" saved')
    expect(added.stdout).toContain('Use it with --profile acme.')
    const doctor = await runCommand(['doctor', '--profile', 'acme', '--json'], {env})
    expect(parseJson(doctor).profile).toBe('acme')
    expect(doctor.exitCode).toBe(0)
  })

  it("a hand-off from a running sandbox's config names its admin profile, which reaches the same sandbox", async () => {
    const support = await runCommand(
      ['trace', 'customer', '10042', '--config', running.configPath, '--profile', 'sandbox-acme-support'],
      {tty},
    )
    expect(support.stdout).toMatch(
      /Paste this into the ticket:\n {2}synctrace sync customer 10042 --profile sandbox-acme\n/,
    )
    expect(support.stdout).not.toContain('--sandbox')
    const handedOff = await runCommand(
      ['sync', 'customer', '10042', '--profile', 'sandbox-acme', '--yes', '--dry-run'],
      {env: {SYNCTRACE_CONFIG: running.configPath}},
    )
    expect(handedOff.exitCode, handedOff.stderr).toBe(0)
    expect(handedOff.stdout).toContain(`Dry run: would start a targeted CMS sync of customer 10042`)
    expect(handedOff.stdout).toContain(admin().cms.url)
  })
})
