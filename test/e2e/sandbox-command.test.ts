import {spawn} from 'node:child_process'
import {mkdtemp, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {binRun, parseJson, runCli} from '../helpers/cli.js'

describe('synctrace sandbox in the foreground', () => {
  it('prints its URLs and tokens, writes a 0600 config that other commands use, and stops on SIGINT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synctrace-sandbox-'))
    const configPath = join(dir, 'sandbox.json')
    // Its state file goes to this test's folder, never the real ~/.cache.
    const env = {...process.env, XDG_CACHE_HOME: join(dir, 'cache')}
    const child = spawn(process.execPath, [binRun, 'sandbox', '--json', '--write-config', configPath], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let buffer = ''
        child.stdout.on('data', (chunk) => {
          buffer += chunk
          if (buffer.includes('\n')) resolve(buffer.slice(0, buffer.indexOf('\n')))
        })
        child.on('exit', (code) => reject(new Error(`sandbox exited early with ${code}`)))
      })
      const description = JSON.parse(firstLine)
      const acme = description.installations.find((installation: {id: string}) => installation.id === 'acme')
      expect(Object.keys(acme.urls).sort()).toEqual(['app', 'cms', 'erp', 'webshop'])
      expect(acme.urls.cms).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(acme.tokens.admin).not.toBe(acme.tokens.support)
      expect(acme.scenarios.map((scenario: {code: string}) => scenario.code)).toContain('10042')
      expect((await stat(configPath)).mode & 0o777).toBe(0o600)

      const result = await runCli(['trace', 'customer', '10042', '--config', configPath, '--json'], {
        env: {XDG_CACHE_HOME: env.XDG_CACHE_HOME},
      })
      expect(parseJson(result).verdict.cause).toBe('erp-changed-after-sync')

      const exitCode = await new Promise<number | null>((resolve) => {
        child.removeAllListeners('exit')
        child.on('exit', resolve)
        child.kill('SIGINT')
      })
      expect(exitCode).toBe(0)
    } finally {
      child.kill('SIGKILL')
      await rm(dir, {force: true, recursive: true})
    }
  })
})
