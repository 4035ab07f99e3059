import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {checkAdf} from '../../dist/connectors/helpdesk/adf.js'
import {describeSandbox, writeSandboxConfig} from '../../dist/sandbox/describe.js'
import {startSandbox} from '../../dist/sandbox/sandbox.js'
import {parseJson} from '../helpers/cli.js'
import {fastPollClock, runCommand} from '../helpers/run-command.js'
import {testTimeScale} from '../helpers/sandbox.js'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
type System = 'zendesk' | 'freshdesk' | 'jira'
interface StoredComment {
  internal: boolean
  text: string
  html: string | null
  adf: unknown
  properties: Array<{key: string; value: unknown}>
}

/** Raw control characters (newline and tab allowed). */
const rawControl = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/

/** A secret of another profile in the same config: registered for redaction, and planted in a ticket's subject. */
const canary = 'canary-7Hq2xZp9Lk4Vw'

/** Every text node of an ADF document. */
function adfTexts(node: unknown): string[] {
  const entry = node as {text?: string; content?: unknown[]}
  return [...(entry.text === undefined ? [] : [entry.text]), ...(entry.content ?? []).flatMap(adfTexts)]
}

describe.each(['zendesk', 'freshdesk', 'jira'] as const)('synctrace ticket on %s', (system: System) => {
  let sandbox: Sandbox
  let dir: string
  let configPath: string
  const id = (ticket: number) => (system === 'jira' ? `SUP-${ticket}` : String(ticket))
  const comments = (ticket: number): StoredComment[] =>
    sandbox.helpdesk(system).state.tickets.find((entry: {id: number}) => entry.id === ticket)?.comments ?? []
  const ticket = (args: string[]) =>
    runCommand(['ticket', ...args, '--config', configPath, '--profile', 'sandbox-acme'], {env: {}})
  /** What the helpdesk shows of a note, as rendered: the HTML (Zendesk, Freshdesk) or the ADF's text (Jira). */
  const rendered = (note: StoredComment) => (system === 'jira' ? adfTexts(note.adf).join('\n') : (note.html ?? ''))

  beforeAll(async () => {
    sandbox = await startSandbox({installations: ['acme'], timeScale: testTimeScale})
    dir = await mkdtemp(join(tmpdir(), 'synctrace-ticket-'))
    configPath = join(dir, 'config.json')
    await writeSandboxConfig(configPath, describeSandbox(sandbox, system))
    const config = JSON.parse(await readFile(configPath, 'utf8'))
    config.profiles['other-installation'] = {
      ...config.profiles['sandbox-acme'],
      helpdesk: {system: 'zendesk', token: canary, url: 'https://other.zendesk.example'},
    }
    await writeFile(configPath, JSON.stringify(config))
    const planted = sandbox.helpdesk(system).state.tickets.find((entry: {id: number}) => entry.id === 4711)
    planted.subject = `${planted.subject} (token ${canary}\u0007)`
  }, 60_000)
  afterAll(async () => {
    await sandbox?.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it('ticket 4711 --post finds customer 10042 and order A-2003, traces both, and adds exactly one internal note that renders', async () => {
    const before = comments(4711).length
    const result = await ticket([id(4711), '--post', '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(3)
    expect(report.ticket).toMatchObject({id: id(4711), organization: 'Acme AB', system})
    expect(report.records.map((record: {entity: string; key: string}) => `${record.entity} ${record.key}`)).toEqual([
      'customer 10042',
      'order A-2003',
    ])
    expect(report.records[0].report.verdict.cause).toBe('erp-changed-after-sync')
    expect(report.post).toMatchObject({changes: [], status: 'posted', ticket: id(4711)})
    expect(comments(4711)).toHaveLength(before + 1)
    const note = comments(4711).at(-1) as StoredComment
    expect(note.internal).toBe(true)
    if (system === 'jira') {
      expect(checkAdf(note.adf)).toEqual([])
      expect(note.properties).toContainEqual({key: 'sd.public.comment', value: {internal: true}})
    } else expect(note.html).toMatch(/<h3>synctrace: ticket <code>4711<\/code><\/h3>[\s\S]*<table>/)
    expect(rendered(note)).toContain('customer 10042: ERP → CMS: stale (erp-changed-after-sync)')
    expect(note.text).toContain(report.post.marker)
    // No secret (another profile's token, planted in the subject), no control byte, no local path.
    expect(`${note.text}${rendered(note)}`).not.toContain(canary)
    expect(rendered(note)).toContain('(token ***')
    expect(`${note.text}${rendered(note)}`).not.toMatch(rawControl)
    expect(`${note.text}${rendered(note)}`).not.toContain(dir)
  })

  it('run again, it posts nothing and says the report is already on the ticket', async () => {
    const before = comments(4711).length
    const result = await ticket([id(4711), '--post'])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain(`already on the ticket ${id(4711)}`)
    expect(comments(4711)).toHaveLength(before)
  })

  it('after the verdict changed (a targeted sync of 10042), it posts a second note naming the change', async () => {
    const synced = await runCommand([
      'sync',
      'customer',
      '10042',
      '--yes',
      '--config',
      configPath,
      '--profile',
      'sandbox-acme',
    ])
    // The sync worked; the break moved downstream (the app's devices), so the sync's own trace still exits 3.
    expect(synced.stdout).toContain('succeeded')
    const before = comments(4711).length
    const report = parseJson(await ticket([id(4711), '--post', '--json']))
    expect(report.post.status).toBe('posted')
    expect(report.post.changes).toEqual([
      'customer 10042: ERP → CMS: stale (erp-changed-after-sync) → CMS → App: stale (device-not-refreshed)',
    ])
    expect(comments(4711)).toHaveLength(before + 1)
    expect(rendered(comments(4711).at(-1) as StoredComment)).toContain("Changed since synctrace's previous note")
  })

  it('the hostile ticket 4715 injects nothing into the note: no HTML, no ADF of its making, no control byte', async () => {
    const result = await ticket([id(4715), '--post', '--json'])
    const report = parseJson(result)
    // A marker a requester wrote in a public comment is not synctrace's note.
    expect(report.post.status).toBe('posted')
    expect(report.records.map((record: {key: string}) => record.key)).toEqual(['10042'])
    const note = comments(4715).at(-1) as StoredComment
    expect(note.internal).toBe(true)
    if (system === 'jira') {
      expect(checkAdf(note.adf)).toEqual([])
      expect(JSON.stringify(note.adf)).not.toContain('evil.example"}')
    } else expect(note.html).not.toMatch(/<script|<img|<b>|href=/i)
    expect(`${note.text}${rendered(note)}`).not.toMatch(rawControl)
  })

  it('ticket 4713 names nothing traceable: it says so with the rejected candidates, and --post notes that', async () => {
    const result = await ticket([id(4713), '--post', '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(0)
    expect(report.records).toEqual([])
    expect(report.rejected).toContainEqual({
      candidate: '5.12.0',
      reason: 'a version or decimal number, not a record code',
      unchecked: false,
    })
    expect(rendered(comments(4713).at(-1) as StoredComment)).toContain('No record of this installation is named')
    const terminal = await ticket([id(4713)])
    expect(terminal.stdout).toContain('5.12.0: a version or decimal number, not a record code')
  })

  it('a ticket that does not exist exits 2, bad credentials exit 2, a rate limit beyond the wait exits 4', async () => {
    const missing = await ticket([id(9999)])
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain(`ticket ${id(9999)} was not found`)
    const state = sandbox.helpdesk(system).state
    state.forceRateLimit = {retryAfterSeconds: 3600, times: 50}
    const limited = await ticket([id(4711)])
    state.forceRateLimit = null
    expect(limited.exitCode).toBe(4)
    expect(limited.stderr).toMatch(/rate|limit/i)
    const token = state.token
    state.token = 'rotated-elsewhere'
    const refused = await ticket([id(4711)])
    state.token = token
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain('helpdesk.token')
  })
})

describe.each(['zendesk', 'freshdesk', 'jira'] as const)('a note %s refuses', (system: System) => {
  let sandbox: Sandbox
  let dir: string
  let configPath: string
  const ticketId = system === 'jira' ? 'SUP-4712' : '4712'
  beforeAll(async () => {
    sandbox = await startSandbox({installations: ['acme'], timeScale: testTimeScale})
    dir = await mkdtemp(join(tmpdir(), 'synctrace-refused-'))
    configPath = join(dir, 'config.json')
    await writeSandboxConfig(configPath, describeSandbox(sandbox, system))
  }, 60_000)
  afterAll(async () => {
    await sandbox?.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it.each([
    ['forbidden', /403/, "Use an agent's API token that may see the ticket and add internal notes."],
    ['invalid', system === 'zendesk' ? /422/ : /400/, 'Run again with --debug to see what the helpdesk refused.'],
  ] as const)(
    'refused as %s: ticket --post and trace --post exit 5 with one line of cause and one of what to do, and no note is added',
    async (refusal, status, fix) => {
      const state = sandbox.helpdesk(system).state
      const notes = () => state.tickets.find((entry: {id: number}) => entry.id === 4712).comments.length
      const before = notes()
      state.refuseNotes = refusal
      const on = ['--config', configPath, '--profile', 'sandbox-acme']
      const results = [
        await runCommand(['ticket', ticketId, '--post', ...on], {env: {}}),
        await runCommand(['trace', 'customer', '10042', '--post', ticketId, ...on], {env: {}}),
      ]
      state.refuseNotes = null
      for (const result of results) {
        expect(result.exitCode, result.stderr).toBe(5)
        const lines = result.stderr.trim().split('\n')
        expect(lines).toHaveLength(2)
        expect(lines[0]).toMatch(new RegExp(`Could not add the note to ticket ${ticketId}: .*HTTP ${status.source}`))
        expect(lines[0]).not.toMatch(/\.\.$/)
        expect(lines[1]).toContain(fix)
      }
      expect(notes()).toBe(before)
    },
  )
})

describe('which installation a ticket is about', () => {
  let sandbox: Sandbox
  let dir: string
  let configPath: string
  beforeAll(async () => {
    sandbox = await startSandbox({installations: ['acme'], timeScale: testTimeScale})
    dir = await mkdtemp(join(tmpdir(), 'synctrace-routes-'))
    configPath = join(dir, 'config.json')
    await writeSandboxConfig(configPath, describeSandbox(sandbox))
    const config = JSON.parse(await readFile(configPath, 'utf8'))
    config.helpdeskRoutes = [
      {organization: 'acme ab', profile: 'sandbox-acme-support'},
      {domain: 'evil.example', profile: 'sandbox-acme'},
    ]
    await writeFile(configPath, JSON.stringify(config))
  }, 60_000)
  afterAll(async () => {
    await sandbox?.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it("the config's helpdeskRoutes: by the ticket's organization, else the requester's e-mail domain, else a usage error", async () => {
    const byOrganization = parseJson(await runCommand(['ticket', '4711', '--config', configPath, '--json']))
    expect(byOrganization).toMatchObject({profile: 'sandbox-acme-support', routedBy: 'organization'})
    const byDomain = parseJson(await runCommand(['ticket', '4715', '--config', configPath, '--json']))
    expect(byDomain).toMatchObject({profile: 'sandbox-acme', routedBy: 'domain'})
    const unrouted = await runCommand(['ticket', '4714', '--config', configPath])
    expect(unrouted.exitCode).toBe(2)
    expect(unrouted.stderr).toContain('No helpdeskRoutes entry matches ticket 4714 (organization "Nordic Hardware AB"')
  })

  it('trace customer 10042 --post 4711 adds the trace as one internal note, once', async () => {
    const args = ['trace', 'customer', '10042', '--config', configPath, '--profile', 'sandbox-acme', '--post', '4711']
    const first = await runCommand([...args, '--json'])
    expect(parseJson(first).post).toMatchObject({status: 'posted', ticket: '4711'})
    const again = await runCommand(args)
    expect(again.stderr).toContain('already on the ticket 4711')
    const notes = sandbox
      .helpdesk('zendesk')
      .state.tickets.find((entry: {id: number}) => entry.id === 4711)
      .comments.filter((comment: StoredComment) => comment.internal && comment.text.includes('synctrace:v1:'))
    expect(notes).toHaveLength(1)
    expect(notes[0].html).toContain('customer <code>10042</code>')
  })

  it('trace --fix --yes --post: the note says what was done and verified, with the job ids and before → after', async () => {
    // The trace's note before the fix (posted now, or already there from the test before).
    await runCommand([
      'trace',
      'customer',
      '10042',
      '--config',
      configPath,
      '--profile',
      'sandbox-acme',
      '--post',
      '4711',
    ])
    const result = await runCommand(
      [
        'trace',
        'customer',
        '10042',
        '--config',
        configPath,
        '--profile',
        'sandbox-acme',
        '--fix',
        '--yes',
        '--post',
        '4711',
        '--json',
      ],
      {clock: fastPollClock, env: {SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl')}},
    )
    const report = parseJson(result)
    expect(report.fix.consistent).toBe(true)
    expect(report.post.status).toBe('posted')
    const note = sandbox
      .helpdesk('zendesk')
      .state.tickets.find((entry: {id: number}) => entry.id === 4711)
      .comments.at(-1) as StoredComment
    expect(note.text).toContain('Done by synctrace')
    for (const step of report.fix.steps) expect(note.text).toContain(step.job.id)
    expect(note.text).toContain('ERP → CMS: stale → CMS → App: stale')
    expect(note.text).toContain('Verified: consistent at every hop.')
    expect(report.post.changes).toEqual([
      'customer 10042: ERP → CMS: stale (erp-changed-after-sync) → consistent everywhere (consistent)',
    ])
  })
})
