import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('hostile data from a hop', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox()
  })
  afterAll(async () => {
    await running.stop()
  })

  it('neutralises escape sequences a hop sends in its data before they reach the terminal', async () => {
    const acme = running.sandbox.installation('acme')
    const customer = acme.state.app.customers.get('10001')
    const original = customer.record.name
    customer.record.name = 'Evil\u001B]52;c;ZXZpbA==\u0007 AB\u001B[2J\r'
    try {
      const result = await runCommand(['trace', 'customer', '10001', ...running.flags()])
      expect(result.stdout).not.toContain('\u001B')
      expect(result.stdout).not.toContain('\r')
      expect(result.stdout).toContain('Evil\uFFFD AB')
      const markdown = await runCommand(['trace', 'customer', '10001', ...running.flags(), '--format', 'markdown'])
      expect(markdown.stdout).not.toContain('\u001B')
    } finally {
      customer.record.name = original
    }
  })
})
