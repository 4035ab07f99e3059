import {spawn} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {binRun, projectRoot, runCli} from '../helpers/cli.js'
import {type HostileBattery, startHostileBattery} from '../helpers/hostile-battery.js'

/**
 * The hostile battery's one case that needs a process of its own: kill -9 while a POST is in flight. The
 * rest of the battery runs in process (test/cmd/hostile-battery.test.ts).
 */
describe('hostile battery', () => {
  let battery: HostileBattery
  beforeAll(async () => {
    battery = await startHostileBattery()
  }, 60_000)
  afterAll(async () => {
    await battery?.stop()
  })

  it('kill -9 while the POST is in flight leaves a started entry whose key resumes it', async () => {
    battery.world.mode = 'hang-post'
    const postsBefore = battery.posts().length
    const child = spawn(
      process.execPath,
      [binRun, 'sync', 'customer', '10050', '--profile', 'acme', '--yes', '--config', battery.configPath],
      {
        cwd: projectRoot,
        env: {...process.env, NO_COLOR: '1', SYNCTRACE_AUDIT_LOG: battery.auditLog},
        stdio: 'ignore',
      },
    )
    const deadline = Date.now() + 20_000
    while (battery.posts().length === postsBefore && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50))
    child.kill('SIGKILL')
    await new Promise((resolve) => child.on('exit', resolve))
    const key = battery.posts().at(-1)?.idempotencyKey
    expect(key).toBeTruthy()
    battery.world.mode = 'strings'
    const listed = await runCli(['audit', '--json'], {env: {SYNCTRACE_AUDIT_LOG: battery.auditLog}})
    const entries = JSON.parse(listed.stdout).entries as Array<{outcome: string; idempotencyKey: string | null}>
    expect(entries).toContainEqual(expect.objectContaining({idempotencyKey: key, outcome: 'started'}))
  }, 60_000)
})
