import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtemp, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {binRun} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'

// The sandboxes are spawned (each keeps a state file named by its process id); `profile add` runs in process.

/** Starts `synctrace sandbox` in the foreground with a temporary home; resolves with its child once it has described itself. */
async function startSandbox(env: Record<string, string>, installation: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [binRun, 'sandbox', '--json', '--installation', installation], {
    env: {...process.env, ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await new Promise<void>((resolve, reject) => {
    let buffer = ''
    child.stdout?.on('data', (chunk) => {
      buffer += chunk
      if (buffer.includes('\n')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)))
  })
  return child
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit')
    child.on('exit', (code) => resolve(code))
    child.kill('SIGINT')
  })
}

describe('one state file per running sandbox', () => {
  let home: string
  let env: Record<string, string>
  const children: ChildProcess[] = []
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'synctrace-home-'))
    // Never the real ~/.cache or ~/.config.
    env = {
      HOME: home,
      SYNCTRACE_AUDIT_LOG: join(home, 'audit.jsonl'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_CONFIG_HOME: join(home, 'config'),
    }
  })
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL')
    await rm(home, {force: true, recursive: true})
  })

  it('two sandboxes keep a file each; stopping one leaves the other findable', async () => {
    const acme = await startSandbox(env, 'acme')
    children.push(acme)
    const nordic = await startSandbox(env, 'nordic')
    children.push(nordic)
    const folder = join(home, 'cache', 'synctrace', 'sandboxes')
    expect((await readdir(folder)).sort()).toEqual([`${acme.pid}.json`, `${nordic.pid}.json`].sort())

    // Each sandbox's installation is found, whichever started last.
    expect((await runCommand(['profile', 'add', '--from-sandbox', 'acme', '--no-input'], {env})).exitCode).toBe(0)
    expect((await runCommand(['profile', 'add', '--from-sandbox', 'nordic', '--no-input'], {env})).exitCode).toBe(0)

    expect(await stop(acme)).toBe(0)
    expect(await readdir(folder)).toEqual([`${nordic.pid}.json`])
    const again = await runCommand(['profile', 'add', 'nordic-again', '--from-sandbox', 'nordic', '--no-input'], {env})
    expect(again.exitCode, again.stderr).toBe(0)
    const gone = await runCommand(['profile', 'add', 'acme-again', '--from-sandbox', 'acme', '--no-input'], {env})
    expect(gone.exitCode).toBe(2)
    expect(gone.stderr).toContain('No running sandbox has an installation "acme"')

    expect(await stop(nordic)).toBe(0)
    expect(await readdir(folder)).toEqual([])
    const none = await runCommand(['profile', 'add', 'nordic-3', '--from-sandbox', 'nordic', '--no-input'], {env})
    expect(none.stderr).toContain('No running synctrace sandbox was found')
  })
})
