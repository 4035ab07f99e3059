import type {InstallationClients} from '../connectors/installation.js'
import type {PlatformRecord} from '../connectors/platform/service.js'
import {cmsCustomer} from '../entities/customer/platform.js'
import {cmsItem} from '../entities/item/platform.js'
import {cmsOrder} from '../entities/order/platform.js'
import type {EntityName} from '../report/types.js'
import type {Candidate} from './candidates.js'

/** A record the ticket names, found in the CMS: its entity and key, and the word that pointed at it. */
export interface FoundRecord {
  entity: EntityName
  key: string
  /** Did the words around it name this entity (else it was found by asking the CMS for each)? */
  named: boolean
}

/** A code the ticket holds that is no record synctrace traces, and why. */
export interface RejectedCandidate {
  candidate: string
  reason: string
  /** The CMS could not be asked: the code may be a record (the report is incomplete). */
  unchecked: boolean
}

/** The entities a single code in a ticket can name (a price needs two codes: it is not looked up here). */
const cmsKinds: Partial<Record<EntityName, PlatformRecord<unknown>>> = {
  customer: cmsCustomer,
  item: cmsItem,
  order: cmsOrder,
}

const entityOrder: readonly EntityName[] = ['customer', 'item', 'order']

/** Runs `work` on each entry, at most `limit` at once, keeping the order of the entries. */
export async function mapBounded<T, R>(
  entries: readonly T[],
  limit: number,
  work: (entry: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(entries.length)
  let next = 0
  const worker = async () => {
    while (next < entries.length) {
      const index = next++
      results[index] = await work(entries[index] as T)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, entries.length)}, worker))
  return results
}

/**
 * One candidate checked against the CMS: the entity its words name first, then the others (a customer
 * writes "nummer 10042" as often as "kund 10042"). The CMS is the installation's list of records: a code it
 * has under none of them is no record, whatever it looks like.
 */
async function checkCandidate(
  clients: InstallationClients,
  candidate: Candidate,
): Promise<FoundRecord | RejectedCandidate> {
  if (candidate.rejected) return {candidate: candidate.token, reason: candidate.rejected, unchecked: false}
  const order = candidate.hint
    ? [candidate.hint, ...entityOrder.filter((entity) => entity !== candidate.hint)]
    : entityOrder
  const failures: string[] = []
  for (const entity of order) {
    const kind = cmsKinds[entity]
    if (!kind) continue
    try {
      if ((await clients.cms.record(kind, candidate.token)) !== null)
        return {entity, key: candidate.token, named: candidate.hint === entity}
    } catch (error) {
      failures.push(`${entity}: ${(error as Error).message.split('\n')[0]}`)
    }
  }
  if (failures.length > 0)
    return {candidate: candidate.token, reason: `the CMS could not be asked (${failures[0]})`, unchecked: true}
  const others = order.slice(1).join(' or ')
  return {
    candidate: candidate.token,
    reason: candidate.hint
      ? `no ${candidate.hint} of that code in the CMS (nor ${order[1] === 'customer' ? 'a' : 'an'} ${others})`
      : 'no customer, item or order of that code in the CMS',
    unchecked: false,
  }
}

/** The candidates checked against the CMS, four at a time: the records found and the candidates rejected. */
export async function checkCandidates(
  clients: InstallationClients,
  candidates: readonly Candidate[],
): Promise<{found: FoundRecord[]; rejected: RejectedCandidate[]}> {
  const checked = await mapBounded(candidates, 4, (candidate) => checkCandidate(clients, candidate))
  return {
    found: checked.filter((entry): entry is FoundRecord => 'entity' in entry),
    rejected: checked.filter((entry): entry is RejectedCandidate => 'reason' in entry),
  }
}
