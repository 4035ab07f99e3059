import {randomUUID} from 'node:crypto'
import type {Dispatcher} from 'undici'

import {RequestProblem, type HopProblem} from './problem.js'
import {
  backoffMs,
  type HttpTimeouts,
  describeNetworkError,
  parseRetryAfter,
  requestParts,
  requestTarget,
  retryableErrorCodes,
  retryableStatuses,
} from './attempts.js'
import {redactUrl} from './redact.js'
import {parseBody, parseBodyQuietly, problemForStatus, readBody} from './response.js'
import {newAgent, requestOn} from './undici.js'
import {sleep, type WaitBudget, waitWithin} from './wait.js'

export {type HttpTimeouts, parseRetryAfter, requestTarget} from './attempts.js'

export const defaultTimeouts: HttpTimeouts = {bodyMs: 10_000, connectMs: 5000, headersMs: 10_000, totalMs: 20_000}

export interface HttpClientOptions {
  timeouts?: Partial<HttpTimeouts>
  /** Retries for idempotent requests (GET, and POST with an Idempotency-Key). */
  maxRetries?: number
  /** Responses larger than this are refused: a hop sending a huge body must not exhaust memory. */
  maxBodyBytes?: number
  /** Receives one line per request when --debug is on; secrets are already removed. */
  debug?: (line: string) => void
  /** Injected for tests of one error path; by default one Agent per client. */
  dispatcher?: Dispatcher
  /** Aborts all requests (Ctrl-C). */
  signal?: AbortSignal
  /**
   * One deadline for everything the client sends (epoch ms): a request started late gets only what is
   * left, so a chain of requests (a hop asked after another answered) cannot add up past --timeout.
   */
  deadlineAt?: number
  /** Told when a request starts and ends (for a live per-hop progress line). */
  activity?: (event: RequestActivity) => void
}

type ScopeOptions = Pick<HttpClientOptions, 'activity' | 'deadlineAt' | 'maxRetries' | 'timeouts'>

export interface RequestActivity {
  origin: string
  done: boolean
  ok: boolean
}

export interface HttpResponse<T = unknown> {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: T
}

export interface JsonRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  headers?: Record<string, string>
  /** JSON body; a string is sent as it is (form bodies). */
  body?: unknown
  /** Statuses the caller handles itself (404 for a lookup); others become problems. */
  acceptStatuses?: number[]
  /** Sends `Idempotency-Key` and makes a POST safe to retry. */
  idempotencyKey?: string
  /** A POST that is safe to repeat without a key (an OAuth token request): retried like a GET. */
  idempotent?: boolean
  /** False: never resent as it is; the caller retries itself (a request signed once per attempt, OAuth 1.0a). */
  retry?: boolean
  /** The end of the caller's budget (epoch ms), when the request is one attempt of the caller's own retries. */
  deadlineAt?: number
  /** Turns the service's error body into a one-line message. */
  describeError?: (status: number, body: unknown) => string | undefined
  /**
   * How long to wait before retrying a 429/5xx that carries no Retry-After, as the service says it
   * elsewhere: in the body (Visma eAccounting: "Try again in 55 seconds.") or its own headers (Visma.net's
   * `X-RateLimit-Reset`); undefined: the usual backoff.
   */
  retryDelayMs?: (
    status: number,
    body: unknown,
    headers: Record<string, string | string[] | undefined>,
  ) => number | undefined
}

/**
 * The one HTTP client of a run: a single undici Agent with explicit timeouts, bounded retries that honour
 * Retry-After for idempotent requests, a cap on body size, and problems classified so the caller can
 * tell "unreachable" from "answered with an error".
 */
export class HttpClient {
  readonly timeouts: HttpTimeouts
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  private readonly maxRetries: number
  private readonly maxBodyBytes: number

