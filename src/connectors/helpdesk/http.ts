import type {HttpClient, HttpResponse} from '../../http/client.js'
import {parseRetryAfter} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {waitWithin} from '../../http/wait.js'
import {HelpdeskError, failureOf} from './errors.js'

export interface HelpdeskHttpSettings {
  /** The helpdesk's name in messages ("Zendesk"). */
  system: string
  /** `https://acme.zendesk.com`: every request goes to this origin, and only there. */
  baseUrl: string
  authorization: string
  describeError(status: number, body: unknown): string | undefined
}

/** Writes refused with 429 are sent again at most this often (a 429 is an answer: the note was not added). */
const writeAttempts = 4

/**
 * What the three helpdesks share over the run's HttpClient: one origin that gets the credentials, reads
 * retried by the client (Retry-After honoured), writes retried only on an answered 429 within the budget,
 * and every failure as a HelpdeskError with its reason.
 */
export class HelpdeskHttp {
  readonly origin: string
  private readonly base: string

  constructor(
    private readonly http: HttpClient,
    private readonly settings: HelpdeskHttpSettings,
  ) {
    this.base = settings.baseUrl.replace(/\/+$/, '')
    this.origin = new URL(this.base).origin
  }

  /** A path of the API, or a link the API gave (a next page): a link to another origin is refused, so the credentials never go there. */
  url(pathOrLink: string): string {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(pathOrLink)) return `${this.base}${pathOrLink}`
    let origin: string
    try {
      origin = new URL(pathOrLink).origin
    } catch {
      origin = 'an unreadable URL'
    }
    if (origin !== this.origin)
      throw new HelpdeskError(
        'bad-response',
        `${this.settings.system}: refused a link to another origin (${origin}) than the helpdesk's (${this.origin}): the credentials are sent only to ${this.origin}`,
      )
    return pathOrLink
  }

  async get<T = unknown>(pathOrLink: string, acceptStatuses: number[] = []): Promise<HttpResponse<T>> {
    const url = this.url(pathOrLink)
    return this.guard(() =>
      this.http.requestJson<T>({
        acceptStatuses,
        describeError: this.settings.describeError,
        headers: {authorization: this.settings.authorization},
        url,
      }),
    )
  }

  /**
   * A write (a note): never resent after a lost answer (the caller reads the notes first); resent after a 429,
   * which the helpdesk answered without adding anything, as its Retry-After asks and the budget allows.
   */
  async write<T = unknown>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<HttpResponse<T>> {
    const url = this.url(path)
    const budget = this.http.budget()
    for (let attempt = 1; ; attempt++) {
      const response = await this.guard(() =>
        this.http.requestJson<T>({
          acceptStatuses: attempt < writeAttempts ? [429] : [],
          body,
          describeError: this.settings.describeError,
          headers: {authorization: this.settings.authorization},
          method,
          url,
        }),
      )
      if (response.status !== 429) return response
      const waitMs = parseRetryAfter(response.headers['retry-after']) ?? 1000 * attempt
      await this.guard(() => waitWithin(waitMs, budget, `${this.settings.system} (rate limited)`, 'rate-limited', 429))
    }
  }

  /** Runs a call; the client's problems become HelpdeskErrors with their reason. */
  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      if (error instanceof HelpdeskError || !(error instanceof RequestProblem)) throw error
      const {problem} = error
      throw new HelpdeskError(failureOf(problem), problem.message, problem.httpStatus)
    }
  }
}

/** `Authorization: Basic base64(user:password)`. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`
}
