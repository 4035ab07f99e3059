import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {describeSandbox} from '../../dist/sandbox/describe.js'
import {parseJson} from '../helpers/cli.js'
import {schemaValidator, violations} from '../helpers/json-schemas.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

// `trace order`: each line's price and discount against the customer's price the CMS resolves for the order's
// orderDate and the line's quantity (platform contract, "CMS: the resolved price"): a finding beside the verdict.

describe("trace order: the lines' prices against the customer's price", () => {
  let running: RunningSandbox
  const ajv = schemaValidator()
  beforeAll(async () => {
    running = await startTestSandbox(['fjord', 'nordic'])
  })
  afterAll(async () => {
    await running.stop()
  })

  it('the sandbox lists the seeded orders of the price findings', () => {
    const described = describeSandbox(running.sandbox)
    const codes = described.installations.flatMap((installation: {scenarios: Array<{code: string}>}) =>
      installation.scenarios.map((scenario) => scenario.code),
    )
    expect(codes).toEqual(expect.arrayContaining(['F-7002', 'F-7003', 'B-3004']))
  })

  it("fjord F-7003: the line's price 289.00 differs from list A's 248.54, a finding with both computations; the order stays consistent", async () => {
    const argv = ['trace', 'order', 'F-7003', ...running.flags('fjord')]
    const json = await runCommand([...argv, '--json'])
    const report = parseJson(json)
    expect(violations(ajv, 'trace-report.schema.json', report)).toEqual([])
    expect(json.exitCode).toBe(0)
    expect(report.verdict).toMatchObject({brokenLink: null, cause: 'consistent', ok: true})
    expect(report.orderLines).toEqual([
      expect.objectContaining({
        differs: ['price'],
        itemCode: 'F-100',
        line: {discount: 0, net: 289, price: 289},
        lineNo: 1,
        quantity: 1,
        resolved: expect.objectContaining({
          discountPercent: 0,
          discountSource: 'none',
          listPrice: 248.54,
          listSource: 'priceList',
          netPrice: 248.54,
          priceListCode: 'A',
          row: {fromQuantity: 0, validFrom: null, validTo: null},
        }),
        status: 'differs',
      }),
    ])
    expect(report.orderLines[0].date).toBe(report.orderLines[0].date.slice(0, 10))
    expect(report.verdict.otherFindings).toEqual([expect.stringContaining('its price differs from the customer')])
    const markdown = await runCommand([...argv, '--format', 'markdown'])
    expect(markdown.exitCode).toBe(0)
    expect(markdown.stdout).toContain("| Line | Ordered | Customer's price | Outcome |")
    expect(markdown.stdout).toContain(
      '| 1 F-100 × 1 | 289.00 − 0 % = 289.00 | 248.54 (list A, row from 0) − 0 % (none) = 248.54 SEK | ✘ price differs |',
    )
    const terminal = await runCommand(argv)
    expect(terminal.exitCode).toBe(0)
    expect(terminal.stdout).toContain('Order line prices')
    expect(terminal.stdout).toMatch(
      /✘ line 1 F-100 × 1: ordered 289\.00 − 0 % = 289\.00 · customer's price 248\.54 \(list A, row from 0\)/,
    )
    expect(terminal.stdout).toContain('price differs')
  })

  it('fjord F-7002: a line at the quantity tier (10 from 231.20) agrees, and no finding is added', async () => {
    const argv = ['trace', 'order', 'F-7002', ...running.flags('fjord')]
    const report = parseJson(await runCommand([...argv, '--json']))
    expect(violations(ajv, 'trace-report.schema.json', report)).toEqual([])
    expect(report.orderLines).toEqual([
      expect.objectContaining({
        differs: [],
        resolved: expect.objectContaining({listPrice: 231.2, row: expect.objectContaining({fromQuantity: 10})}),
        status: 'agrees',
      }),
    ])
    expect(report.verdict.otherFindings).toEqual([])
    const markdown = await runCommand([...argv, '--format', 'markdown'])
    expect(markdown.stdout).toContain('| 1 F-100 × 10 | 231.20 − 0 % = 231.20 |')
    expect(markdown.stdout).toContain('✔ agrees |')
    expect((await runCommand(argv)).stdout).toMatch(/✔ line 1 F-100 × 10: .* · agrees/)
  })

  it('nordic B-3004: the rows for its date are no longer held (row expired): cannot be checked, never a mismatch', async () => {
    const argv = ['trace', 'order', 'B-3004', ...running.flags('nordic')]
    const json = await runCommand([...argv, '--json'])
    const report = parseJson(json)
    expect(violations(ajv, 'trace-report.schema.json', report)).toEqual([])
    expect(report.verdict.cause).toBe('consistent')
    expect(report.orderLines).toEqual([expect.objectContaining({differs: [], status: 'cannot-check'})])
    expect(report.orderLines[0].summary).toContain('row expired (validTo 2025-10-31)')
    expect(report.verdict.otherFindings).toEqual([expect.stringContaining('cannot be checked')])
    expect(report.verdict.otherFindings[0]).not.toContain('differs')
    const markdown = await runCommand([...argv, '--format', 'markdown'])
    expect(markdown.stdout).toMatch(/\| \? cannot be checked: the CMS no longer holds rows that may have applied on/)
    expect((await runCommand(argv)).stdout).toMatch(/\? line 1 N-100 × 1: .* cannot be checked/)
  })
})
