import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describeSandbox} from '../../dist/sandbox/describe.js'
import {type Bouncer, startPasvBouncer, startTrickler, type Trickler} from './hostile-ftp.js'
import {type HostileProxy, type HostileWorld, startHostileProxy, startOtherAddress} from './hostile-http.js'
import {type RunningSandbox, startTestSandbox} from './sandbox.js'

const urlPassword = 'url-pass-Q7x9-hostile'

/**
 * The world of the hostile battery: the sandbox (acme, nordic) with a poisoning proxy in front of every HTTP
 * origin, another address no request may reach, a trickling file server and a PASV bouncer, and a config
 * whose profiles go through them (test/cmd/hostile-battery.test.ts; the kill -9 case in test/e2e).
 */
export interface HostileBattery {
  running: RunningSandbox
  configPath: string
  auditLog: string
  proxies: HostileProxy[]
  world: HostileWorld
  other: Awaited<ReturnType<typeof startOtherAddress>>
  trickler: Trickler
  bouncer: Bouncer
  /** Every POST a proxy saw, in order. */
  posts(): HostileProxy['posts']
  stop(): Promise<void>
}

export async function startHostileBattery(): Promise<HostileBattery> {
  const running = await startTestSandbox(['acme', 'nordic'])
  const dir = await mkdtemp(join(tmpdir(), 'synctrace-hostile-'))
  const configPath = join(dir, 'config.json')
  const world: HostileWorld = {mode: 'strings', otherOrigin: '', secrets: []}
  const other = await startOtherAddress()
  world.otherOrigin = other.origin
  const trickler = await startTrickler()
  const bouncer = await startPasvBouncer({'customers.csv': 'CustomerCode;Name;Active\r\n20001;Bounce AB;1\r\n'})
  const description = JSON.parse(await readFile(running.configPath, 'utf8')) as {
    profiles: Record<string, Record<string, unknown>>
  }
  for (const installation of describeSandbox(running.sandbox).installations) {
    world.secrets.push(installation.tokens.admin, installation.tokens.support)
    if (installation.erp?.clientSecret) world.secrets.push(String(installation.erp.clientSecret))
    if (installation.fileServer) world.secrets.push(installation.fileServer.password)
  }
  world.secrets.push(urlPassword)
  // Every HTTP origin of the sandbox gets a hostile proxy in front of it.
  const proxies: HostileProxy[] = []
  let text = JSON.stringify(description)
  const origins = [...new Set([...text.matchAll(/http:\/\/127\.0\.0\.1:\d+/g)].map((match) => match[0]))]
  for (const origin of origins) {
    const proxy = await startHostileProxy(origin, world)
    proxies.push(proxy)
    text = text.split(origin).join(proxy.origin)
  }
  const profiles = (JSON.parse(text) as typeof description).profiles
  await writeFile(configPath, JSON.stringify(batteryConfig(profiles, trickler.port, bouncer.port)), {mode: 0o600})
  return {
    auditLog: join(dir, 'audit.jsonl'),
    bouncer,
    configPath,
    other,
    posts: () => proxies.flatMap((proxy) => proxy.posts),
    proxies,
    running,
    stop: async () => {
      await Promise.all([...proxies.map((proxy) => proxy.close()), other.close(), trickler.close(), bouncer.close()])
      await running.stop()
      await rm(dir, {force: true, recursive: true})
    },
    trickler,
    world,
  }
}

/** The battery's profiles: acme (with a password in URL user info), the support roles, nordic and the hostile file servers. */
function batteryConfig(profiles: Record<string, Record<string, unknown>>, tricklePort: number, bouncePort: number) {
  const acme = profiles['sandbox-acme'] as Record<string, {url: string}>
  // A password in URL user info: registered as a secret, never printed.
  const withUserInfo = {
    ...acme,
    cms: {...acme.cms, url: (acme.cms as {url: string}).url.replace('http://', `http://agent:${urlPassword}@`)},
  }
  const nordic = profiles['sandbox-nordic'] as Record<string, unknown> & {ftp: Record<string, unknown>}
  const fileServer = (url: string) => ({...nordic, ftp: {...nordic.ftp, url}, timeoutMs: 3000})
  return {
    defaultProfile: 'acme',
    profiles: {
      acme: withUserInfo,
      'acme-support': profiles['sandbox-acme-support'],
      'nordic-support': profiles['sandbox-nordic-support'],
      bounce: {...nordic, ftp: {...nordic.ftp, url: `ftp://127.0.0.1:${bouncePort}/a4s`}},
      nordic,
      'trickle-ftp': fileServer(`ftp://127.0.0.1:${tricklePort}/a4s`),
      'trickle-ftps': fileServer(`ftps://127.0.0.1:${tricklePort}/a4s`),
      'trickle-sftp': fileServer(`sftp://127.0.0.1:${tricklePort}/a4s`),
    },
  }
}
