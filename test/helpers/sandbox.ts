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

/** Starts the built sandbox in this process and writes a config file that points the CLI at it. */
export async function startTestSandbox(installations: string[] = ['acme']): Promise<RunningSandbox> {
  const sandbox = await startSandbox({installations})
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