  constructor(private readonly options: HttpClientOptions = {}) {
    this.timeouts = {...defaultTimeouts, ...options.timeouts}
    this.maxRetries = options.maxRetries ?? 3
    this.maxBodyBytes = options.maxBodyBytes ?? 20 * 1024 * 1024
    this.ownsDispatcher = !options.dispatcher
    this.dispatcher =
      options.dispatcher ??
      newAgent({
        bodyTimeout: this.timeouts.bodyMs,
        connect: {timeout: this.timeouts.connectMs},
        connections: 16,
        headersTimeout: this.timeouts.headersMs,
      })
  }

  /** The --debug line writer of this run, for the other protocols' clients (file servers). */
  get debug(): ((line: string) => void) | undefined {
    return this.options.debug
  }

  /** The run's abort signal (Ctrl-C), for connections that are not HTTP (the file server). */
  get signal(): AbortSignal | undefined {
    return this.options.signal
  }

  /**
   * This client's connections, --debug and Ctrl-C, for one operation with its own deadline (a trace, a doctor
   * run, a reconcile's pages): the run keeps one pool. `own`: a pool the caller destroys, for one tenant of many on
   * a shared origin (its hung requests hold no other's connections).
   */
  scoped(options: ScopeOptions, pool: 'shared' | 'own' = 'shared'): HttpClient {
    return new HttpClient({...this.options, ...options, dispatcher: pool === 'own' ? undefined : this.dispatcher})
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close().catch(() => undefined)
  }

  /** Ends the connections at once, in flight or not: the run's output is written, nothing waits for a socket. */
  async destroy(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.destroy().catch(() => undefined)
  }

  /** What is left of the run's budget for one more request (never more than one request's budget). */
  remainingMs(deadlineAt = this.options.deadlineAt): number {
    const left = deadlineAt === undefined ? Number.POSITIVE_INFINITY : deadlineAt - Date.now()
    return Math.max(1, Math.min(this.timeouts.totalMs, left))
  }

  /**
   * The budget of one logical request started at `startedAt`, retries and waits included: --timeout from
   * its start, never past the run's deadline, ended by Ctrl-C. Connectors wait with it (`waitWithin`).
   */
  budget(startedAt = Date.now()): WaitBudget {
    const deadlineAt = Math.min(startedAt + this.timeouts.totalMs, this.options.deadlineAt ?? Number.POSITIVE_INFINITY)
    return {deadlineAt, signal: this.options.signal, timeoutMs: this.timeouts.totalMs}
  }

  async requestJson<T = unknown>(req: JsonRequest): Promise<HttpResponse<T>> {
    const {activity} = this.options
    if (!activity) return this.send<T>(req)
    const {origin} = requestTarget(req.url)
    activity({done: false, ok: true, origin})
    try {
      const response = await this.send<T>(req)
      activity({done: true, ok: true, origin})
      return response
    } catch (error) {
      activity({done: true, ok: false, origin})
      throw error
    }
  }

