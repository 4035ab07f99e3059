import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

// `trace price <customer> <item> [--quantity N] [--date D]`: its arguments and flags, checked before any hop is asked.

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)

describe('trace price: usage errors, one line of cause and one of what to do, exit 2', () => {
  it('refuses --quantity 0: a quantity is a whole number of at least 1', async () => {
    const result = await runCommand(['trace', 'price', '10042', 'P-100', '--quantity', '0', '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--quantity must be a whole number of at least 1; "0" is not.')
    expect(result.stderr).toContain('Try this:')
    expect(result.stderr).toContain('--quantity 10')
    noStack(result.stderr)
  })

  it.each([['2.5'], ['-3'], ['ten']])('refuses --quantity %s', async (quantity) => {
    const result = await runCommand(['trace', 'price', '10042', 'P-100', '--quantity', quantity, '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(`--quantity must be a whole number of at least 1; "${quantity}" is not.`)
  })

  it.each([['2026-02-30'], ['20.11.2026'], ['2026-11-2']])(
    'refuses --date %s, which is no yyyy-MM-dd date',
    async (date) => {
      const result = await runCommand(['trace', 'price', '10042', 'P-100', '--date', date, '--sandbox'])
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain(`--date must be a date as yyyy-MM-dd; "${date}" is not one.`)
      expect(result.stderr).toContain("today in the installation's time zone")
      noStack(result.stderr)
    },
  )

  it('needs both the customer and the item', async () => {
    const result = await runCommand(['trace', 'price', '10042', '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/item/)
    noStack(result.stderr)
  })

  it('refuses an empty item code by its name', async () => {
    const result = await runCommand(['trace', 'price', '10042', '  ', '--sandbox'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('The item code is empty.')
  })
})

// Against the sandbox's seeded price scenarios (branch price-platform): the documented verdict in all three formats.
const scenarios = [
  {action: 'none', brokenLink: null, cause: 'consistent', code: ['30101', 'F-100'], exitCode: 0, installation: 'fjord'},
  {
    action: 'confirm-with-erp-consultant',
    brokenLink: {from: 'erp', to: 'cms'},
    cause: 'price-row-skipped',
    code: ['30105', 'F-100'],
    exitCode: 3,
    installation: 'fjord',
  },
  {
    action: 'app-full-refresh',
    brokenLink: {from: 'cms', to: 'app'},
    cause: 'device-not-refreshed',
    code: ['30106', 'F-100'],
    exitCode: 3,
    installation: 'fjord',
  },
  {
    action: 'webshop-republish',
    brokenLink: {from: 'cms', to: 'webshop'},
    cause: 'webshop-behind',
    code: ['30107', 'F-100'],
    exitCode: 3,
    installation: 'fjord',
  },
  {
    action: 'contact-it-partner',
    brokenLink: {from: 'erp', to: 'ftp'},
    cause: 'price-list-not-in-export',
    code: ['20112', 'N-100'],
    exitCode: 3,
    installation: 'nordic',
  },
] as const

describe('trace price against the seeded price scenarios', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['fjord', 'nordic'])
  })
  afterAll(async () => {
    await running.stop()
  })

  for (const scenario of scenarios)
    it(`${scenario.installation} ${scenario.code.join('/')}: ${scenario.cause}, exit ${scenario.exitCode}, in JSON, Markdown and the terminal`, async () => {
      const argv = ['trace', 'price', ...scenario.code, ...running.flags(scenario.installation)]
      const json = await runCommand([...argv, '--json'])
      const report = parseJson(json)
      expect(json.exitCode).toBe(scenario.exitCode)
      expect(report).toMatchObject({entity: 'price', key: scenario.code.join('/')})
      expect(report.verdict).toMatchObject({brokenLink: scenario.brokenLink, cause: scenario.cause})
      expect(report.action.kind).toBe(scenario.action)
      const markdown = await runCommand([...argv, '--format', 'markdown'])
      expect(markdown.exitCode).toBe(scenario.exitCode)
      expect(markdown.stdout).toContain(`cause \`${scenario.cause}\``)
      expect(markdown.stdout).toContain('| Hop | List | Row | Discount | Net |')
      const terminal = await runCommand(argv)
      expect(terminal.stdout).toContain(`Price ${scenario.code.join('/')}`)
      expect(terminal.stdout).toContain('Price at each hop (quantity 1,')
      expect(terminal.stdout).toContain(`kind ${scenario.action}`)
    })

  it('computes the tier of the quantity asked: from 10 on list A at fjord', async () => {
    const report = parseJson(
      await runCommand(['trace', 'price', '30101', 'F-100', '--quantity', '10', ...running.flags('fjord'), '--json']),
    )
    const cms = report.hops.find((hop: {hop: string}) => hop.hop === 'cms')
    expect(cms.record).toMatchObject({computed: {netPrice: 231.2, row: {fromQuantity: 10}}, quantity: 10})
  })
})
