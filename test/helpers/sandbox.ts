import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describeSandbox, writeSandboxConfig} from '../../dist/sandbox/describe.js'
import {HttpClient} from '../../dist/http/client.js'
import {startSandbox} from '../../dist/sandbox/sandbox.js'

/** The HTTP client of library calls in tests (a command's run builds its own). */
export const testHttp = new HttpClient()

type Sandbox = Awaited<ReturnType<typeof startSandbox>>

export interface RunningSandbox {
  sandbox: Sandbox
  configPath: string
  /** CLI flags that point a command at this sandbox's installation. */
  flags(installation?: string): string[]
  stop(): Promise<void>
}

/**
 * The time scale of a test sandbox: its jobs, device refreshes and republishes take a hundredth of what a
 * user waits in `--sandbox`, so a fix is waited for in milliseconds. A spawned `--sandbox` gets it through
 * `SYNCTRACE_SANDBOX_TIME_SCALE` (`fastSandboxEnv`).
 */
export const testTimeScale = 0.01

/** The environment that makes a spawned CLI's `--sandbox` as fast as a test sandbox. */
export const fastSandboxEnv = {SYNCTRACE_SANDBOX_TIME_SCALE: String(testTimeScale)}

/**
 * Starts the built sandbox in this process and writes a config file that points the CLI at it. Its jobs run
 * at `testTimeScale` unless `timeScale` says otherwise (1: a user's pace).
 */
export async function startTestSandbox(
  installations: string[] = ['acme'],
  options: {timeScale?: number} = {},
): Promise<RunningSandbox> {
  const sandbox = await startSandbox({installations, timeScale: options.timeScale ?? testTimeScale})
  const dir = await mkdtemp(join(tmpdir(), 'synctrace-test-'))
  const configPath = join(dir, 'config.json')
  await writeSandboxConfig(configPath, describeSandbox(sandbox))
  return {
    configPath,
    flags: (installation = installations[0] ?? 'acme') => [
      '--config',
      configPath,
      '--profile',
      `sandbox-${installation}`,
    ],
    sandbox,
    stop: async () => {
      await sandbox.stop()
      await rm(dir, {force: true, recursive: true})
    },
  }
}
