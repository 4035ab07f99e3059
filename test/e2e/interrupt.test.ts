import {spawn} from 'node:child_process'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {binRun} from '../helpers/cli.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('Ctrl-C', () => {
  let running: RunningSandbox
  let dir: string
  beforeAll(async () => {
    running = await startTestSandbox()
    dir = await mkdtemp(join(tmpdir(), 'synctrace-int-'))
  })
  afterAll(async () => {
    await running.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it('Ctrl-C while waiting for a job stops waiting, leaves the job running, exits 130 and logs it', async () => {
    const auditLog = join(dir, 'audit.jsonl')
    // The job must still be queued or running when the interrupt comes: at ten times a user's pace it runs
    // about 17 s (the sandbox stops it at the end of the file).
    running.sandbox.installation('acme').jobs.timers.timeScale = 10
    const child = spawn(process.execPath, [binRun, 'sync', 'customers', '--full', '--yes', ...running.flags()], {
      env: {...process.env, NO_COLOR: '1', SYNCTRACE_AUDIT_LOG: auditLog},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let interrupted = false
    child.stdout.on('data', (chunk) => (stdout += chunk))
    const exitCode = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk
        if (!interrupted && /job j-\d+ (queued|running)/.test(stderr)) {
          interrupted = true
          child.kill('SIGINT')
        }
      })
      child.on('exit', (code) => resolve(code))
    })
    expect(exitCode).toBe(130)
    expect(stdout).toMatch(
      /Stopped waiting\. j-\d+ goes on in the platform; check it later with: synctrace status j-\d+/,
    )
    expect(JSON.parse((await readFile(auditLog, 'utf8')).trim())).toMatchObject({outcome: 'interrupted'})
    const job = [...running.sandbox.installation('acme').jobs.cmsJobs.values()][0]
    expect(['queued', 'running']).toContain(job.status)
  })
})
