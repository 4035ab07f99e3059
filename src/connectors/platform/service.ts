import type {HttpClient, HttpResponse} from '../../http/client.js'

export interface ServiceEndpoint {
  /** Base URL of the service, without its API base path (`https://cms.example/acme`). */
  url: string
  token: string
}

/** Joins a base URL, the API's base path and a path whose keys are already encoded. */
export function joinUrl(base: string, basePath: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${basePath}${path}`
}

/**
 * Percent-encodes a key as one path segment: slashes, `%`, quotes and unicode stay inside the segment,
 * and the keys `.` and `..` become `%2E` and `%2E%2E` (the HTTP client sends them unresolved), so no key
 * can change the path.
 */
export function pathSegment(key: string): string {
  const encoded = encodeURIComponent(key).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return encoded === '.' || encoded === '..' ? encoded.replace(/\./g, '%2E') : encoded
}

/**
 * One entity's record as one platform service serves it (`GET {path}/{key}`, 404 when it has none): its
 * descriptor says where and how it is read (`src/entities/<entity>/platform.ts`), the service stays generic.
 */
export interface PlatformRecord<T> {
  /** The collection's path under the service's base path: `/customers`. */
  path: string
  /** Checks the answer at the edge and maps it; `system` names the service in an error. */
  parse(body: unknown, system: string): T
}

/** One of the platform's JSON services (CMS, app backend, webshop): bearer auth, contract error bodies. */
export class PlatformService {
  constructor(
    protected readonly http: HttpClient,
    protected readonly endpoint: ServiceEndpoint,
    protected readonly basePath: string,
    readonly systemName: string,
  ) {}

  /** One record by its key, or null when the service does not have it. */
  async record<T>(kind: PlatformRecord<T>, key: string): Promise<T | null> {
    const response = await this.get(`${kind.path}/${pathSegment(key)}`, [404])
    if (response.status === 404) return null
    return kind.parse(response.body, this.systemName)
  }

  /** Any resource at a path whose keys are already encoded (`pathSegment`), or null on 404. */
  async read<T>(path: string, parse: (body: unknown, system: string) => T): Promise<T | null> {
    const response = await this.get(path, [404])
    if (response.status === 404) return null
    return parse(response.body, this.systemName)
  }

  protected get<T = unknown>(path: string, acceptStatuses: number[] = []): Promise<HttpResponse<T>> {
    return this.http.requestJson<T>({
      acceptStatuses,
      headers: {authorization: `Bearer ${this.endpoint.token}`},
      url: joinUrl(this.endpoint.url, this.basePath, path),
    })
  }

  protected post<T = unknown>(
    path: string,
    body: unknown,
    idempotencyKey: string,
    acceptStatuses: number[] = [],
  ): Promise<HttpResponse<T>> {
    return this.http.requestJson<T>({
      acceptStatuses,
      body,
      headers: {authorization: `Bearer ${this.endpoint.token}`},
      idempotencyKey,
      method: 'POST',
      url: joinUrl(this.endpoint.url, this.basePath, path),
    })
  }
}
