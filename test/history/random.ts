// The generator's randomness, seeded, and its picks of event times (in minutes before now).

/** A small seeded PRNG (mulberry32): the same seed gives the same history on every machine. */
export function randomSource(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return {
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    next,
    pick: <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T,
  }
}

export type Random = ReturnType<typeof randomSource>

/** A day, in minutes (the histories' unit of time). */
export const day = 1440

/**
 * Times of events after a start, in minutes before now: mostly well in the past (at least an hour ago),
 * sometimes in the last minutes — never near a grace boundary (15 and 30 minutes), and at least three
 * minutes apart, so that the order of events is never a matter of seconds.
 */
export function timesAfter(random: Random, startAgo: number, count: number, recentChance = 0.08): number[] {
  const taken = [startAgo]
  const times: number[] = []
  for (let index = 0; index < count; index++) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const ago = random.chance(recentChance) ? random.int(3, 10) : random.int(60, Math.max(60, startAgo - 3))
      if (ago < startAgo && taken.every((other) => Math.abs(other - ago) >= 3)) {
        taken.push(ago)
        times.push(ago)
        break
      }
    }
  }
  return times
}

/** Events in the order they happened (the earliest, most minutes ago, first). */
export function byTime<T extends {ago: number}>(events: T[]): T[] {
  return [...events].sort((a, b) => b.ago - a.ago)
}
