import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from './cli.js'
import {runCommand} from './run-command.js'
import {type RunningSandbox, startTestSandbox} from './sandbox.js'

/** One seeded record of an installation in an ERP's own file layout, and the verdict it must get. */
export interface LayoutScenario {
  entity: 'customer' | 'item' | 'order'
  key: string
  exitCode: number
  cause: string
  brokenLink: {from: string; to: string} | null
  action: string
  statuses: Record<string, string>
  /** Text the terminal and Markdown reports must show (a file name, a reason, a skipped field). */
  shows: string[]
  /** Evidence of the verdict, by name (times behind every claim about the order of events). */
  evidence?: string[]
}

const protocols = ['sftp', 'ftp', 'ftps'] as const

/**
 * Every scenario of one installation, in all three formats, each over one protocol in turn (so every
 * protocol serves several), with the invariants checked (runCommand sets SYNCTRACE_CHECK_INVARIANTS).
 */
export function describeLayoutInstallation(
  installation: string,
  baseFolder: string,
  scenarios: LayoutScenario[],
  more?: (running: () => RunningSandbox) => void,
): void {
  describe(`the ${installation} installation`, () => {
    let running: RunningSandbox
    beforeAll(async () => {
      running = await startTestSandbox([installation])
    })
    afterAll(async () => {
      await running.stop()
    })

    scenarios.forEach((scenario, index) => {
      const protocol = protocols[index % protocols.length] as (typeof protocols)[number]
      const profile = protocol === 'sftp' ? `sandbox-${installation}` : `sandbox-${installation}-${protocol}`
      // The sandbox's FTPS server (ftp-srv) now and then hands a data connection plain bytes when sessions
      // overlap ("wrong version number"): a known flake of the emulation, retried here and named in the
      // closing note; the formats run one after another so one test opens one session at a time.
      it(`gives ${scenario.entity} ${scenario.key} the verdict ${scenario.cause} over ${protocol.toUpperCase()}, in JSON, the terminal and Markdown`, {
        retry: protocol === 'ftps' ? 2 : 0,
      }, async () => {
        const flags = ['trace', scenario.entity, scenario.key, '--config', running.configPath, '--profile', profile]
        const json = await runCommand([...flags, '--json'])
        expect(json.stderr).not.toMatch(/invariant|Unhandled/i)
        const report = parseJson(json)
        const hopErrors = report.hops
          .filter((hop: {status: string}) => hop.status !== 'ok')
          .map((hop: unknown) => JSON.stringify(hop))
        expect(json.exitCode, `hops not ok:\n${hopErrors.join('\n')}\n${json.stderr}`).toBe(scenario.exitCode)
        expect(report.fileServer).toMatch(new RegExp(`^${protocol}://127\\.0\\.0\\.1:\\d+/${baseFolder}$`))
        expect(report.verdict).toMatchObject({brokenLink: scenario.brokenLink, cause: scenario.cause})
        expect(report.action.kind).toBe(scenario.action)
        expect(
          Object.fromEntries(report.hops.map((hop: {hop: string; status: string}) => [hop.hop, hop.status])),
        ).toMatchObject(scenario.statuses)
        for (const name of scenario.evidence ?? [])
          expect(report.verdict.evidence.map((entry: {name: string}) => entry.name)).toContain(name)
        for (const format of ['terminal', 'markdown']) {
          const result = await runCommand([...flags, '--format', format])
          expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(scenario.exitCode)
          expect(result.stderr).not.toMatch(/invariant|Unhandled/i)
          for (const text of scenario.shows) expect(result.stdout.replace(/\\_/g, '_')).toContain(text)
        }
      })
    })

    it("doctor reads the layout's export files over the file server", async () => {
      const result = await runCommand([
        'doctor',
        '--config',
        running.configPath,
        '--profile',
        `sandbox-${installation}`,
        '--json',
      ])
      const ftp = parseJson(result).hops.find((hop: {hop: string}) => hop.hop === 'ftp')
      expect(ftp).toMatchObject({authenticated: true, reachable: true, status: 'ok'})
      expect(ftp.notes.join(' ')).toContain(`file layout: ${installation === 'winbas' ? 'Winbas' : 'Monitor'}`)
    })

    more?.(() => running)
  })
}
