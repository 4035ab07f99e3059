import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('synctrace status <id>: every kind of job synctrace starts', () => {
  let running: RunningSandbox
  let dir: string
  const env = () => ({SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl')})
  beforeAll(async () => {
    running = await startTestSandbox()
    dir = await mkdtemp(join(tmpdir(), 'synctrace-status-'))
  })
  afterAll(async () => {
    await running.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it('looks up a sync job (j-…), an app refresh (rr-…) and a webshop republish (rp-…), as audit lists them', async () => {
    await runCommand(['sync', 'customer', '10050', ...running.flags(), '--yes'], {env: env()})
    await runCommand(['refresh', 'app', '--user', 'u-17', ...running.flags(), '--yes'], {env: env()})
    await runCommand(['refresh', 'webshop', 'customer', '10090', ...running.flags(), '--yes'], {env: env()})
    const ids = parseJson(await runCommand(['audit', '--json'], {env: env()})).entries.map(
      (entry: {jobId: string}) => entry.jobId,
    )
    expect(ids).toEqual([expect.stringMatching(/^j-/), expect.stringMatching(/^rr-/), expect.stringMatching(/^rp-/)])
    for (const id of ids) {
      const status = await runCommand(['status', id, ...running.flags(), '--json'])
      expect(status.exitCode).toBe(0)
      expect(parseJson(status)).toMatchObject({jobId: id})
    }
    const text = await runCommand(['status', ids[1], ...running.flags()])
    expect(text.stdout).toMatch(/^App refresh rr-\d+: done · finished \d{4}-\d\d-\d\d \d\d:\d\d \([+-]\d\d:\d\d\)/)
    // `sync status` stays as an alias.
    const alias = await runCommand(['sync', 'status', ids[0], ...running.flags()])
    expect(alias.exitCode).toBe(0)
    expect(alias.stdout).toMatch(/^Job j-\d+: succeeded/)
  })

  it('an unknown id is exit 2 naming the id', async () => {
    const missing = await runCommand(['status', 'rr-999', ...running.flags()])
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain('The app backend has no job rr-999')
    const odd = await runCommand(['status', 'x-1', ...running.flags()])
    expect(odd.exitCode).toBe(2)
    expect(odd.stderr).toContain('sync jobs are j-')
  })

  it('a job of a --sandbox command: status says that sandbox lived for one command, audit says so too', async () => {
    const fixed = await runCommand(['sync', 'customer', '10050', '--sandbox', '--yes', '--json'], {env: env()})
    const jobId = parseJson(fixed).results[0].job.id as string
    expect(jobId).toMatch(/^j-/)
    const status = await runCommand(['status', jobId, '--sandbox'], {env: env()})
    expect(status.exitCode).toBe(2)
    expect(status.stderr).toContain(`The CMS has no job ${jobId}: a --sandbox installation lives for one command only`)
    expect(status.stderr).toContain('synctrace audit lists what that command did')
    expect(status.stderr).toContain('synctrace sandbox --write-config <path>')
    const audit = await runCommand(['audit'], {env: env()})
    // Only that job: the jobs the first test started through the running sandbox's profile live on.
    expect(audit.stdout).toContain(`Note: ${jobId} ran on a --sandbox installation, which lives for one command only`)
    expect(audit.stdout).toContain('synctrace sandbox --write-config <path>')
  })

  it('a --sandbox job still running when the command stops waiting: says it ends with the command, not "check it later"', async () => {
    const result = await runCommand(['sync', 'customers', '--full', '--sandbox', '--yes', '--wait', '1'], {
      env: {...env(), SYNCTRACE_SANDBOX_TIME_SCALE: '1'},
    })
    expect(result.exitCode).toBe(6)
    expect(result.stdout).toMatch(/j-\d+ ran on a --sandbox installation, which ends with this command/)
    expect(result.stdout).toContain('synctrace sandbox --write-config <path>')
    expect(result.stdout).not.toContain('check it later')
  })
})
