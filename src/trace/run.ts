import {clientsForProfile} from '../config/clients.js'
import type {Profile} from '../config/profile.js'
import {diagnoseCustomer} from '../diagnose/customer.js'
import {HttpClient} from '../http/client.js'
import {shellQuote} from '../util/shell.js'
import {observeCustomer} from './customer.js'
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

/** Traces one customer through the installation a profile points at, and returns the full report. */
export async function traceCustomer(profile: Profile, key: string, options: TraceRunOptions): Promise<TraceReport> {
  const timeoutMs = options.timeoutMs ?? profile.timeoutMs
  const http = new HttpClient({
    debug: options.debug,
    signal: options.signal,
    timeouts: timeoutMs ? {bodyMs: timeoutMs, connectMs: Math.min(5000, timeoutMs), headersMs: timeoutMs, totalMs: timeoutMs} : undefined,
  })
  try {
    const observations = await observeCustomer(clientsForProfile(profile, http), key, {userId: options.userId})
    const quotedUser = options.userId ? ` --user ${shellQuote(options.userId)}` : ''
    const diagnosis = diagnoseCustomer(observations, {
      commandSuffix: options.commandSuffix,
      traceCommand: `synctrace trace customer ${shellQuote(key)}${quotedUser}${options.commandSuffix ? ` ${options.commandSuffix}` : ''}`,
    })
    return {
      action: diagnosis.action,
      chain: diagnosis.chain,
      checkedAt: observations.now.toISOString(),
      direction: 'inbound',
      entity: 'customer',
      exitCode: diagnosis.exitCode,
      ...(diagnosis.chain.includes('ftp') ? {fileServer: observations.ftp && observations.ftp.ok ? observations.ftp.value.location : null} : {}),
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
