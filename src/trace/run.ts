import {clientsForProfile} from '../config/clients.js'
import type {Profile} from '../config/profile.js'
import type {Diagnosis} from '../diagnose/conclude.js'
import {diagnoseCustomer} from '../diagnose/customer.js'
import {diagnoseItem} from '../diagnose/item.js'
import {diagnoseOrder} from '../diagnose/order.js'
import {HttpClient} from '../http/client.js'
import {shellQuote} from '../util/shell.js'
import {observeCustomer} from './customer.js'
import type {Fetched} from './fetched.js'
import {observeItem} from './item.js'
import {observeOrder} from './order.js'
import type {TraceReport} from './types.js'

export interface TraceRunOptions {
  userId?: string
  /** Per request, retries included. */
  timeoutMs?: number
  /** Flags that point suggested commands at the same installation. */
  commandSuffix: string
  version: string
  debug?: (line: string) => void
  signal?: AbortSignal
}

type Entity = TraceReport['entity']

/** Traces one record through the installation a profile points at, and returns the full report. */
async function trace(entity: Entity, profile: Profile, key: string, options: TraceRunOptions): Promise<TraceReport> {
  const timeoutMs = options.timeoutMs ?? profile.timeoutMs
  const http = new HttpClient({
    debug: options.debug,
    signal: options.signal,
    timeouts: timeoutMs ? {bodyMs: timeoutMs, connectMs: Math.min(5000, timeoutMs), headersMs: timeoutMs, totalMs: timeoutMs} : undefined,
  })
  try {
    const clients = clientsForProfile(profile, http)
    const quotedUser = options.userId ? ` --user ${shellQuote(options.userId)}` : ''
    const context = {
      commandSuffix: options.commandSuffix,
      traceCommand: `synctrace trace ${entity} ${shellQuote(key)}${quotedUser}${options.commandSuffix ? ` ${options.commandSuffix}` : ''}`,
    }
    let diagnosis: Diagnosis
    let now: Date
    let ftp: Fetched<{location: string}> | null
    if (entity === 'order') {
      const observations = await observeOrder(clients, key, {userId: options.userId})
      diagnosis = diagnoseOrder(observations, context)
      ;({ftp, now} = observations)
    } else if (entity === 'item') {
      const observations = await observeItem(clients, key)
      diagnosis = diagnoseItem(observations, context)
      ;({ftp, now} = observations)
    } else {
      const observations = await observeCustomer(clients, key, {userId: options.userId})
      diagnosis = diagnoseCustomer(observations, context)
      ;({ftp, now} = observations)
    }
    // Answers cut short by Ctrl-C are not findings: stop instead of reporting them.
    options.signal?.throwIfAborted()
    return {
      action: diagnosis.action,
      chain: diagnosis.chain,
      checkedAt: now.toISOString(),
      direction: entity === 'order' || diagnosis.chain[0] === 'app' || diagnosis.chain[0] === 'webshop' ? 'outbound' : 'inbound',
      entity,
      exitCode: diagnosis.exitCode,
      ...(diagnosis.chain.includes('ftp') ? {fileServer: ftp && ftp.ok ? ftp.value.location : null} : {}),
      hops: diagnosis.hops,
      installation: diagnosis.installation,
      key,
      profile: profile.name,
      schemaVersion: 1,
      tool: {name: 'synctrace', version: options.version},
      user: options.userId ?? null,
      verdict: diagnosis.verdict,
    }
  } finally {
    await http.close()
  }
}

export function traceCustomer(profile: Profile, key: string, options: TraceRunOptions): Promise<TraceReport> {
  return trace('customer', profile, key, options)
}

export function traceItem(profile: Profile, key: string, options: TraceRunOptions): Promise<TraceReport> {
  return trace('item', profile, key, options)
}

export function traceOrder(profile: Profile, key: string, options: TraceRunOptions): Promise<TraceReport> {
  return trace('order', profile, key, options)
}
