import {spawn} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {binRun} from '../helpers/cli.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

/** A spawned trace: what it printed, when it last printed and when the process was gone (ms, this process's clock). */
function traceSpawned(
  args: string[],
): Promise<{code: number | null; stdout: string; lastOutput: number; exited: number}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binRun, ...args], {
      env: {...process.env, NO_COLOR: '1'},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let lastOutput = 0
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      lastOutput = performance.now()
    })
    child.stderr.on('data', () => {
      lastOutput = performance.now()
    })
    child.on('error', reject)
    child.on('exit', (code) => resolve({code, exited: performance.now(), lastOutput, stdout}))
  })
}

// The hang bound's smoke test: after a hop hung until --timeout, the spawned process exits as soon as its
// output is written; no socket of the hanging server holds it. Measured from its last output to its exit (a
// busy machine's slow start does not count). Without that, the hanging server would hold the process until the
// sandbox stops; the bound is loose so a loaded machine cannot fail it (the figures: npm run bench:deadline).
describe('a spawned trace with a hanging hop', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox()
    await running.sandbox.setFault('acme', 'cms', {kind: 'hang'})
  })
  afterAll(async () => {
    await running.stop()
  })

  it('prints the report naming the timeout and exits at once after it', async () => {
    const run = await traceSpawned(['trace', 'customer', '10042', ...running.flags(), '--timeout', '1', '--json'])
    expect(run.code).toBe(4)
    const report = JSON.parse(run.stdout)
    expect(report.hops.find((hop: {hop: string}) => hop.hop === 'cms').problem.kind).toBe('timeout')
    expect(run.exited - run.lastOutput).toBeLessThanOrEqual(5000)
  })
})
