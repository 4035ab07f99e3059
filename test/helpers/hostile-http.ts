import {createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

/**
 * A hostile HTTP server for the battery: a proxy in front of the sandbox's real servers that keeps the
 * contract's shape but makes every answer hostile, in one of several modes:
 * - `strings`: every string gets escape sequences, bidi, zero-width characters, the request's
 *   Authorization header and every known secret appended (timestamps and enum fields stay readable, so
 *   the flows run through: job ids, user ids, ERP names and every text field carry it);
 * - `types`: values swapped for odd types (numbers, objects, lists, null, 1e308) at many fields;
 * - `schedule:<variant>`: `/installation`'s autoSync with a bogus time zone, `at` or `everyHours`;
 * - `deep`: a 20 000-deep list in every object, and as `/me`'s user;
 * - `off-origin`: `@odata.nextLink`, `next` and `nextLink` fields pointing at another address;
 * - `die-post`: every POST gets its connection destroyed before any answer;
 * - `hang-post`: every POST is held without an answer (for kill -9 tests).
 * Path segments the proxy decorated are undecorated on the way back in, so a decorated job id still
 * reaches the job.
 */
export const hostileText =
  '\u001B[2J\u001B]52;c;ZXZpbA==\u0007\u001B]8;;http://evil.example/\u0007\u009B31m\u202Egnp.exe\u202A\u2066\u2069\u200B\u200D\u2060\u2028\u2029\uFEFF\r\b\u007F\u0085'

export type HostileMode =
  | 'strings'
  | 'types'
  | 'deep'
  | 'off-origin'
  | 'die-post'
  | 'hang-post'
  | `schedule:${'timezone' | 'at' | 'every'}`

const keepEnums = new Set([
  'status',
  'role',
  'connection',
  'mode',
  'entity',
  'outcome',
  'origin',
  'channel',
  'kind',
  'type',
  'grant_type',
  'token_type',
  '@odata.context',
  '@odata.etag',
])
const isoLike = /^\d{4}-\d{2}-\d{2}/

export interface HostileProxy {
  origin: string
  /** Hostile answers served. */
  answers: number
  /** POSTs that reached the proxy, with their Idempotency-Key. */
  posts: Array<{path: string; idempotencyKey: string | undefined}>
  close(): Promise<void>
}

export interface HostileWorld {
  mode: HostileMode
  /** Every secret of the run: echoed into answers, and none may come back out of synctrace. */
  secrets: string[]
  /** The address off-origin links and bounces point at. */
  otherOrigin: string
}

function hash(text: string): number {
  let value = 2166136261
  for (const char of text) value = Math.imul(value ^ char.charCodeAt(0), 16777619) >>> 0
  return value
}

function decorate(value: string, authorization: string, world: HostileWorld): string {
  return `${value}${hostileText}[auth ${authorization}][${world.secrets.join('|')}]`
}

function hostileStrings(value: unknown, key: string, authorization: string, world: HostileWorld): unknown {
  if (typeof value === 'string')
    return keepEnums.has(key) || isoLike.test(value) || key === 'access_token'
      ? value
      : decorate(value, authorization, world)
  if (Array.isArray(value)) return value.map((entry) => hostileStrings(entry, key, authorization, world))
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([name, entry]) => [name, hostileStrings(entry, name, authorization, world)]),
    )
  return value
}

const oddValues: unknown[] = [123, {nested: {x: 1}}, ['a', 1], null, true, 1e308, '', -1, 'NaN', {}]

function oddTypes(value: unknown, path: string): unknown {
  if (Array.isArray(value)) return value.map((entry, index) => oddTypes(entry, `${path}[${index}]`))
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([name, entry]) => {
        const where = `${path}.${name}`
        if (name === 'access_token' || name === 'expires_in') return [name, entry]
        const roll = hash(where) % 3
        return [name, roll === 0 ? oddValues[hash(`${where}!`) % oddValues.length] : oddTypes(entry, where)]
      }),
    )
  return value
}

function deepList(depth: number): string {
  return `${'['.repeat(depth)}"x"${']'.repeat(depth)}`
}

function undecorate(segment: string): string {
  let decoded: string
  try {
    decoded = decodeURIComponent(segment)
  } catch {
    return segment
  }
  const cut = decoded.indexOf(hostileText)
  return cut === -1 ? segment : encodeURIComponent(decoded.slice(0, cut))
}

function undecoratePath(url: string): string {
  const [path = '', query] = url.split('?', 2)
  const cleanPath = path.split('/').map(undecorate).join('/')
  if (query === undefined) return cleanPath
  const cleanQuery = query
    .split('&')
    .map((pair) => {
      const [name = '', value = ''] = pair.split('=', 2)
      return `${name}=${undecorate(value.replace(/\+/g, '%20'))}`
    })
    .join('&')
  return `${cleanPath}?${cleanQuery}`
}

