import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {checkAdf} from '../../dist/connectors/helpdesk/adf.js'
import {HelpdeskError} from '../../dist/connectors/helpdesk/errors.js'
import {helpdeskConnector} from '../../dist/connectors/helpdesk/registry.js'
import {SandboxService, json} from '../../dist/emulation/service.js'
import {HttpClient} from '../../dist/http/client.js'
import type {HelpdeskConnector} from '../../src/connectors/helpdesk/types.js'
import {startHelpdesk} from '../../dist/sandbox/helpdesk/helpdesks.js'
import {RateWindow} from '../../dist/sandbox/helpdesk/state.js'

/**
 * The helpdesk connectors a trace posts through, against the sandbox's Zendesk, Freshdesk and Jira Service
 * Management emulators over loopback: reading a ticket, posting an internal note and reading it back as
 * internal, paging, rate limits, credentials, and a page link to another origin.
 */
const systems = ['zendesk', 'freshdesk', 'jira'] as const
type System = (typeof systems)[number]

type SandboxHelpdesk = Awaited<ReturnType<typeof startHelpdesk>>
/** What the tests read of an emulator's ticket (src/sandbox/helpdesk/state.ts). */
interface Ticket {
  id: number
  subject: string
  description: string
  comments: Array<{
    id: number
    internal: boolean
    html: string | null
    adf: unknown
    properties: Array<{key: string; value: unknown}>
  }>
}
const ticketsOf = (desk: SandboxHelpdesk) => desk.state.tickets as Ticket[]

const ticketId = (system: System, id: number) => (system === 'jira' ? `SUP-${id}` : String(id))

const note = {
  markdown:
    '## Customer `10042`: delivery address stale\n\n| hop | status |\n|---|---|\n| ERP | changed |\n| CMS | stale |\n\n**Action**: run the customer sync.\n',
  marker: 'synctrace:report:v1:0123456789abcdef',
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(HelpdeskError)
  return (error as HelpdeskError).reason
}

