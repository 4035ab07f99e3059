import {atLocalTime} from '../util/time.js'

/** Anchors for the seed's relative times: `now` and `sync`, the start of the latest daily auto-sync. */
export interface TimeAnchors {
  now: Date
  sync: Date
}

/** The latest occurrence of the auto-sync time that is at least `minAgoMs` before now. */
export function latestAutoSyncStart(now: Date, at: string, timeZone: string, minAgoMs = 30 * 60_000): Date {
  let candidate = atLocalTime(now, at, timeZone)
  while (candidate.getTime() > now.getTime() - minAgoMs) candidate = new Date(candidate.getTime() - 24 * 3_600_000)
  return candidate
}

const units: Record<string, number> = {d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000}

/** `sync-5d+3m`, `now-25m`, `sync` → an instant. */
export function resolveRelativeTime(expression: string, anchors: TimeAnchors): Date {
  const match = /^(now|sync)((?:[+-]\d+[dhms])*)$/.exec(expression.trim())
  if (!match) throw new Error(`sandbox seed: cannot read the relative time "${expression}"`)
  let time = (match[1] === 'now' ? anchors.now : anchors.sync).getTime()
  for (const [, sign, amount, unit] of (match[2] ?? '').matchAll(/([+-])(\d+)([dhms])/g))
    time += (sign === '-' ? -1 : 1) * Number(amount) * (units[unit as string] as number)
  return new Date(time)
}

export function resolveIso(expression: string | null | undefined, anchors: TimeAnchors): string | null {
  return expression ? resolveRelativeTime(expression, anchors).toISOString() : null
}
