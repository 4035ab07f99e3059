import {describe, expect, it} from 'vitest'

import {HelpdeskError} from '../../src/connectors/helpdesk/errors.js'
import {
  type HelpdeskConnector,
  type HelpdeskNote,
  markersIn,
  type NoteToPost,
} from '../../src/connectors/helpdesk/types.js'
import {findCandidates} from '../../src/ticket/candidates.js'
import {noteMarker, postOnce, verdictChanges} from '../../src/ticket/post.js'
import {routeTicket} from '../../src/ticket/routes.js'

describe('the codes a ticket names', () => {
  it('takes the entity from the words before a code, Swedish and English, and rejects versions and quantities', () => {
    const found = findCandidates([
      'Hej! Leveransadressen för kund 10042 saknas. Det gäller även order A-2003.',
      'The webshop shows the old price for art. P-200; beställning B-3001 too.',
      'Det tar 20 sekunder, 300 sekunder med version 5.12.0 (see https://x.example/a/123456, mail ab123@acme.example)',
    ])
    expect(found.map(({hint, rejected, token}) => [token, hint, rejected])).toEqual([
      ['10042', 'customer', null],
      ['A-2003', 'order', null],
      ['P-200', 'item', null],
      ['B-3001', 'order', null],
      ['300', null, 'a quantity ("300 sekunder")'],
      ['5.12.0', null, 'a version or decimal number, not a record code'],
    ])
  })
})

describe('routing a ticket to a profile', () => {
  const routes = [
    {organization: 'Acme AB', profile: 'acme'},
    {domain: 'nordic.example', profile: 'nordic'},
  ]
  it('by the organization first (case ignored), else the e-mail domain or a subdomain of it, else none', () => {
    const requester = (email: string) => ({email, name: 'x'})
    expect(routeTicket(routes, {organization: {name: ' acme ab '}, requester: requester('a@nordic.example')})).toEqual({
      by: 'organization',
      profile: 'acme',
    })
    expect(routeTicket(routes, {organization: null, requester: requester('a@shop.nordic.example')})).toEqual({
      by: 'domain',
      profile: 'nordic',
    })
    expect(routeTicket(routes, {organization: {name: 'Other'}, requester: requester('a@notnordic.example')})).toBeNull()
  })
})

/** A helpdesk in memory whose note POST loses its answer: after storing the note (`arrives`) or before. */
function losingHelpdesk(arrives: boolean): HelpdeskConnector & {posts: number; notes: HelpdeskNote[]} {
  const desk = {
    listNotes: async () => desk.notes,
    notes: [] as HelpdeskNote[],
    postInternalNote: async (_id: string, note: NoteToPost) => {
      desk.posts += 1
      if (arrives)
        desk.notes.push({
          createdAt: '2026-12-06T10:00:00Z',
          id: '1',
          internal: true,
          markers: markersIn(note.marker),
          text: note.markdown,
        })
      throw new HelpdeskError('unreachable', 'the connection was reset')
    },
    posts: 0,
    probe: async () => ({canAddInternalNotes: true, details: {}}),
    readTicket: async () => {
      throw new Error('not used')
    },
    system: 'zendesk',
  }
  return desk
}

describe('posting once', () => {
  const note = {
    fingerprint: 'customer|10042|consistent',
    markdown: 'report',
    subject: 'ticket',
    ticket: '4711',
    verdicts: ['customer 10042: consistent everywhere (consistent)'],
  }

  it('a note whose answer was lost is never sent again: the notes are read, and it counts only if it is there', async () => {
    const arrived = losingHelpdesk(true)
    expect(await postOnce(arrived, note)).toMatchObject({noteId: '1', status: 'posted'})
    expect(arrived.posts).toBe(1)
    const lost = losingHelpdesk(false)
    expect(await postOnce(lost, note)).toMatchObject({noteId: null, status: 'unconfirmed'})
    expect(lost.posts).toBe(1)
  })

  it('the marker is stable for the same verdicts and differs for another; changes read before → after', () => {
    expect(noteMarker(note)).toBe(noteMarker({...note}))
    // One ticket, two names (Jira's key or numeric id): the same marker, so the report is not posted twice.
    const byKey: typeof note = {...note, ticket: 'SUP-4711'}
    const byId: typeof note = {...note, ticket: '4711'}
    expect(noteMarker(byKey)).toBe(noteMarker(byId))
    expect(noteMarker(note)).toMatch(/^synctrace:v1:[0-9a-f]{8}:[0-9a-f]{16}$/)
    const changed = noteMarker({...note, fingerprint: 'customer|10042|erp-changed-after-sync'})
    expect(changed.slice(0, 21)).toBe(noteMarker(note).slice(0, 21))
    expect(changed).not.toBe(noteMarker(note))
    expect(
      verdictChanges(
        [
          'customer 10042: ERP → CMS: stale (erp-changed-after-sync)',
          'order A-2003: consistent everywhere (consistent)',
        ],
        ['customer 10042: consistent everywhere (consistent)', 'item P-200: consistent everywhere (consistent)'],
      ),
    ).toEqual([
      'customer 10042: ERP → CMS: stale (erp-changed-after-sync) → consistent everywhere (consistent)',
      'item P-200: consistent everywhere (consistent) (new)',
      'order A-2003: consistent everywhere (consistent) (no longer named)',
    ])
  })
})
