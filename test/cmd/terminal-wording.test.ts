import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {ctrlC, runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

// On a terminal, in process: every stream reports a terminal of `columns` columns; the answers are scripted.
const tty = {stderr: true, stdin: true, stdout: true}
const columns = 60
/** What a terminal shows of a line: no colour codes, and only what follows the last carriage return. */
const visible = (line: string) =>
  Array.from(
    line
      .replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '')
      .split('\r')
      .at(-1) ?? '',
  )
const overWidth = (text: string) => text.split('\n').filter((line) => visible(line).length > columns)

describe('the fix loop, status and audit on a narrow terminal', () => {
  let running: RunningSandbox
  let dir: string
  let env: Record<string, string>
  beforeAll(async () => {
    running = await startTestSandbox()
    dir = await mkdtemp(join(tmpdir(), 'synctrace-wording-'))
    env = {SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl')}
  })
  afterAll(async () => {
    await running.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it("wraps the fix loop's result and summary to the terminal's width", async () => {
    const result = await runCommand(['trace', 'customer', '10042', ...running.flags(), '--no-color'], {
      answers: ['run', 'run'],
      columns,
      env,
      tty,
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/Done: start a targeted CMS sync of customer 10042/)
    expect(result.stdout).toContain('is consistent at every hop after 2 steps.')
    expect(overWidth(result.stdout)).toEqual([])
  })

  it('says "Interrupted at the prompt" once, as a sentence, after Ctrl-C at the confirmation', async () => {
    const result = await runCommand(['trace', 'customer', '10090', ...running.flags(), '--fix', '--no-color'], {
      answers: [ctrlC],
      columns,
      env,
      tty,
    })
    expect(result.exitCode).toBe(130)
    expect(result.stdout).toContain('Interrupted at the prompt (Ctrl-C); nothing was sent.')
    expect(result.stdout + result.stderr).not.toMatch(/interrupted:? interrupted/i)
  })

  it('shows a fix declined at the offer as not sent to the CMS, never as CMS user "?"', async () => {
    const auditLog = join(dir, 'declined.jsonl')
    await runCommand(['trace', 'customer', '10090', ...running.flags(), '--no-color'], {
      answers: [ctrlC],
      env: {SYNCTRACE_AUDIT_LOG: auditLog},
      tty,
    })
    const audit = await runCommand(['audit', '--no-color'], {env: {SYNCTRACE_AUDIT_LOG: auditLog}, tty})
    expect(audit.stdout).toContain('declined')
    expect(audit.stdout).toContain('not sent to the CMS (role admin)')
    expect(audit.stdout).not.toMatch(/· \? \(/)
  })
  it('names a finished webshop republish once: "done · finished <time>", never "done · done"', async () => {
    const republished = parseJson(
      await runCommand(['refresh', 'webshop', 'customer', '10090', ...running.flags(), '--yes', '--json'], {env}),
    )
    const id = republished.job?.id ?? republished.results?.[0]?.job?.id
    expect(id).toMatch(/^rp-/)
    const status = await runCommand(['status', id, ...running.flags(), '--no-color'], {columns, env, tty})
    expect(status.stdout).toMatch(/: done · finished \d{4}-\d{2}-\d{2} /)
    expect(status.stdout).not.toContain('done · done')
  })
})

describe("doctor's problems on an 80-column terminal", () => {
  // Its table has five fixed columns: 80 is the narrowest width it fits.
  const doctorColumns = 80
  const overDoctorWidth = (text: string) => text.split('\n').filter((line) => visible(line).length > doctorColumns)
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['acme', 'nordic-stale'])
  })
  afterAll(async () => {
    await running.stop()
  })

  it('names who acts on a stopped export and what they do (the cause table), wrapped to the width', async () => {
    const result = await runCommand(['doctor', ...running.flags('nordic-stale'), '--no-color'], {
      columns: doctorColumns,
      tty,
    })
    expect(result.exitCode).toBe(3)
    expect(overDoctorWidth(result.stdout)).toEqual([])
    const joined = result.stdout.replace(/ \\\n +/g, ' ').replace(/\n +/g, ' ')
    expect(joined).toContain(
      "- ftp: customers.csv was last written 3 days ago although the CMS syncs every 24 h: the ERP's export job has stopped who: IT partner · Contact the IT partner: the ERP export job has stopped writing the file",
    )
    // Information about which files were read is no problem.
    expect(result.stdout).toMatch(/^1 problem:$/m)
    const report = parseJson(await runCommand(['doctor', ...running.flags('nordic-stale'), '--json']))
    expect(report.advice).toEqual([expect.objectContaining({cause: 'export-stale', owner: 'it-partner'})])
    expect(report.problems).toEqual([report.advice[0].problem])
  })

  it('gives an overdue sync to an admin with the full sync command', async () => {
    const state = running.sandbox.installation('acme').state
    const saved = state.cms.runs
    state.cms.runs = saved.filter((run: {entity: string}) => run.entity !== 'stock')
    try {
      const result = await runCommand(['doctor', ...running.flags(), '--no-color'], {columns: doctorColumns, tty})
      expect(overDoctorWidth(result.stdout)).toEqual([])
      const joined = result.stdout.replace(/ \\\n +/g, ' ').replace(/\n +/g, ' ')
      expect(joined).toContain(
        '- sync: no successful full or automatic stock sync in the recent runs who: admin · Start a full stock sync (admin)',
      )
      expect(joined).toMatch(/\$ synctrace sync stock --full --config \S+ --profile sandbox-acme/)
    } finally {
      state.cms.runs = saved
    }
  })

  it('names platform support for an unreachable platform service', async () => {
    await running.sandbox.setFault('acme', 'app', {kind: 'down'})
    try {
      const report = parseJson(await runCommand(['doctor', ...running.flags(), '--json']))
      expect(report.exitCode).toBe(4)
      expect(report.advice).toEqual([
        expect.objectContaining({
          cause: 'hop-unreachable',
          owner: 'platform-support',
          problem: expect.stringMatching(/^app: /),
        }),
      ])
    } finally {
      await running.sandbox.setFault('acme', 'app', null)
    }
  })
})
