import type {Profile} from '../config/profile.js'
import {loadEmulators} from './erp/registry.js'
import {resolveTimeScale} from './job-timers.js'
import {loadInstallationState} from './load.js'
import {type SandboxInstallation, startInstallation} from './sandbox.js'
import {SharedPlatform} from './shared-platform.js'
import type {InstallationState} from './state.js'

/** A problem the fleet sandbox plants in one installation, for `doctor --all` to find. */
export type PlantedProblem =
  | 'export-stopped'
  | 'sync-failing'
  | 'sync-overdue'
  | 'orders-stuck'
  | 'hanging'
  | 'bad-credentials'

export const plantedProblems: readonly PlantedProblem[] = [
  'export-stopped',
  'sync-failing',
  'sync-overdue',
  'orders-stuck',
  'hanging',
  'bad-credentials',
]

/** The healthy seeds a fleet cycles through: every ERP and every file layout. */
const bases = ['acme', 'nordic', 'fjord', 'monitor', 'nimbus', 'winbas', 'viking', 'vnet', 'acme-plain']

export interface FleetPlanEntry {
  id: string
  /** The seeded installation it is generated from. */
  base: string
  erp: string
  connection: 'direct' | 'ftp'
  layout: string | null
  planted: PlantedProblem | null
}

export interface SandboxFleet {
  plan: FleetPlanEntry[]
  installations: SandboxInstallation[]
  /** A profile per installation, named after it (`fleet-01`); the bad-credentials one carries a revoked CMS token. */
  profiles(): Profile[]
  stop(): Promise<void>
}

type Json = Record<string, unknown>
const hour = 3_600_000

/** Which problem installation `index` (0-based) carries: every second one, the kinds in turn. */
export function plantedAt(index: number): PlantedProblem | null {
  return index % 2 === 1 ? (plantedProblems[((index - 1) / 2) % plantedProblems.length] ?? null) : null
}

function baseOf(index: number, planted: PlantedProblem | null): string {
  if (planted === 'export-stopped') return 'nordic-stale'
  const base = bases[index % bases.length] as string
  return planted === 'orders-stuck' && base === 'acme-plain' ? 'acme' : base
}

/** The seeds' own small troubles (a queued order, a run with a failed record, a rejected file) cleared: a healthy installation. */
function makeHealthy(state: InstallationState): void {
  if (state.exports) state.exports.orderFiles = state.exports.orderFiles.filter((file) => !/error$/i.test(file.folder))
  for (const run of state.cms.runs) if (run.counts) (run.counts as Json).failed = 0
  for (const order of state.cms.orders.values()) {
    const transfer = order.transfer as Json | undefined
    if (transfer && transfer.status !== 'sent') Object.assign(transfer, {error: null, status: 'sent'})
  }
}

const shifted = (value: unknown, ms: number) =>
  typeof value === 'string' ? new Date(Date.parse(value) - ms).toISOString() : value

/** Plants one problem in the state (the hanging CMS and the revoked token are set on the servers and profile). */
function plant(state: InstallationState, planted: PlantedProblem | null, now: Date): void {
  if (planted === 'sync-failing')
    for (const hoursAgo of [3, 2, 1])
      state.cms.runs.push({
        counts: {created: 0, failed: 0, read: 0, skipped: 0, unchanged: 0, updated: 0},
        entity: 'customers',
        error: 'ERP login refused: HTTP 401 from the ERP API',
        finishedAt: new Date(now.getTime() - hoursAgo * hour + 60_000).toISOString(),
        keys: null,
        mode: 'auto',
        requestedBy: 'auto',
        runId: `r-fail-${hoursAgo}`,
        source: state.exports ? 'ftp-file' : 'erp-api',
        sourceFile: null,
        sourceFileModifiedAt: null,
        startedAt: new Date(now.getTime() - hoursAgo * hour).toISOString(),
        status: 'failed',
      })
  if (planted === 'sync-overdue')
    for (const run of state.cms.runs.filter((entry) => entry.entity === 'items'))
      Object.assign(run, {finishedAt: shifted(run.finishedAt, 48 * hour), startedAt: shifted(run.startedAt, 48 * hour)})
  if (planted === 'orders-stuck') {
    const order = [...state.cms.orders.values()][0] as Json
    order.receivedAt = new Date(now.getTime() - 3 * hour).toISOString()
    Object.assign(order.transfer as Json, {erpDocumentNumber: null, file: null, status: 'queued'})
  }
}

/** Generates installation `index`: its seed's state under a new id, made healthy, with its planted problem. */
function generate(index: number, size: number, now: Date): {state: InstallationState; entry: FleetPlanEntry} {
  const planted = plantedAt(index)
  const base = baseOf(index, planted)
  const id = `fleet-${String(index + 1).padStart(Math.max(2, String(size).length), '0')}`
  const state = loadInstallationState(base, now)
  state.id = id
  state.installation = {...state.installation, id, name: `${String(state.installation.name)} (${id})`}
  makeHealthy(state)
  plant(state, planted, now)
  const erp = String((state.installation.erp as Json | undefined)?.system ?? 'unknown')
  const layout = state.exports?.layout ?? null
  return {entry: {base, connection: state.exports ? 'ftp' : 'direct', erp, id, layout, planted}, state}
}

async function generateFleet(size: number, now: Date) {
  await loadEmulators()
  return Array.from({length: size}, (_, index) => generate(index, size, now))
}

/** What a fleet of `size` carries, installation by installation, without starting it. */
export async function fleetPlan(size: number, now = new Date()): Promise<FleetPlanEntry[]> {
  return (await generateFleet(size, now)).map(({entry}) => entry)
}

/** Starts `size` generated installations in this process, with the plan of what each one carries. */
export async function startFleet(options: {
  size: number
  now?: Date
  timeScale?: number
  /** Start only the installations whose id it accepts (the plan lists only them). */
  only?: (id: string) => boolean
}): Promise<SandboxFleet> {
  const now = options.now ?? new Date()
  const timeScale = resolveTimeScale(options.timeScale)
  const only = options.only ?? (() => true)
  const generated = (await generateFleet(options.size, now)).filter(({entry}) => only(entry.id))
  // One CMS, app backend and webshop server for the whole fleet; each ERP and file server stays its own.
  const shared = new SharedPlatform()
  await shared.start()
  const installations = await Promise.all(generated.map(({state}) => startInstallation(state, now, timeScale, shared)))
  const plan = generated.map(({entry}) => entry)
  for (const [index, entry] of plan.entries())
    if (entry.planted === 'hanging') await installations[index]?.setFault('cms', {kind: 'hang'})
  return {
    installations,
    plan,
    profiles: () =>
      installations.map((installation, index) => {
        const profile = {...installation.profile('admin'), name: installation.id}
        if (plan[index]?.planted === 'bad-credentials') profile.cms = {...profile.cms, token: 'sbx-revoked-token'}
        return profile
      }),
    stop: async () => {
      await Promise.all(installations.map((installation) => installation.stop()))
      await shared.stop()
    },
  }
}
