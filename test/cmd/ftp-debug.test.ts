import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('--debug on file servers', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['nordic'])
  })
  afterAll(async () => {
    await running.stop()
  })

  for (const profile of ['sandbox-nordic', 'sandbox-nordic-ftp', 'sandbox-nordic-ftps'])
    it(`logs every file-server operation of ${profile}, without the password`, async () => {
      const result = await runCommand([
        'trace',
        'customer',
        '20050',
        '--config',
        running.configPath,
        '--profile',
        profile,
        '--debug',
      ])
      expect(result.exitCode).toBe(3)
      const lines = result.stderr
        .split('\n')
        .filter((line) => line.includes('[debug]') && /s?ftps?:\/\/127\.0\.0\.1:\d+:/.test(line))
      expect(lines.some((line) => line.includes('connect and log in as nordic-a4s'))).toBe(true)
      expect(lines.some((line) => /logged in after \d+ ms/.test(line))).toBe(true)
      expect(lines.some((line) => /stat \/a4s\/customers\.csv → \d+ bytes, modified /.test(line))).toBe(true)
      expect(lines.some((line) => line.includes('read /a4s/customers.csv'))).toBe(true)
      expect(lines.some((line) => line.includes('close → closed'))).toBe(true)
      const password = running.sandbox.installation('nordic').state.exports?.password as string
      expect(password.length).toBeGreaterThan(6)
      expect(result.stderr).not.toContain(password)
      expect(result.stdout).not.toContain(password)
    })
})
