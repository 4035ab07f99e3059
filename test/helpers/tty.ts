import {spawn, spawnSync} from 'node:child_process'

import {binRun, projectRoot} from './cli.js'

export const hasScript = spawnSync('script', ['--version']).status === 0

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), so prompts appear; each answer is typed when
 * its prompt text has been seen on the screen.
 */
export function runInTty(
  args: string[],
  answers: Array<{when: string; type: string}>,
  env: Record<string, string> = {},
): Promise<{exitCode: number | null; screen: string}> {
  return new Promise((resolve, reject) => {
    // A wide terminal, so that prompts are not wrapped.
    const command = `stty cols 200 rows 50; ${[process.execPath, binRun, ...args].map(quote).join(' ')}`
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: projectRoot,
      env: {...process.env, ...env},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let screen = ''
    const pending = [...answers]
    const onData = (chunk: string) => {
      screen += chunk
      while (pending[0] && screen.includes(pending[0].when)) child.stdin.write((pending.shift() as {type: string}).type)
    }
    // A decoder per stream: a chunk may end inside a multi-byte character.
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no exit within 40 s; screen so far:\n${screen}`))
    }, 40_000)
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      // eslint-disable-next-line no-control-regex
      resolve({exitCode, screen: screen.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '')})
    })
  })
}
