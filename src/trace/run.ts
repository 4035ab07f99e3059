import {clientsForProfile} from '../config/clients.js'
import type {Profile} from '../config/profile.js'
import type {Diagnosis} from '../diagnose/conclude.js'
import {defaultTimeouts, type HttpClient, type RequestActivity} from '../http/client.js'
import {shellQuote} from '../util/shell.js'
import {checkReportInvariants} from '../report/invariants.js'
import {UserError} from '../util/errors.js'
import type {InstallationClients} from '../connectors/installation.js'
import type {EntityTrace} from '../entities/descriptor.js'
import {settle} from '../observe/fetched.js'
import {entities} from '../entities/index.js'
import {keyArguments, splitKey} from '../entities/descriptor.js'
import type {EntityName, TraceReport} from '../report/types.js'

export interface TraceRunOptions {
  /** The run's HTTP client: the trace uses its connections with a deadline of its own. */
  http: HttpClient
  userId?: string
  /** The values of a key made of several arguments (a price: customer and item). */
  keyParts?: readonly string[]
  /** The entity's own flags (`--quantity`, `--date`), as the command checked them. */
  params?: Readonly<Record<string, string | number>>
  /** Per request, retries included. */
  timeoutMs?: number
  /** Flags that point suggested commands at the same installation. */
  commandSuffix: string
  version: string
  debug?: (line: string) => void
  signal?: AbortSignal
  /** Each request's start and end, for the live per-hop line on a terminal. */
  activity?: (event: RequestActivity) => void
  /** The run's clock (epoch ms): the trace's one deadline counts from its reading at the start. */
  now?: () => number
}

type Entity = EntityName

/** Traces one record through the installation a profile points at, and returns the full report. */
export async function traceRecord(
  entity: Entity,
  profile: Profile,
  key: string,
  options: TraceRunOptions,
): Promise<TraceReport> {
  const timeoutMs = options.timeoutMs ?? profile.timeoutMs
  const http = traceClient(options, timeoutMs)
  options.debug?.(`trace ${entity} ${key}: one deadline for every hop, ${timeoutMs ?? defaultTimeouts.totalMs} ms`)
  try {
    const clients = await clientsForProfile(profile, http)
    // A key of several arguments traced again from its report (a fix's verification): its parts from the key.
    const argumentCount = keyArguments(entities[entity].command).length
    const keyParts = options.keyParts ?? (argumentCount > 1 ? splitKey(key, argumentCount) : undefined)
    const context = {
      commandSuffix: options.commandSuffix,
      traceCommand: traceCommandLine(entity, key, {...options, keyParts}),
    }
    // A --user that does not exist would leave the app hop unchecked: a usage error, never a green trace.
    const userCheck = options.userId ? settle(() => clients.app.devices(options.userId as string)) : null
    const trace = await entities[entity].load()
    const {diagnosis, ftp, now} = await trace.observeAndDiagnose(
      clients,
      key,
      {keyParts, params: options.params, userId: options.userId},
      context,
    )
    // Answers cut short by Ctrl-C are not findings: stop instead of reporting them.
    options.signal?.throwIfAborted()
    const userAnswer = await userCheck
    if (userAnswer?.ok && userAnswer.value === null)
      throw await unknownUserError(clients, options.userId as string, `${entity} ${key}`, diagnosis, trace)
    const report: TraceReport = {
      action: diagnosis.action,
      chain: diagnosis.chain,
      checkedAt: now.toISOString(),
      direction:
        entities[entity].direction === 'outbound' || diagnosis.chain[0] === 'app' || diagnosis.chain[0] === 'webshop'
          ? 'outbound'
          : 'inbound',
      entity,
      exitCode: diagnosis.exitCode,
      ...(diagnosis.chain.includes('ftp') ? {fileServer: ftp && ftp.ok ? ftp.value.location : null} : {}),
      hops: diagnosis.hops,
      installation: diagnosis.installation,
      key,
      ...(diagnosis.orderLines ? {orderLines: diagnosis.orderLines} : {}),
      profile: profile.name,
      schemaVersion: 1,
      tool: {name: 'synctrace', version: options.version},
      user: options.userId ?? null,
      verdict: diagnosis.verdict,
    }
    assertInvariantsWhenAsked(report)
    return report
  } finally {
    await http.close()
  }
}

