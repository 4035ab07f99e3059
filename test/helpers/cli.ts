import {spawn} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const binRun = join(projectRoot, 'bin', 'run.js')

export interface CliResult {
  exitCode: number | null
  stdout: string
  stderr: string
}

/** Runs the built CLI (bin/run.js) as a user would, without a TTY and without colour unless asked. */
export function runCli(
  args: string[],
  options: {env?: Record<string, string | undefined>; timeoutMs?: number} = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // A wide OCLIF_COLUMNS keeps oclif from wrapping error lines, so assertions can read whole sentences.
    // Every report a test produces is checked against the report invariants (src/report/invariants.ts).
    const env: Record<string, string | undefined> = {
      ...process.env,
      FORCE_COLOR: undefined,
      NO_COLOR: '1',
      OCLIF_COLUMNS: '400',
      SYNCTRACE_CHECK_INVARIANTS: '1',
      ...options.env,
    }
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name]
    const child = spawn(process.execPath, [binRun, ...args], {
      cwd: projectRoot,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    // A decoder per stream: a chunk may end inside a multi-byte character.
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(`synctrace ${args.join(' ')} did not finish within ${options.timeoutMs ?? 45_000} ms\n${stderr}`),
      )
    }, options.timeoutMs ?? 45_000)
    child.on('error', reject)
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      resolve({exitCode, stderr, stdout})
    })
  })
}

export function parseJson<T = any>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.exitCode}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`)
  }
}