function transform(body: unknown, request: IncomingMessage, world: HostileWorld): string {
  const authorization = String(request.headers.authorization ?? '')
  const path = request.url ?? ''
  switch (world.mode) {
    case 'strings':
      return JSON.stringify(hostileStrings(body, '', authorization, world))
    case 'types':
      // The token endpoint keeps working, so the ERP's data gets odd types too.
      return JSON.stringify(path.includes('/token') ? body : oddTypes(body, path.split('?')[0] ?? ''))
    case 'deep': {
      if (!body || typeof body !== 'object' || Array.isArray(body) || path.includes('/token'))
        return JSON.stringify(body)
      const text = JSON.stringify(path.endsWith('/me') ? {...body, user: '__DEEP__'} : {...body, deep: '__DEEP__'})
      return text.replace('"__DEEP__"', deepList(20_000))
    }
    case 'off-origin': {
      if (!body || typeof body !== 'object' || Array.isArray(body) || path.includes('/token'))
        return JSON.stringify(body)
      const steal = `${world.otherOrigin}/steal${path}`
      return JSON.stringify({...body, '@odata.nextLink': steal, next: steal, nextLink: steal, statusUrl: steal})
    }
    default: {
      if (world.mode.startsWith('schedule:') && path.endsWith('/installation') && body && typeof body === 'object') {
        const variant = world.mode.slice('schedule:'.length)
        const autoSync = {
          ...((body as {autoSync?: object}).autoSync ?? {}),
          ...(variant === 'timezone'
            ? {timezone: 'Mars/Olympus_Mons'}
            : variant === 'at'
              ? {at: 'xx'}
              : {everyHours: 1e10}),
        }
        return JSON.stringify({...body, autoSync})
      }
      return JSON.stringify(body)
    }
  }
}

/** A proxy in front of one upstream origin. */
export async function startHostileProxy(upstream: string, world: HostileWorld): Promise<HostileProxy> {
  const target = new URL(upstream)
  const posts: HostileProxy['posts'] = []
  const held = new Set<ServerResponse>()
  const counter = {answers: 0}
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (request.method === 'POST' && !(request.url ?? '').includes('/token')) {
        posts.push({idempotencyKey: request.headers['idempotency-key'] as string | undefined, path: request.url ?? ''})
        if (world.mode === 'die-post') return request.socket.destroy()
        if (world.mode === 'hang-post') return void held.add(response)
      }
      const upstreamRequest = httpRequest(
        {
          headers: {...request.headers, host: target.host},
          hostname: target.hostname,
          method: request.method,
          path: undecoratePath(request.url ?? '/'),
          port: target.port,
        },
        (upstreamResponse) => {
          const parts: Buffer[] = []
          upstreamResponse.on('data', (chunk: Buffer) => parts.push(chunk))
          upstreamResponse.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8')
            let out = text
            try {
              out = transform(JSON.parse(text), request, world)
            } catch {
              // Not JSON: passed on as it is.
            }
            const headers = {...upstreamResponse.headers}
            delete headers['content-length']
            delete headers['transfer-encoding']
            counter.answers++
            response.writeHead(upstreamResponse.statusCode ?? 502, headers)
            response.end(out)
          })
        },
      )
      upstreamRequest.on('error', () => response.destroy())
      upstreamRequest.end(Buffer.concat(chunks))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    get answers() {
      return counter.answers
    },
    close: async () => {
      for (const response of held) response.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
  }
}

/** The "other address": any request reaching it is an off-origin request (a credential sent elsewhere). */
export async function startOtherAddress(): Promise<{origin: string; requests: string[]; close(): Promise<void>}> {
  const requests: string[] = []
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url} auth=${request.headers.authorization ?? ''}`)
    response.writeHead(200, {'content-type': 'application/json'})
    response.end('{"value": []}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
  }
}

export interface ScriptedAnswer {
  status?: number
  headers?: Record<string, string>
  body?: unknown
}

/**
 * A hostile server playing one system on loopback: each request is answered as `answer` says (a body that
 * is not a string is sent as JSON), and recorded with its method and URL.
 */
export async function startScriptedServer(
  answer: (request: {method: string; url: string; body: string}) => ScriptedAnswer,
): Promise<{
  origin: string
  requests: Array<{method: string; url: string; body: string}>
  close(): Promise<void>
}> {
  const requests: Array<{method: string; url: string; body: string}> = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const asked = {
        body: Buffer.concat(chunks).toString('utf8'),
        method: request.method ?? 'GET',
        url: request.url ?? '/',
      }
      requests.push(asked)
      const {body = {}, headers = {}, status = 200} = answer(asked)
      response.writeHead(status, {'content-type': 'application/json', ...headers})
      response.end(typeof body === 'string' ? body : JSON.stringify(body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
  }
}
