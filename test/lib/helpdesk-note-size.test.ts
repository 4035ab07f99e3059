import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {jiraMaxCommentLength} from '../../dist/connectors/helpdesk/adf.js'
import {helpdeskConnector} from '../../dist/connectors/helpdesk/registry.js'
import {HttpClient} from '../../dist/http/client.js'
import {startHelpdesk} from '../../dist/sandbox/helpdesk/helpdesks.js'
import {postOnce} from '../../dist/ticket/post.js'

type StoredComment = {internal: boolean; adf: unknown; html: string | null; text: string}

/** A trace report far over Jira's limit: a table of 1500 rows, each naming its row. */
function longReport(): string {
  const rows = Array.from({length: 1500}, (_, index) => `| device-${index} | published 2026-12-06 10:00 | ok |`)
  return ['## customer 10042', '', '| device | published | status |', '|---|---|---|', ...rows].join('\n')
}

const note = (ticket: string) => ({
  fingerprint: 'customer|10042|consistent||erp=ok',
  markdown: longReport(),
  subject: 'trace customer 10042',
  ticket,
  verdicts: ['customer 10042: consistent'],
})

describe.each(['zendesk', 'freshdesk', 'jira'] as const)(
  'a report longer than a comment may be, posted to %s',
  (system) => {
    let desk: Awaited<ReturnType<typeof startHelpdesk>>
    const http = new HttpClient()
    beforeAll(async () => {
      desk = await startHelpdesk(system)
    })
    afterAll(async () => {
      await Promise.all([desk.service.stop(), http.close()])
    })
    const stored = (ticket: number): StoredComment[] =>
      (desk.state.tickets as Array<{id: number; comments: StoredComment[]}>).find((entry) => entry.id === ticket)
        ?.comments ?? []

    it(
      system === 'jira'
        ? "is shortened to fit Jira's 32 767 characters, with a line naming the command that prints the whole report; the marker and verdicts are kept, and it is posted once"
        : 'is posted whole: the reference gives this helpdesk no limit on a note',
      async () => {
        const connector = await helpdeskConnector(desk.profile(), http)
        const ticket = system === 'jira' ? 'SUP-4712' : '4712'
        const outcome = await postOnce(connector, note(ticket))
        expect(outcome.status).toBe('posted')
        const posted = stored(4712).at(-1) as StoredComment
        expect(posted.internal).toBe(true)
        expect(posted.text).toContain('Verdicts: customer 10042: consistent')
        expect(posted.text).toContain(outcome.marker)
        if (system === 'jira') {
          expect(JSON.stringify(posted.adf).length).toBeLessThanOrEqual(jiraMaxCommentLength)
          expect(JSON.stringify(posted.adf).length).toBeGreaterThan(jiraMaxCommentLength * 0.9)
          expect(posted.text).toContain('Report shortened: run synctrace trace customer 10042 for the whole report.')
          expect(posted.text).toContain('device-0')
          expect(posted.text).not.toContain('device-1499')
        } else {
          expect(posted.text).not.toContain('Report shortened')
          expect(posted.text).toContain('device-1499')
        }
        const again = await postOnce(connector, note(ticket))
        expect(again.status).toBe('already-on-ticket')
      },
    )
  },
)

describe("the sandbox's Jira", () => {
  it('refuses a comment over 32 767 characters as Jira Cloud does (400, the field named)', async () => {
    const desk = await startHelpdesk('jira')
    const http = new HttpClient()
    try {
      const connector = await helpdeskConnector(desk.profile(), http)
      const error = await connector
        .postInternalNote('SUP-4712', {markdown: longReport(), marker: 'synctrace:v1:0badc0de:0123456789abcdef'})
        .then(
          () => null,
          (caught: unknown) => caught as Error & {reason?: string},
        )
      expect(error?.reason).toBe('rejected')
      expect(error?.message).toContain(
        'The entered text is too long. It exceeds the allowed limit of 32767 characters.',
      )
    } finally {
      await Promise.all([desk.service.stop(), http.close()])
    }
  })
})
