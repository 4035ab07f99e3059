import {type Fault, type Handler, json, SandboxService} from '../emulation/service.js'

export type PlatformHop = 'cms' | 'app' | 'webshop'

const hops: readonly PlatformHop[] = ['cms', 'app', 'webshop']

/**
 * One CMS, one app backend and one webshop server answering many installations, each under its own first
 * path segment (`http://127.0.0.1:port/fleet-07/api/v1/...`), as a hosted platform serves its tenants: a
 * fleet of hundreds costs three servers, not three per installation. A `hang` fault holds one installation's
 * requests unanswered and leaves the others' alone.
 */
export class SharedPlatform {
  private readonly handlers = new Map<string, Record<PlatformHop, Handler>>()
  private readonly hanging = new Set<string>()
  private readonly services: Record<PlatformHop, SandboxService>

  constructor() {
    this.services = {
      app: new SandboxService('app', this.router('app')),
      cms: new SandboxService('cms', this.router('cms')),
      webshop: new SandboxService('webshop', this.router('webshop')),
    }
  }

  async start(): Promise<void> {
    await Promise.all(hops.map((hop) => this.services[hop].start(0)))
  }

  async stop(): Promise<void> {
    await Promise.all(hops.map((hop) => this.services[hop].stop()))
  }

  /** The installation's base URL on one hop. */
  url(hop: PlatformHop, id: string): string {
    return `${this.services[hop].url}/${encodeURIComponent(id)}`
  }

  register(id: string, handlers: Record<PlatformHop, Handler>): void {
    this.handlers.set(id, handlers)
  }

  unregister(id: string): void {
    this.handlers.delete(id)
    for (const hop of hops) this.hanging.delete(`${hop}:${id}`)
  }

  /** Only `hang` (and clearing it) is per installation and hop on a shared server. */
  setFault(id: string, hop: PlatformHop, fault: Fault | null): void {
    if (fault && fault.kind !== 'hang') throw new Error(`a shared platform server plays only "hang" per installation`)
    if (fault) this.hanging.add(`${hop}:${id}`)
    else this.hanging.delete(`${hop}:${id}`)
  }

  private router(hop: PlatformHop): Handler {
    return (request) => {
      const match = /^\/([^/]+)(\/.*)?$/.exec(request.path)
      const id = match ? decodeURIComponent(match[1] as string) : ''
      const handlers = this.handlers.get(id)
      if (!handlers) return json(404, {error: {code: 'not_found', message: `No installation ${id}.`}})
      if (this.hanging.has(`${hop}:${id}`)) return new Promise(() => undefined)
      return handlers[hop]({...request, path: match?.[2] ?? '/'})
    }
  }
}
