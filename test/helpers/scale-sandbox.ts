import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {binRun, projectRoot} from './cli.js'

export interface ScaleSandbox {
  configPath: string
  dir: string
  /** The planted findings per installation, entity, pair of hops and class. */
  planted: Record<string, Record<string, Record<string, Record<string, number>>>>
  /** The planted price classes per installation and pair of hops (`plantedPrices`). */
  plantedPrices: Record<string, Record<string, Record<string, number>>>
  flags(installation?: string, role?: 'admin' | 'support'): string[]
  /** XDG folders and the audit log inside the test's own folder. */
  env: Record<string, string>
  stop(): Promise<void>
}

/** Runs `synctrace sandbox --scale N` in its own process (as a user would) and reads what it prints. */
export async function startScaleSandbox(
  records: number,
  installations: string[] = ['scale', 'scale-ftp'],
): Promise<ScaleSandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'synctrace-reconcile-'))
  const configPath = join(dir, 'config.json')
  const env = {
    SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [
      binRun,
      'sandbox',
      '--scale',
      String(records),
      ...installations.flatMap((id) => ['--installation', id]),
      '--write-config',
      configPath,
      '--json',
    ],
    {cwd: projectRoot, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']},
  )
  const description = await new Promise<{
    installations: Array<{
      id: string
      planted: ScaleSandbox['planted'][string]
      plantedPrices: ScaleSandbox['plantedPrices'][string]
    }>
  }>((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`the scale sandbox did not start within 60 s: ${err}`)), 60_000)
    child.stdout?.setEncoding('utf8')
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk) => (err += chunk))
    child.stdout?.on('data', (chunk) => {
      out += chunk
      const line = out.split('\n').find((candidate) => candidate.trim().startsWith('{'))
      if (line && out.includes('\n')) {
        clearTimeout(timer)
        resolve(JSON.parse(line))
      }
    })
    child.on('exit', (code) => reject(new Error(`the scale sandbox exited (${code}): ${err}`)))
  })
  return {
    configPath,
    dir,
    env,
    flags: (installation = installations[0] ?? 'scale', role = 'admin') => [
      '--config',
      configPath,
      '--profile',
      role === 'admin' ? `sandbox-${installation}` : `sandbox-${installation}-support`,
    ],
    planted: Object.fromEntries(
      description.installations.map((installation) => [installation.id, installation.planted]),
    ),
    plantedPrices: Object.fromEntries(
      description.installations.map((installation) => [installation.id, installation.plantedPrices]),
    ),
    stop: async () => {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGINT')
        setTimeout(() => child.kill('SIGKILL'), 5000).unref()
      })
      await rm(dir, {force: true, recursive: true})
    },
  }
}
