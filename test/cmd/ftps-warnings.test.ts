import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('FTPS to an IP address', () => {
  let running: RunningSandbox
  // In process, Node's warnings are the test process's: every one emitted during the traces is caught here.
  const warnings: string[] = []
  const onWarning = (warning: Error & {code?: string}) =>
    warnings.push(`${warning.code ?? ''} ${warning.name}: ${warning.message}`)
  beforeAll(async () => {
    running = await startTestSandbox(['nordic'])
    process.on('warning', onWarning)
  })
  afterAll(async () => {
    process.off('warning', onWarning)
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
      const result = await runCommand([
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
    expect(warnings.join('\n')).not.toContain('DEP0123')
    expect(warnings).toEqual([])
  })
})
