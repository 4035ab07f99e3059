import type {Profile} from '../config/profile.js'
import {erpSystem} from '../connectors/registry.js'
import type {RequestActivity} from '../http/client.js'
import type {Output} from '../util/output.js'

interface HopState {
  pending: number
  failed: boolean
  startedAt: number
  endedAt: number
}

function originOf(url: string | undefined): string | null {
  if (!url) return null
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

/**
 * The live line on stderr while a trace runs, on a terminal only: each hop "asking…" until its requests
 * are answered, then ✔ or ✘ with the time it took. Erased when the trace is done, so only the report stays.
 */
export function hopProgress(
  profile: Profile,
  out: Output,
): {activity: (event: RequestActivity) => void; end: () => void} {
  const hopsByOrigin = new Map<string, string>()
  const add = (url: string | undefined, hop: string) => {
    const origin = originOf(url)
    if (origin && !hopsByOrigin.has(origin)) hopsByOrigin.set(origin, hop)
  }
  add(profile.cms.url, 'CMS')
  add(profile.app.url, 'App')
  add(profile.webshop.url, 'Webshop')
  add(profile.erp?.url, 'ERP')
  if (profile.erp) for (const url of erpSystem(profile.erp.system)?.otherUrls?.(profile.erp) ?? []) add(url, 'ERP')
  const states = new Map<string, HopState>()
  let drawn = false
  let ended = false
  const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`)
  const draw = () => {
    if (ended) return
    const now = Date.now()
    const parts = [...states.entries()].map(([hop, state]) =>
      state.pending > 0
        ? `${hop} asking… ${seconds(now - state.startedAt)}`
        : `${hop} ${state.failed ? '✘' : '✔'} ${seconds(state.endedAt - state.startedAt)}`,
    )
    out.redraw(parts.join(' · '))
    drawn = true
  }
  const timer = setInterval(draw, 250)
  timer.unref()
  return {
    activity: (event) => {
      const hop = hopsByOrigin.get(event.origin) ?? new URL(event.origin).host
      const state = states.get(hop) ?? {endedAt: 0, failed: false, pending: 0, startedAt: Date.now()}
      states.set(hop, state)
      if (event.done) {
        state.pending = Math.max(0, state.pending - 1)
        state.endedAt = Date.now()
        if (!event.ok) state.failed = true
      } else state.pending++
      draw()
    },
    end: () => {
      clearInterval(timer)
      if (drawn && !ended) out.redraw('')
      ended = true
    },
  }
}
