import {entities} from '../entities/index.js'
import type {TraceReport} from '../report/types.js'
import type {ActionTarget} from './target.js'

/** The action target behind a trace's automatable action, or null when a person must act. */
export function targetFromTrace(report: TraceReport): ActionTarget | null {
  if (!report.action.automatable) return null
  const own = entities[report.entity].actions.target?.(report)
  if (own) return own
  switch (report.action.kind) {
    case 'targeted-sync':
      return {entity: entities[report.entity].actions.syncs, keys: [report.key], kind: 'sync', mode: 'targeted'}
    case 'webshop-republish':
      return {entity: entities[report.entity].actions.syncs, keys: [report.key], kind: 'webshop-republish'}
    case 'order-retransfer':
      return {kind: 'order-retransfer', orderNr: report.key}
    case 'app-full-refresh': {
      const app = report.hops.find((hop) => hop.hop === 'app')
      const userId = report.user ?? app?.users?.find((user) => user.status === 'stale')?.userId
      return userId ? {kind: 'app-refresh', userId} : null
    }
    default:
      return null
  }
}
