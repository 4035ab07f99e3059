import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'

import {listenAgain} from './listen-again.js'

/**
 * A fault injected into one sandbox service, to see how the tool reports a hop that misbehaves. With
 * `path`, only requests whose path starts with it are hit.
 */
export type Fault = FaultKind & {path?: string}

type FaultKind =
  | {kind: 'down'}
  | {kind: 'slow'; delayMs: number}
  | {kind: 'hang'}
  | {kind: 'reset'}
  | {kind: 'status'; status: number; retryAfter?: string; times?: number}
  | {kind: 'malformed-json'}
  | {kind: 'html'}
  | {kind: 'huge'; megabytes: number}
  /** The request is handled (a job is created), then the connection is cut before the answer: a lost response. */
  | {kind: 'drop-response'; times?: number}

export interface RecordedRequest {
  service: string
  method: string
  /** The path as sent (percent-encoded). */
  path: string
  query: Record<string, string>
  idempotencyKey: string | null
  at: string
  /** When the request arrived and when its answer was sent (this process's `performance.now()`; null: none sent). */
  arrivedMs: number
  answeredMs: number | null
}

export interface SandboxRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
  bearer: string | null
}

export interface SandboxResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export type Handler = (request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>

/**
 * An emulator's page-size cap from its seed (`maxPageSize`): a whole number from 1 up to the API's own
 * largest page, else the API's own largest. A real API limits what is asked to it: the knob lets a test or
 * a history play a tenant whose maximum is small.
 */
export function pageSizeOf(value: unknown, largest: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? Math.min(value, largest) : largest
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return {body, headers, status}
}

/** One system of the sandbox (the ERP, the CMS, ...): a real HTTP server on 127.0.0.1 that records what it was asked. */
export class SandboxService {
  readonly requests: RecordedRequest[] = []
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  private fault: Fault | null = null
  private boundPort = 0
  /** How far this server's clock (its Date header) is from the real time. */
  clockOffsetMs = 0

  constructor(
    readonly name: string,
    private readonly handler: Handler,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`
  }

  get port(): number {
    return this.boundPort
  }

  async start(port = this.boundPort): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response))
    server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
    this.server = server
    this.boundPort = (server.address() as AddressInfo).port
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (!server) return
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Sets or clears a fault; `down` closes the port, clearing it listens again on the same port. */
  async setFault(fault: Fault | null): Promise<void> {
    this.fault = fault
    if (fault?.kind === 'down') await this.stop()
    else if (!this.server) await listenAgain(() => this.start(this.boundPort), this.boundPort)
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrivedMs = performance.now()
    const url = new URL(request.url ?? '/', 'http://sandbox')
    // The path as sent: a URL parser would resolve dot segments, even encoded ones (`%2E%2E`), as no real
    // server that routes on encoded segments does.
    const path = (request.url ?? '/').split('?')[0] || '/'
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const recorded = this.record(request, path, url, arrivedMs)
    response.once('finish', () => {
      recorded.answeredMs = performance.now()
    })
    const fault = this.fault && (!this.fault.path || path.startsWith(this.fault.path)) ? this.fault : null
    if (fault && (await this.playFault(fault, request, response))) return
    const authorization = request.headers.authorization
    const bearer =
      typeof authorization === 'string' && /^Bearer /i.test(authorization) ? authorization.slice(7).trim() : null
    try {
      const result = await this.handler({
        body: Buffer.concat(chunks).toString('utf8'),
        bearer,
        headers: request.headers,
        method: request.method ?? 'GET',
        path,
        query: url.searchParams,
      })
      if (fault?.kind === 'drop-response') {
        request.socket.destroy()
        return
      }
      this.send(response, result)
    } catch (error) {
      this.send(response, json(500, {error: {code: 'internal', message: (error as Error).message}}))
    }
  }

  private record(request: IncomingMessage, path: string, url: URL, arrivedMs: number): RecordedRequest {
    const idempotencyKey = request.headers['idempotency-key']
    const recorded: RecordedRequest = {
      answeredMs: null,
      arrivedMs,
      at: new Date().toISOString(),
      idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : null,
      method: request.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      service: this.name,
    }
    this.requests.push(recorded)
    return recorded
  }

  /**
   * Plays a fault on one request; true when the fault took the request over (answered it, or never will),
   * false when the handler still answers it (after a delay, or to have its answer dropped).
   */
  private async playFault(fault: Fault, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'hang':
        return true
      case 'drop-response':
        if (fault.times !== undefined && --fault.times <= 0) this.fault = null
        return false
      case 'reset':
        response.writeHead(200, {'content-length': '1000', 'content-type': 'application/json'})
        response.write('{"customerCode": "')
        setTimeout(() => request.socket.destroy(), 20)
        return true
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
        return false
      case 'malformed-json':
        this.send(response, {body: '{"customerCode": "10042", "name": ', status: 200})
        return true
      case 'huge':
        await this.sendHuge(response, fault.megabytes)
        return true
      case 'html':
        this.send(response, {
          body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
          headers: {'content-type': 'text/html'},
          status: 502,
        })
        return true
      case 'status':
        this.sendFaultStatus(response, fault)
        return true
      default:
        return false
    }
  }

  /** A body of `megabytes` MB of spaces and then `{}`, written as fast as the client reads it. */
  private async sendHuge(response: ServerResponse, megabytes: number): Promise<void> {
    response.writeHead(200, {'content-type': 'application/json'})
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    for (let index = 0; index < megabytes && !response.destroyed; index++)
      if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve))
    response.end('{}')
  }

  /** The fault's status with a contract error body; a fault with `times` clears itself after that many. */
  private sendFaultStatus(response: ServerResponse, fault: Extract<Fault, {kind: 'status'}>): void {
    if (fault.times !== undefined) {
      fault.times -= 1
      if (fault.times <= 0) this.fault = null
    }
    const code = fault.status === 429 ? 'rate_limited' : fault.status >= 500 ? 'internal' : 'error'
    this.send(
      response,
      json(
        fault.status,
        {error: {code, message: `sandbox fault: HTTP ${fault.status}`}},
        fault.retryAfter ? {'retry-after': fault.retryAfter} : {},
      ),
    )
  }

  private send(response: ServerResponse, result: SandboxResponse): void {
    if (response.destroyed) return
    const body =
      typeof result.body === 'string' ? result.body : result.body === undefined ? '' : JSON.stringify(result.body)
    response.writeHead(result.status, {
      'content-type': 'application/json; charset=utf-8',
      date: new Date(Date.now() + this.clockOffsetMs).toUTCString(),
      ...result.headers,
    })
    response.end(body)
  }
}

/** Matches a path against a pattern with `:name` segments; values are percent-decoded. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const patternParts = pattern.split('/')
  const pathParts = path.split('/')
  if (patternParts.length !== pathParts.length) return null
  const params: Record<string, string> = {}
  for (const [index, part] of patternParts.entries()) {
    const actual = pathParts[index] as string
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(actual)
      } catch {
        return null
      }
    } else if (part !== actual) return null
  }
  return params
}

/**
 * A fault from the command line of `synctrace sandbox`: `down`, `hang`, `reset`, `html`, `malformed-json`,
 * `slow:<ms>`, `<status>` (e.g. `500`), `429:<retry-after seconds>`, `huge:<MB>`.
 */
export function parseFaultSpec(spec: string): Fault {
  const [kind = '', argument] = spec.split(':')
  if (kind === 'down' || kind === 'hang' || kind === 'reset' || kind === 'html' || kind === 'malformed-json')
    return {kind}
  if (kind === 'slow' && /^\d+$/.test(argument ?? '')) return {delayMs: Number(argument), kind: 'slow'}
  if (kind === 'huge' && /^\d+$/.test(argument ?? '')) return {kind: 'huge', megabytes: Number(argument)}
  if (/^[45]\d\d$/.test(kind))
    return argument === undefined
      ? {kind: 'status', status: Number(kind)}
      : {kind: 'status', retryAfter: argument, status: Number(kind)}
  throw new Error(
    `unknown fault "${spec}": use down, hang, reset, html, malformed-json, slow:<ms>, huge:<MB>, <status> or 429:<seconds>`,
  )
}