describe.each(systems)('the %s connector against its emulator', (system) => {
  let desk: SandboxHelpdesk
  const http = new HttpClient({maxRetries: 3})
  const connector = (): Promise<HelpdeskConnector> => helpdeskConnector(desk.profile(), http)
  const ticket = (id: number) => ticketsOf(desk).find((entry) => entry.id === id) as Ticket
  const paths = () =>
    desk.service.requests.map((request: {method: string; path: string}) => `${request.method} ${request.path}`)

  beforeAll(async () => {
    desk = await startHelpdesk(system)
  })
  afterAll(async () => {
    await desk.service.stop()
    await http.close()
  })

  it('reads the Swedish ticket about customer 10042: subject, description, requester, organization and the latest comments, public and internal', async () => {
    const read = await (await connector()).readTicket(ticketId(system, 4711))
    expect(read.id).toBe(ticketId(system, 4711))
    expect(read.subject).toBe('Leveransadressen saknas i appen')
    expect(read.description).toContain('Hej! Leveransadressen för kund 10042 saknas i appen.')
    expect(read.requester).toEqual({email: 'karin.holm@acme.example', name: 'Karin Holm'})
    expect(read.organization).toEqual({name: 'Acme AB'})
    // The description is not repeated as a comment (Zendesk lists it as the ticket's first comment).
    expect(read.comments.map((comment) => comment.text)).not.toContain(read.description)
    const latest = read.comments.slice(-2)
    expect(latest.map((comment) => [comment.text, comment.internal])).toEqual([
      ['Det gäller även order A-2003, som inte har kommit fram.', false],
      ['Kollar med integrationen i morgon bitti.', true],
    ])
    expect(read.url).toContain(desk.service.url)
  })

  it('posts an internal note that the helpdesk keeps as internal, and reads it back with its marker', async () => {
    const before = ticket(4712).comments.length
    const posted = await (await connector()).postInternalNote(ticketId(system, 4712), note)
    const stored = ticket(4712).comments.at(-1)
    expect(ticket(4712).comments.length).toBe(before + 1)
    expect(stored?.internal).toBe(true)
    expect(posted.noteId).toBe(String(stored?.id))
    if (system === 'jira') {
      expect(stored?.properties).toContainEqual({key: 'sd.public.comment', value: {internal: true}})
      expect(checkAdf(stored?.adf)).toEqual([])
    } else {
      expect(stored?.html).toContain('<h2>Customer <code>10042</code>: delivery address stale</h2>')
      expect(stored?.html).toContain('<table>')
    }
    expect(paths()).toContain(
      system === 'zendesk'
        ? 'PUT /api/v2/tickets/4712.json'
        : system === 'freshdesk'
          ? 'POST /api/v2/tickets/4712/notes'
          : 'POST /rest/api/3/issue/SUP-4712/comment',
    )
    const notes = await (await connector()).listNotes(ticketId(system, 4712))
    const last = notes.at(-1)
    expect(last).toMatchObject({id: posted.noteId, internal: true, markers: [note.marker]})
    expect(last?.text).toContain('Action: run the customer sync.')
  })

  it('lists every note of a ticket page by page, as the API pages them', async () => {
    desk.state.maxPageSize = 2
    try {
      for (let index = 0; index < 5; index++)
        await (await connector()).postInternalNote(ticketId(system, 4713), {...note, marker: `synctrace:page:${index}`})
      desk.service.requests.length = 0
      const notes = await (await connector()).listNotes(ticketId(system, 4713))
      expect(notes.flatMap((entry) => entry.markers)).toEqual([0, 1, 2, 3, 4].map((index) => `synctrace:page:${index}`))
      // Pages of 2: Zendesk's 6 comments (the description first), Freshdesk's and Jira's 5 notes.
      expect(desk.service.requests.length).toBe(3)
    } finally {
      desk.state.maxPageSize = 100
    }
  })

  it('waits as Retry-After asks when rate limited, on a read and on a note, and sends the note once', async () => {
    desk.service.requests.length = 0
    desk.state.forceRateLimit = {retryAfterSeconds: 0.3, times: 1}
    await (await connector()).readTicket(ticketId(system, 4711))
    const [limited, retried] = desk.service.requests
    expect(limited?.path).toBe(retried?.path)
    expect(Date.parse(retried?.at ?? '') - Date.parse(limited?.at ?? '')).toBeGreaterThanOrEqual(250)

    const before = ticket(4714).comments.length
    desk.service.requests.length = 0
    desk.state.forceRateLimit = {retryAfterSeconds: 0.3, times: 1}
    await (await connector()).postInternalNote(ticketId(system, 4714), note)
    expect(
      desk.service.requests
        .map((request: {method: string}) => request.method)
        .filter((method: string) => method !== 'GET'),
    ).toHaveLength(2)
    expect(ticket(4714).comments.length).toBe(before + 1)
  })

  it("keeps the helpdesk's own write limit (Zendesk and Jira per ticket, Freshdesk per account): the second note waits for it and is added once", async () => {
    const saved = {requests: desk.state.requests, writes: desk.state.writesPerTicket}
    if (system === 'freshdesk') desk.state.requests = new RateWindow(1, 300)
    else desk.state.writesPerTicket = new RateWindow(1, 300)
    try {
      const before = ticket(4713).comments.length
      desk.service.requests.length = 0
      await (await connector()).postInternalNote(ticketId(system, 4713), {...note, marker: 'synctrace:limit:1'})
      await (await connector()).postInternalNote(ticketId(system, 4713), {...note, marker: 'synctrace:limit:2'})
      expect(desk.service.requests.map((request: {method: string}) => request.method)).toEqual(
        system === 'zendesk' ? ['PUT', 'PUT', 'PUT'] : ['POST', 'POST', 'POST'],
      )
      expect(ticket(4713).comments.length).toBe(before + 2)
    } finally {
      desk.state.requests = saved.requests
      desk.state.writesPerTicket = saved.writes
    }
  })

  it('reports a rate limit that outlasts the retries as rate-limited', async () => {
    desk.state.forceRateLimit = {retryAfterSeconds: 0.01, times: 20}
    try {
      expect(await reasonOf((await connector()).readTicket(ticketId(system, 4711)))).toBe('rate-limited')
      expect(await reasonOf((await connector()).postInternalNote(ticketId(system, 4711), note))).toBe('rate-limited')
    } finally {
      desk.state.forceRateLimit = null
    }
  })

  it('reports bad credentials as auth (Jira: its 404 on the issue, with /myself refused), and an unknown ticket as not-found', async () => {
    desk.service.requests.length = 0
    const wrong: HelpdeskConnector = await helpdeskConnector({...desk.profile(), token: 'not-the-token-0000'}, http)
    expect(await reasonOf(wrong.readTicket(ticketId(system, 4711)))).toBe('auth')
    if (system === 'jira')
      expect(paths().slice(0, 2)).toEqual(['GET /rest/api/3/issue/SUP-4711', 'GET /rest/api/3/myself'])
    expect(await reasonOf(wrong.postInternalNote(ticketId(system, 4711), note))).toBe('auth')
    expect(await reasonOf(wrong.probe())).toBe('auth')
    expect(await reasonOf((await connector()).readTicket(ticketId(system, 9999)))).toBe('not-found')
  })

  it('reads the hostile ticket as data: its text exactly as written, the fake marker only in a public comment', async () => {
    const read = await (await connector()).readTicket(ticketId(system, 4715))
    const seeded = ticket(4715)
    expect(read.subject).toBe(seeded.subject)
    expect(read.description).toBe(seeded.description)
    expect(read.requester.name).toBe('Mallory <script>x</script>\u001b[31m')
    expect(read.organization).toEqual({name: '<b>Acme AB</b>'})
    const notes = await (await connector()).listNotes(ticketId(system, 4715))
    const faked = notes.filter((entry) => entry.markers.includes('synctrace:report:v1:0000000000000000'))
    expect(faked.length).toBeGreaterThan(0)
    expect(faked.every((entry) => !entry.internal)).toBe(true)
  })

  it('refuses a marker that is not a synctrace marker, before sending anything', async () => {
    desk.service.requests.length = 0
    await expect(
      (await connector()).postInternalNote(ticketId(system, 4711), {...note, marker: 'synctrace:x` **y**'}),
    ).rejects.toThrow(/not a synctrace marker/)
    expect(desk.service.requests).toEqual([])
  })

  it('probes who the credentials are and whether they may add internal notes', async () => {
    const probe = await (await connector()).probe()
    expect(probe.canAddInternalNotes).toBe(true)
    expect(Object.values(probe.details)).toContain('agent@support.sandbox.example')
  })
})

