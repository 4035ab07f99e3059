import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe("the record's own name in the header of every view", () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox()
  })
  afterAll(async () => {
    await running.stop()
  })

  it.each([
    [
      ['trace', 'customer', '10042'],
      'Customer 10042 Nordic Tools AB · Acme AB (acme)',
      '### synctrace: customer `10042` (Nordic Tools AB) at Acme AB (acme)',
    ],
    [
      ['trace', 'item', 'P-200'],
      'Item P-200 Skruvmejselsats 12 delar · Acme AB (acme)',
      '### synctrace: item `P-200` (Skruvmejselsats 12 delar) at Acme AB (acme)',
    ],
    [
      ['trace', 'order', 'A-2003'],
      'Order A-2003 for customer 10042 · Acme AB (acme)',
      '### synctrace: order `A-2003` (for customer 10042) at Acme AB (acme)',
    ],
  ])('%j names the record, not only the installation', async (args, terminal, markdown) => {
    const header = (await runCommand([...args, ...running.flags()])).stdout.split('\n')[0] as string
    expect(header.startsWith(terminal), header).toBe(true)
    const title = (await runCommand([...args, ...running.flags(), '--format', 'markdown'])).stdout.split(
      '\n',
    )[0] as string
    expect(title.startsWith(markdown), title).toBe(true)
  })

  it('doctor labels hops as the trace does and counts problems in words', async () => {
    await running.sandbox.setFault('acme', 'app', {kind: 'down'})
    const doctor = await runCommand(['doctor', ...running.flags()])
    await running.sandbox.setFault('acme', 'app', null)
    expect(doctor.stdout).not.toMatch(/\bAPP\b|\bWEBSHOP\b/)
    expect(doctor.stdout).toMatch(/│ App /)
    expect(doctor.stdout).not.toContain('problem(s)')
    expect(doctor.stdout).toMatch(/\b1 problem:|\b\d+ problems:/)
  })
})