/** The trace as a command line, for "check again": the key's parts as arguments, then the entity's own flags. */
function traceCommandLine(entity: Entity, key: string, options: TraceRunOptions): string {
  const keyWords = (options.keyParts ?? [key]).map(shellQuote).join(' ')
  const params = Object.entries(options.params ?? {}).map(([name, value]) => ` --${name} ${shellQuote(String(value))}`)
  const quotedUser = options.userId ? ` --user ${shellQuote(options.userId)}` : ''
  const suffix = options.commandSuffix ? ` ${options.commandSuffix}` : ''
  return `synctrace trace ${entity} ${keyWords}${params.join('')}${quotedUser}${suffix}`
}

/** The run's client with the trace's one deadline: whatever hangs, a trace ends within its budget. */
function traceClient(options: TraceRunOptions, timeoutMs: number | undefined): HttpClient {
  return options.http.scoped({
    activity: options.activity,
    deadlineAt: (options.now?.() ?? Date.now()) + (timeoutMs ?? defaultTimeouts.totalMs),
    timeouts: timeoutMs
      ? {bodyMs: timeoutMs, connectMs: Math.min(5000, timeoutMs), headersMs: timeoutMs, totalMs: timeoutMs}
      : undefined,
  })
}

/** `--user` named a user the app backend does not know: name the users of the record's sales reps instead. */
async function unknownUserError(
  clients: InstallationClients,
  userId: string,
  subject: string,
  diagnosis: Diagnosis,
  trace: EntityTrace,
): Promise<UserError> {
  const record = (hop: string) =>
    diagnosis.hops.find((entry) => entry.hop === hop)?.record as {salesRepCodes?: string[] | null} | null | undefined
  const reps = trace.salesRepsOf
    ? await trace.salesRepsOf(clients, diagnosis)
    : (record('cms')?.salesRepCodes ?? record('erp')?.salesRepCodes ?? record('ftp')?.salesRepCodes ?? null)
  const users =
    reps && reps.length > 0
      ? (await Promise.all(reps.map((rep) => clients.app.usersOfSalesRep(rep).catch(() => [])))).flat()
      : []
  const known = [...new Map(users.map((user) => [user.userId, user])).values()].map((user) =>
    user.name ? `${user.userId} (${user.name})` : user.userId,
  )
  return new UserError(
    `The app backend has no user ${userId}, so the app hop of ${subject} cannot be checked for that user.`,
    known.length > 0
      ? `Users of the sales rep${(reps ?? []).length === 1 ? '' : 's'} ${(reps ?? []).join(', ')} of ${subject}: ${known.join(', ')}. Run again with one of them, or without --user.`
      : `No app user has the sales rep${reps && reps.length > 0 ? ` ${reps.join(', ')}` : ''} of ${subject}. Check the user id, or run again without --user.`,
  )
}

/**
 * With SYNCTRACE_CHECK_INVARIANTS=1 (the test suites set it), a report that breaks one of its own
 * invariants is synctrace's bug: fail loudly instead of printing it.
 */
function assertInvariantsWhenAsked(report: TraceReport): void {
  if (process.env.SYNCTRACE_CHECK_INVARIANTS !== '1') return
  const violations = checkReportInvariants(report)
  if (violations.length > 0)
    throw new Error(`the report of ${report.entity} ${report.key} breaks its invariants:\n- ${violations.join('\n- ')}`)
}

export function traceCustomer(profile: Profile, key: string, options: TraceRunOptions): Promise<TraceReport> {
  return traceRecord('customer', profile, key, options)
}

export function traceItem(profile: Profile, key: string, options: TraceRunOptions): Promise<TraceReport> {
  return traceRecord('item', profile, key, options)
}

export function traceOrder(profile: Profile, key: string, options: TraceRunOptions): Promise<TraceReport> {
  return traceRecord('order', profile, key, options)
}