describe('a pagination link to another origin', () => {
  it.each(['zendesk', 'freshdesk'] as const)(
    '%s: is refused, and nothing (no credentials) is sent there',
    async (system) => {
      const desk = await startHelpdesk(system)
      const elsewhere = new SandboxService('elsewhere', () => json(200, {comments: [], meta: {has_more: false}}))
      await elsewhere.start(0)
      const http = new HttpClient()
      try {
        desk.state.maxPageSize = 1
        desk.state.linkOrigin = elsewhere.url
        const error = await (await helpdeskConnector(desk.profile(), http))
          .listNotes('4711')
          .catch((caught: unknown) => caught)
        expect(error).toBeInstanceOf(HelpdeskError)
        expect((error as HelpdeskError).reason).toBe('bad-response')
        expect((error as Error).message).toContain('another origin')
        expect(elsewhere.requests).toEqual([])
      } finally {
        await Promise.all([desk.service.stop(), elsewhere.stop(), http.close()])
      }
    },
  )
})

describe("Zendesk's 5000 comments per ticket", () => {
  it('a note to a ticket holding 5000 comments is refused with 422 and reported as the comment limit', async () => {
    const desk = await startHelpdesk('zendesk')
    const http = new HttpClient()
    try {
      const ticket = ticketsOf(desk).find((entry) => entry.id === 4711) as Ticket
      const template = ticket.comments[0] as Ticket['comments'][number]
      // With the description, which Zendesk counts as the first comment: 5000.
      while (ticket.comments.length < 4999) ticket.comments.push({...template, id: desk.state.nextId++})
      const error = await (await helpdeskConnector(desk.profile(), http))
        .postInternalNote('4711', note)
        .catch((caught: unknown) => caught)
      expect((error as HelpdeskError).reason).toBe('comment-limit')
      expect((error as HelpdeskError).problem.httpStatus).toBe(422)
      expect(ticket.comments.length).toBe(4999)
    } finally {
      await Promise.all([desk.service.stop(), http.close()])
    }
  })
})
