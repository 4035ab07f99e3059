import {type ActionResult, type PerformOptions, performAction} from '../actions/perform.js'
import type {ActionTarget} from '../actions/target.js'
import {formatCount} from '../util/numbers.js'
import {readRecords} from './render.js'
import {type ReconcileRequest, runReconcile} from './session.js'
import type {ClassSummary, HopPair, ReconcileClass, ReconcileSummary, ReconcileTarget} from './types.js'

/**
 * Keys per targeted sync job or webshop republish: the contract names no limit, so synctrace sends at most
 * this many in one body (docs/contract-readings.md): a few tens of kilobytes, well inside what a CMS takes.
 */
export const fixChunkSize = 500

export interface FixPlan {
  /** The keys of each class `--fix` resolves, in key order. */
  classes: Array<{class: ReconcileClass; keys: string[]}>
  targets: ActionTarget[]
  syncKeys: number
  republishKeys: number
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = []
  for (let index = 0; index < list.length; index += size) out.push(list.slice(index, index + size))
  return out
}

/** What `--fix` would do for a finished run: one targeted sync per chunk of keys, a republish per chunk for the webshop's. */
export async function planFix(
  summary: ReconcileSummary,
  recordsPath: string,
  entity: ReconcileTarget,
  only?: ReconcileClass[],
): Promise<FixPlan> {
  const fixable = new Map(
    summary.classes
      .filter((entry) => entry.fix !== null && (!only || only.includes(entry.class)))
      .map((entry) => [entry.class, entry.fix]),
  )
  const byClass = new Map<ReconcileClass, string[]>()
  // A price row is synced (and republished) by its list: the sync's keys are list codes, each once.
  const listOf = new Map<string, string | null>()
  if (fixable.size > 0)
    for await (const record of readRecords(recordsPath))
      if (fixable.has(record.class) && record.key !== '') {
        byClass.set(record.class, [...(byClass.get(record.class) ?? []), record.key])
        const list = record.price?.priceListCode ?? record.customerPrice?.priceListCode
        if (list !== undefined) listOf.set(record.key, list)
      }
  const targetKeys = (fix: ClassSummary['fix']) => [
    ...new Set(
      [...byClass]
        .filter(([klass]) => fixable.get(klass) === fix)
        .flatMap(([, keys]) => (entity === 'prices' ? keys.map((key) => listOf.get(key) ?? null) : keys))
        // A customer's price from the item's base price has no list to sync or republish.
        .filter((key): key is string => key !== null),
    ),
  ]
  const syncKeys = targetKeys('targeted-sync')
  const republishKeys = targetKeys('webshop-republish')
  const targets: ActionTarget[] = [
    ...chunks(syncKeys, fixChunkSize).map((keys): ActionTarget => ({entity, keys, kind: 'sync', mode: 'targeted'})),
    ...chunks(republishKeys, fixChunkSize).map((keys): ActionTarget => ({entity, keys, kind: 'webshop-republish'})),
  ]
  return {
    classes: [...byClass].map(([klass, keys]) => ({class: klass, keys})),
    republishKeys: republishKeys.length,
    syncKeys: syncKeys.length,
    targets,
  }
}

export function describePlan(plan: FixPlan, entity: ReconcileTarget): string {
  const parts: string[] = []
  const noun = entity === 'prices' ? 'price lists' : entity
  const jobs = (count: number, size: number) =>
    `${count === 1 ? 'one request' : `${formatCount(count)} requests`} of at most ${formatCount(size)} keys`
  if (plan.syncKeys > 0)
    parts.push(
      `start a targeted CMS sync of ${formatCount(plan.syncKeys)} ${noun} (${jobs(Math.ceil(plan.syncKeys / fixChunkSize), fixChunkSize)})`,
    )
  if (plan.republishKeys > 0)
    parts.push(
      `republish ${formatCount(plan.republishKeys)} ${noun} to the webshop (${jobs(Math.ceil(plan.republishKeys / fixChunkSize), fixChunkSize)})`,
    )
  return parts.join(', then ')
}

/**
 * Performs the plan chunk by chunk through the actions layer (role, write-ahead audit, Idempotency-Key, job
 * wait, progress), already confirmed once by the caller. Stops at the first chunk that does not succeed.
 */
export async function performPlan(
  plan: FixPlan,
  options: Omit<PerformOptions, 'yes' | 'verifiedByCaller'>,
  onChunk: (index: number, total: number, result: ActionResult) => void,
): Promise<ActionResult[]> {
  const results: ActionResult[] = []
  for (const [index, target] of plan.targets.entries()) {
    const result = await performAction(target, {...options, verifiedByCaller: true, yes: true})
    results.push(result)
    onChunk(index, plan.targets.length, result)
    if (result.outcome !== 'succeeded') break
  }
  return results
}

/** The keys a fix acted on, compared again the same way: how many are consistent now, and the findings left among them per class. */
export async function compareAgain(
  request: Omit<ReconcileRequest, 'onlyKeys' | 'resume'> & {between: HopPair},
  keys: Set<string>,
): Promise<{fixed: number; remaining: Array<{class: ReconcileClass; count: number}>}> {
  const verify = await runReconcile({...request, onlyKeys: keys, resume: false})
  const remaining = new Map<ReconcileClass, number>()
  for await (const record of readRecords(verify.recordsPath))
    if (keys.has(record.key)) remaining.set(record.class, (remaining.get(record.class) ?? 0) + 1)
  verify.finish()
  const remainingTotal = [...remaining.values()].reduce((sum, count) => sum + count, 0)
  return {fixed: keys.size - remainingTotal, remaining: [...remaining].map(([klass, count]) => ({class: klass, count}))}
}