  private async send<T>(req: JsonRequest): Promise<HttpResponse<T>> {
    const method = req.method ?? 'GET'
    const target = requestTarget(req.url)
    const host = target.host
    const idempotent =
      req.retry !== false && (method === 'GET' || Boolean(req.idempotencyKey) || req.idempotent === true)
    const requestStarted = Date.now()
    const deadline = AbortSignal.timeout(
      this.remainingMs(Math.min(req.deadlineAt ?? Number.POSITIVE_INFINITY, this.budget(requestStarted).deadlineAt)),
    )
    const signal = this.options.signal ? AbortSignal.any([deadline, this.options.signal]) : deadline
    const {headers, payload} = requestParts(req)
    this.refuseAfterDeadline(method, target)

    for (let attempt = 0; ; attempt++) {
      const started = performance.now()
      let status: number
      let responseHeaders: Record<string, string | string[] | undefined>
      let text: string
      try {
        const response = await requestOn(this.dispatcher, {
          body: payload,
          bodyTimeout: this.timeouts.bodyMs,
          headers,
          headersTimeout: this.timeouts.headersMs,
          method,
          origin: target.origin,
          path: target.path,
          signal,
        })
        status = response.statusCode
        responseHeaders = response.headers
        text = await readBody(response.body, host, this.maxBodyBytes)
      } catch (error) {
        if (this.options.signal?.aborted) throw error
        const problem =
          error instanceof RequestProblem ? error.problem : describeNetworkError(error, host, this.timeouts)
        const code = (error as {code?: string}).code
        this.log(method, target, `failed (${problem.message})`, started)
        if (idempotent && attempt < this.maxRetries && code && retryableErrorCodes.has(code) && !deadline.aborted) {
          await this.wait(backoffMs(attempt), signal, problem)
          continue
        }
        throw new RequestProblem(problem)
      }
      this.log(method, target, String(status), started)

      if (retryableStatuses.has(status) && idempotent && attempt < this.maxRetries) {
        await this.waitToRetry(status, responseHeaders, {attempt, host, requestStarted, signal}, () =>
          req.retryDelayMs?.(status, parseBodyQuietly(text), responseHeaders),
        )
        continue
      }

      const body = parseBody(text, responseHeaders, status, host)
      if (status >= 200 && status < 300) return {body: body as T, headers: responseHeaders, status}
      if (req.acceptStatuses?.includes(status)) return {body: body as T, headers: responseHeaders, status}
      throw new RequestProblem(problemForStatus(status, body, host, req.describeError))
    }
  }

  /** A 429 or 5xx worth retrying: waits as Retry-After or the service (`retryDelayMs`) says, or backs off, unless that is beyond the budget. */
  private async waitToRetry(
    status: number,
    headers: Record<string, string | string[] | undefined>,
    at: {attempt: number; host: string; requestStarted: number; signal: AbortSignal},
    serviceDelayMs: () => number | undefined,
  ): Promise<void> {
    const waitMs = parseRetryAfter(headers['retry-after']) ?? serviceDelayMs() ?? backoffMs(at.attempt)
    const what = `${at.host}: HTTP ${status}${status === 429 ? ' (rate limited)' : ''}`
    const kind = status === 429 ? 'rate-limited' : 'http-error'
    await waitWithin(waitMs, {...this.budget(at.requestStarted), signal: at.signal}, what, kind, status).catch(
      (error: unknown) => {
        if (this.options.signal?.aborted || error instanceof RequestProblem) throw error
        // The total budget ran out while waiting: report what we were waiting for.
        throw new RequestProblem({
          httpStatus: status,
          kind,
          message: `${what}, still after ${at.attempt + 1} attempt(s)`,
        })
      },
    )
  }

  private async wait(ms: number, signal: AbortSignal, problem: HopProblem): Promise<void> {
    try {
      await sleep(ms, signal)
    } catch (error) {
      if (this.options.signal?.aborted) throw error
      // The total budget ran out while waiting: report what we were waiting for.
      throw new RequestProblem(problem)
    }
  }

  /** Once the run's deadline has passed, nothing more is sent: the request ends as one cut off by it would. */
  private refuseAfterDeadline(method: string, target: {origin: string; path: string; host: string}): void {
    const {deadlineAt} = this.options
    if (deadlineAt === undefined || Date.now() < deadlineAt) return
    const message = `${target.host}: no complete answer within ${this.timeouts.totalMs} ms`
    this.log(method, target, `not sent, the deadline has passed (${message})`, performance.now())
    throw new RequestProblem({kind: 'timeout', message})
  }

  private log(method: string, target: {origin: string; path: string}, outcome: string, started: number): void {
    this.options.debug?.(
      `${method} ${redactUrl(`${target.origin}${target.path}`)} → ${outcome} in ${Math.round(performance.now() - started)} ms`,
    )
  }
}

export function newIdempotencyKey(): string {
  return randomUUID()
}
