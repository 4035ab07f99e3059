import type {z} from 'zod'

import type {HttpClient} from '../../http/client.js'
import type {ErpSetting} from '../erp-system.js'

/** One person a helpdesk names: a requester or a comment's author. */
export interface HelpdeskPerson {
  name: string
  email: string | null
}

/** A comment of a ticket as synctrace reads it: its text is data (plain text, never markup to render). */
export interface HelpdeskComment {
  id: string
  author: HelpdeskPerson
  /** ISO 8601, as the helpdesk gave it. */
  createdAt: string
  /** An internal note (Zendesk `public: false`, Freshdesk `private: true`, JSM `sd.public.comment` internal). */
  internal: boolean
  text: string
}

/** A ticket: what it asks (subject, description, the latest comments) and who asks it. */
export interface HelpdeskTicket {
  id: string
  subject: string
  description: string
  /** The latest comments, oldest first (public and internal). */
  comments: HelpdeskComment[]
  requester: HelpdeskPerson
  organization: {name: string} | null
  /** Where an agent opens the ticket. */
  url: string
}

/** A comment or note as read for deduplication: its text and the markers synctrace left in it. */
export interface HelpdeskNote {
  id: string
  internal: boolean
  createdAt: string
  text: string
  /** The synctrace markers found in the note (its text, or on Jira also its entity property). */
  markers: string[]
}

/** A note synctrace posts: Markdown of its own making, and its stable marker (`synctrace:…`). */
export interface NoteToPost {
  markdown: string
  marker: string
}

export interface PostedNote {
  noteId: string
  url?: string
}

/** What doctor learns without writing: who the credentials are, and whether they may add internal notes. */
export interface HelpdeskProbe {
  details: Record<string, string>
  canAddInternalNotes: boolean
  /** Why not, or what the API cannot tell. */
  note?: string
}

export interface ReadOptions {
  /** How many of the latest comments to read (default 10). */
  comments?: number
}

/** One helpdesk's wire format behind the same four calls. */
export interface HelpdeskConnector {
  readonly system: string
  readTicket(id: string, options?: ReadOptions): Promise<HelpdeskTicket>
  /** Every comment and note of the ticket, page by page as the API pages, at most `maxNotes`. */
  listNotes(id: string): Promise<HelpdeskNote[]>
  postInternalNote(id: string, note: NoteToPost): Promise<PostedNote>
  /**
   * Whether the helpdesk takes a note this long, for one with a limit on a comment's size (Jira); absent: no
   * known limit, every note is posted whole.
   */
  fitsNote?(note: NoteToPost): Promise<boolean>
  probe(): Promise<HelpdeskProbe>
}

/** A value of a profile's `helpdesk` section and the `profile add` flag and prompt that give it, as the ERPs' settings. */
export type HelpdeskSetting = ErpSetting

/**
 * Everything synctrace knows about one helpdesk, as an ERP's descriptor: its id in the profile
 * (`helpdesk.system`), its name, its profile section and `profile add` settings, how it authenticates, what
 * its ticket ids look like, and its connector. `src/connectors/helpdesk/registry.ts` lists them.
 */
export interface HelpdeskSystem<Section extends {url: string} = {url: string}> {
  id: 'zendesk' | 'freshdesk' | 'jira'
  displayName: string
  /** How the credentials are sent, for help texts ("Basic email/token:API token"). */
  auth: string
  /** What a ticket id looks like, for messages ("4711", "SUP-12"). */
  ticketExample: string
  ticketPattern: RegExp
  settings: readonly HelpdeskSetting[]
  schema: z.ZodType<Section>
  /**
   * Loads its connector's code (`await import('./connector.js')`) and builds the connector: a run that reads or
   * posts no ticket loads none.
   */
  connect(section: Section, http: HttpClient): Promise<HelpdeskConnector>
}

export function defineHelpdeskSystem<Section extends {url: string}>(system: HelpdeskSystem<Section>): HelpdeskSystem {
  return system as unknown as HelpdeskSystem
}

/** A synctrace marker: `synctrace:` and letters, digits, `:._-` (no Markdown, HTML or ADF meaning). */
export const markerPattern = /^synctrace:[A-Za-z0-9:._-]{1,120}$/
const markerInText = /synctrace:[A-Za-z0-9:._-]{1,120}/g

/** The markers a note's text holds. */
export function markersIn(text: string): string[] {
  return [...new Set(text.match(markerInText) ?? [])]
}
