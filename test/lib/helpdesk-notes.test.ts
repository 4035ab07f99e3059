import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {checkAdf} from '../../dist/connectors/helpdesk/adf.js'
import {markdownToHtml} from '../../dist/connectors/helpdesk/markdown.js'
import {helpdeskConnector, helpdeskSettingFlags, helpdeskSystems} from '../../dist/connectors/helpdesk/registry.js'
import {resolveProfile} from '../../dist/config/profile.js'
import {HttpClient} from '../../dist/http/client.js'
import {markdownCode} from '../../dist/render/markdown.js'
import {describeSandbox} from '../../dist/sandbox/describe.js'
import {startHelpdesk} from '../../dist/sandbox/helpdesk/helpdesks.js'
import {hostileDescription} from '../../dist/sandbox/helpdesk/tickets.js'
import {startSandbox} from '../../dist/sandbox/sandbox.js'

type SandboxHelpdesk = Awaited<ReturnType<typeof startHelpdesk>>
type HelpdeskSection = {system: string; url: string; email?: string; token?: string}

/** Raw control characters, as the output boundary defines them (newline and tab allowed). */
const rawControl = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/

/** Every node of an ADF tree, depth first. */
function nodes(node: unknown): Array<{type: string; text?: string; marks?: Array<{type: string}>}> {
  const entry = node as {type: string; content?: unknown[]}
  return [entry, ...(entry.content ?? []).flatMap(nodes)]
}

