import type {HttpClient} from '../../../http/client.js'
import type {JsonObject} from '../../schema.js'
import {parseAnswer} from '../../schema.js'
import {adfText, jiraMaxCommentLength} from '../adf.js'
import {HelpdeskError} from '../errors.js'
import {basicAuth, HelpdeskHttp} from '../http.js'
import {defaultCommentCount, maxNotePages} from '../paging.js'
import {
  type HelpdeskConnector,
  type HelpdeskNote,
  type HelpdeskProbe,
  type HelpdeskTicket,
  markersIn,
  type NoteToPost,
  type PostedNote,
  type ReadOptions,
} from '../types.js'
import * as schemas from './schemas.js'

export interface JiraSettings {
  /** `https://{site}.atlassian.net` */
  url: string
  email: string
  token: string
}

const system = 'Jira'
/** The property that makes a Jira Service Management comment internal. */
export const internalProperty = 'sd.public.comment'
/** synctrace's own comment property: the note's marker, read back with `expand=properties`. */
export const markerProperty = 'synctrace.report'

/** `{"errorMessages": […], "errors": {field: message}}`. */
export function describeJiraError(_status: number, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const {errorMessages, errors} = body as JsonObject
  const messages = [
    ...(Array.isArray(errorMessages) ? errorMessages.filter((entry) => typeof entry === 'string') : []),
    ...(errors && typeof errors === 'object'
      ? Object.entries(errors).map(([field, text]) => `${field}: ${String(text)}`)
      : []),
  ]
  return messages.join('; ') || undefined
}

const issuePath = (key: string) => `/rest/api/3/issue/${encodeURIComponent(key)}`

/** Internal: the `sd.public.comment` property says so, else JSM's `jsdPublic` (a comment on a plain Jira project is neither). */
function isInternal(entry: schemas.JiraComment): boolean {
  const property = entry.properties?.find((candidate) => candidate.key === internalProperty)
  const internal = (property?.value as {internal?: unknown} | undefined)?.internal
  if (typeof internal === 'boolean') return internal
  return entry.jsdPublic === false
}

function noteOf(entry: schemas.JiraComment): HelpdeskNote {
  const text = adfText(entry.body)
  const property = entry.properties?.find((candidate) => candidate.key === markerProperty)
  const marker = (property?.value as {marker?: unknown} | undefined)?.marker
  const markers = [...new Set([...(typeof marker === 'string' ? [marker] : []), ...markersIn(text)])]
  return {createdAt: entry.created, id: entry.id, internal: isInternal(entry), markers, text}
}

/**
 * Jira Cloud REST v3 for Jira Service Management: Basic `{email}:{API token}`, comments by `startAt`/`maxResults`
 * with `expand=properties`, an internal note as an ADF comment with the `sd.public.comment` property
 * `{internal: true}`. Jira answers 404 for an issue the credentials cannot see, bad credentials included:
 * `/myself` tells which.
 */
export class JiraConnector implements HelpdeskConnector {
  readonly system = 'jira'
  private readonly api: HelpdeskHttp

  constructor(http: HttpClient, settings: JiraSettings) {
    this.api = new HelpdeskHttp(http, {
      authorization: basicAuth(settings.email, settings.token),
      baseUrl: settings.url,
      describeError: describeJiraError,
      system,
    })
  }

  async readTicket(key: string, options: ReadOptions = {}): Promise<HelpdeskTicket> {
    const answer = await this.onIssue(key, () => this.api.get(`${issuePath(key)}?fields=*navigable&expand=names`))
    const issue = parseAnswer(schemas.issueAnswer, answer.body, system, 'the issue')
    const size = Math.min(100, Math.max(1, options.comments ?? defaultCommentCount))
    const page = await this.api.get(
      `${issuePath(key)}/comment?startAt=0&maxResults=${size}&orderBy=-created&expand=properties`,
    )
    const comments = parseAnswer(schemas.commentsPage, page.body, system, 'the comments').comments.reverse()
    const reporter = issue.fields.reporter
    return {
      comments: comments.map((entry) => ({
        author: {email: entry.author?.emailAddress ?? null, name: entry.author?.displayName ?? 'unknown'},
        createdAt: entry.created,
        id: entry.id,
        internal: isInternal(entry),
        text: adfText(entry.body),
      })),
      description: adfText(issue.fields.description),
      id: issue.key,
      organization: organizationOf(issue),
      requester: {email: reporter?.emailAddress ?? null, name: reporter?.displayName ?? 'unknown'},
      subject: issue.fields.summary ?? '',
      url: `${this.api.origin}/browse/${encodeURIComponent(issue.key)}`,
    }
  }

