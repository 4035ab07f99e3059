import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('FTPS to an IP address', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['nordic'])
  })
  afterAll(async () => {
    await running.stop()
  })

  // SNI takes host names only: Node warns (DEP0123) when servername is an IP address.
  // Retried for the sandbox FTPS server's known flake under overlapping sessions (test/helpers/layout-installation.ts).
  it('prints no Node warning (DEP0123) on a trace over FTPS to 127.0.0.1, control and data connections', {
    retry: 2,
  }, async () => {
    for (const args of [
      ['trace', 'customer', '20001'],
      ['trace', 'order', 'B-3002'],
      ['trace', 'item', 'N-100'],
    ]) {
      const result = await runCli([
        ...args,
        '--config',
        running.configPath,
        '--profile',
        'sandbox-nordic-ftps',
        '--json',
      ])
      const report = parseJson(result)
      expect(report.fileServer).toMatch(/^ftps:\/\/127\.0\.0\.1:/)
      expect(report.hops.find((hop: {hop: string}) => hop.hop === 'ftp').status).not.toMatch(/error|unreachable/)
      expect(result.stderr).not.toContain('DEP0123')
      expect(result.stderr).not.toMatch(/Warning/)
    }
  })
})