describe('notes built from Markdown', () => {
  it('HTML never passes through markdown-it (html: false): tags are text, javascript: links are no links', () => {
    const html = markdownToHtml('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))\n')
    expect(html).not.toMatch(/<script|<img|href=/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('links come only from explicit Markdown links: a bare URL stays text', () => {
    expect(markdownToHtml('see https://evil.example now\n')).not.toContain('href=')
    expect(markdownToHtml('[docs](https://example.com/docs)\n')).toContain(
      '<a href="https://example.com/docs">docs</a>',
    )
  })

  it('no raw control character reaches a note, whatever the Markdown held', () => {
    expect(markdownToHtml('bell \u0007 escape \u001b[31m nul \u0000 del \u007f c1 \u009b\n')).not.toMatch(rawControl)
  })
})

describe('the helpdesk descriptors', () => {
  it('give profile add its flags and prompts, as the ERP descriptors do: URL, e-mail where the helpdesk needs one, a secret token', () => {
    expect(
      helpdeskSystems.map((system) => [system.id, system.settings.map((setting: {field: string}) => setting.field)]),
    ).toEqual([
      ['zendesk', ['url', 'email', 'token']],
      ['freshdesk', ['url', 'token']],
      ['jira', ['url', 'email', 'token']],
    ])
    expect(helpdeskSettingFlags().map(({flag, kind}) => [flag, kind])).toEqual([
      ['helpdesk-url', 'url'],
      ['helpdesk-email', 'text'],
      ['helpdesk-token', 'secret'],
    ])
    for (const system of helpdeskSystems)
      for (const setting of system.settings as Array<{prompt?: string}>) expect(setting.prompt).toBeTruthy()
  })
})

describe.each(['zendesk', 'freshdesk', 'jira'] as const)(
  'a note quoting the hostile ticket, posted to %s',
  (system) => {
    let desk: SandboxHelpdesk
    const http = new HttpClient()
    beforeAll(async () => {
      desk = await startHelpdesk(system)
    })
    afterAll(async () => {
      await Promise.all([desk.service.stop(), http.close()])
    })

    it('holds the ticket text as quoted text only: no HTML, no ADF mark, no link, no control byte from it', async () => {
      const connector = await helpdeskConnector(desk.profile(), http)
      const id = system === 'jira' ? 'SUP-4715' : '4715'
      const read = await connector.readTicket(id)
      expect(read.description).toBe(hostileDescription)
      // synctrace quotes what it read as inline code (src/render/markdown.ts), line by line.
      const quoted = read.description
        .split('\n')
        .map((line: string) => `- ${markdownCode(line)}`)
        .join('\n')
      await connector.postInternalNote(id, {
        markdown: `**Subject**: ${markdownCode(read.subject)}\n\n${quoted}\n`,
        marker: 'synctrace:report:v1:feedfacefeedface',
      })
      const stored = (
        desk.state.tickets as Array<{
          id: number
          comments: Array<{internal: boolean; adf: unknown; html: string | null}>
        }>
      )
        .find((ticket) => ticket.id === 4715)
        ?.comments.at(-1)
      expect(stored?.internal).toBe(true)
      if (system === 'jira') {
        expect(checkAdf(stored?.adf)).toEqual([])
        const all = nodes(stored?.adf)
        const marks = new Set(all.flatMap((node) => (node.marks ?? []).map((mark) => mark.type)))
        expect([...marks].sort()).toEqual(['code', 'strong'])
        const texts = all.filter((node) => node.type === 'text').map((node) => node.text ?? '')
        expect(texts.some((text) => text.startsWith('{"type":"doc"'))).toBe(true)
        expect(texts.join('')).not.toMatch(rawControl)
        expect(
          all.filter((node) => node.type === 'text' && (node.marks ?? []).length === 0).map((node) => node.text),
        ).not.toContain('fet')
      } else {
        const html = stored?.html ?? ''
        expect(html).not.toMatch(/<script|<img|<b>|href=/i)
        expect(html).toContain('&lt;script&gt;')
        expect(html).not.toMatch(rawControl)
      }
    })
  },
)

describe("the sandbox's helpdesks in its profiles", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>
  beforeAll(async () => {
    sandbox = await startSandbox({installations: ['acme'], timeScale: 0.01})
  }, 60_000)
  afterAll(async () => {
    await sandbox?.stop()
  })

  it('every profile names the Zendesk emulator by default, and another helpdesk when asked; a profile reads its tickets', async () => {
    const description = describeSandbox(sandbox)
    expect(description.helpdesks.map((entry) => entry.system)).toEqual(['zendesk', 'freshdesk', 'jira'])
    expect(description.helpdesks.find((entry) => entry.system === 'jira')?.tickets).toContain('SUP-4711')
    for (const profile of Object.values(description.config.profiles))
      expect((profile as {helpdesk?: {system: string; url: string}}).helpdesk).toMatchObject({
        system: 'zendesk',
        url: sandbox.helpdesk('zendesk').service.url,
      })
    const jira = describeSandbox(sandbox, 'jira').config.profiles['sandbox-acme-support']
    const profile = resolveProfile('sandbox-acme-support', jira) as {helpdesk?: HelpdeskSection}
    expect(profile.helpdesk).toMatchObject({email: 'agent@support.sandbox.example', system: 'jira'})
    const http = new HttpClient()
    try {
      const ticket = await (await helpdeskConnector(profile.helpdesk as HelpdeskSection, http)).readTicket('SUP-4711')
      expect(ticket.description).toContain('kund 10042')
    } finally {
      await http.close()
    }
  })

  it('a helpdesk section names its problem: an unknown system, a missing token with the flag that gives it', () => {
    const base = describeSandbox(sandbox).config.profiles['sandbox-acme'] as Record<string, unknown>
    expect(() => resolveProfile('p', {...base, helpdesk: {system: 'servicenow', url: 'https://x.example'}})).toThrow(
      /helpdesk system "servicenow"/,
    )
    const missing = {...base, helpdesk: {email: 'a@b.example', system: 'jira', url: 'https://x.atlassian.net'}}
    expect(() => resolveProfile('p', missing)).toThrow(/helpdesk\.token is missing/)
    const fromEnv = {...base, helpdesk: {system: 'freshdesk', token: 'env:FD_KEY', url: 'https://x.freshdesk.com'}}
    const resolved = resolveProfile('p', fromEnv, {env: {FD_KEY: 'fd-key-123456789'}, stored: {}, storedPath: 's.json'})
    expect((resolved as {helpdesk?: HelpdeskSection}).helpdesk).toEqual({
      system: 'freshdesk',
      token: 'fd-key-123456789',
      url: 'https://x.freshdesk.com',
    })
  })
})