  async listNotes(key: string): Promise<HelpdeskNote[]> {
    const notes: HelpdeskNote[] = []
    for (let startAt = 0, pages = 0; ; pages++) {
      if (pages === maxNotePages)
        throw new HelpdeskError('bad-response', `${system}: ${key} has more than ${maxNotePages} pages of comments`)
      const path = `${issuePath(key)}/comment?startAt=${startAt}&maxResults=100&orderBy=created&expand=properties`
      const answer = await this.onIssue(key, () => this.api.get(path))
      const page = parseAnswer(schemas.commentsPage, answer.body, system, 'the comments')
      notes.push(...page.comments.map(noteOf))
      startAt = page.startAt + page.comments.length
      if (page.comments.length === 0 || startAt >= page.total) return notes
    }
  }

  /** Jira Cloud refuses a comment whose body is longer than its text fields' 32 767 characters (docs/contract-readings.md). */
  async fitsNote(note: NoteToPost): Promise<boolean> {
    const {markdownToJiraAdf, withMarker} = await import('../markdown.js')
    return JSON.stringify(markdownToJiraAdf(withMarker(note.markdown, note.marker))).length <= jiraMaxCommentLength
  }

  async postInternalNote(key: string, note: NoteToPost): Promise<PostedNote> {
    // markdown-it and marklassian are loaded when a note is posted, not by every trace that reads a profile.
    const {markdownToJiraAdf, withMarker} = await import('../markdown.js')
    const body = markdownToJiraAdf(withMarker(note.markdown, note.marker))
    const properties = [
      {key: internalProperty, value: {internal: true}},
      {key: markerProperty, value: {marker: note.marker}},
    ]
    const answer = await this.onIssue(key, () =>
      this.api.write('POST', `${issuePath(key)}/comment`, {body, properties}),
    )
    const created = parseAnswer(schemas.createdComment, answer.body, system, 'the comment')
    return {
      noteId: created.id,
      url: `${this.api.origin}/browse/${encodeURIComponent(key)}?focusedCommentId=${encodeURIComponent(created.id)}`,
    }
  }

  async probe(): Promise<HelpdeskProbe> {
    const me = parseAnswer(schemas.myself, (await this.api.get('/rest/api/3/myself')).body, system, 'the current user')
    const answer = await this.api.get('/rest/api/3/mypermissions?permissions=ADD_COMMENTS')
    const {permissions} = parseAnswer(schemas.myPermissions, answer.body, system, 'the permissions')
    const canComment = permissions.ADD_COMMENTS?.havePermission === true
    return {
      canAddInternalNotes: canComment,
      details: {email: me.emailAddress ?? '', user: me.displayName ?? ''},
      note: canComment
        ? 'Add Comments is granted; an internal comment also needs the agent role in the service project'
        : 'the user may not add comments (permission ADD_COMMENTS)',
    }
  }

  /** A 404 on an issue is "no such issue" only when the credentials work: Jira hides bad credentials behind it. */
  private async onIssue<T>(key: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      if (!(error instanceof HelpdeskError) || error.reason !== 'not-found') throw error
      const credentials = await this.api.get('/rest/api/3/myself').then(
        () => 'valid',
        (problem: unknown) => (problem instanceof HelpdeskError && problem.reason === 'auth' ? 'refused' : 'unknown'),
      )
      if (credentials === 'refused')
        throw new HelpdeskError(
          'auth',
          `${system}: the credentials were refused (${key} answered 404 and /myself 401)`,
          401,
        )
      throw new HelpdeskError('not-found', `${system}: no issue ${key}, or the user may not see it`, 404)
    }
  }
}

/** JSM's Organizations field (found by its name in `names`): the first organization's name. */
function organizationOf(issue: ReturnType<typeof schemas.issueAnswer.parse>): {name: string} | null {
  const fieldId = Object.entries(issue.names ?? {}).find(([, name]) => name === 'Organizations')?.[0]
  const value = fieldId ? (issue.fields as JsonObject)[fieldId] : undefined
  const first = Array.isArray(value) ? (value[0] as JsonObject | undefined) : undefined
  return first && typeof first.name === 'string' ? {name: first.name} : null
}
