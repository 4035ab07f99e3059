/**
 * Time helpers: parsing ISO timestamps, and the one way a person is shown a time: wall clock in the
 * installation's time zone with its offset ("2026-12-06 02:00 (+01:00)"), the zone's name said once beside
 * it (a footer or a header line); seconds only where minutes would hide the order of two times.
 */

export function parseTime(value: unknown): Date | null {
  if (typeof value !== 'string' || value.trim() === '') return null
  const parsed = new Date(value)
  return Number.isNaN(parsed.getTime()) ? null : parsed
}

/** "3 h 12 min", "2 days", "45 s": a human duration for evidence sentences. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms)
  const minutes = Math.round(abs / 60_000)
  if (abs < 60_000) return `${Math.round(abs / 1000)} s`
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) {
    const rest = minutes % 60
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`
  }
  const days = Math.floor(hours / 24)
  const restHours = hours % 24
  return restHours === 0 ? `${days} days` : `${days} days ${restHours} h`
}

/** One formatter per zone: building one costs far more than using it, and reconcile words many findings. */
const formats = new Map<string, Intl.DateTimeFormat>()

function formatFor(timeZone: string): Intl.DateTimeFormat {
  const known = formats.get(timeZone)
  if (known) return known
  const format = new Intl.DateTimeFormat('en-GB', {
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
    minute: '2-digit',
    month: '2-digit',
    second: '2-digit',
    timeZone,
    timeZoneName: 'short',
    year: 'numeric',
  })
  formats.set(timeZone, format)
  return format
}

function partsIn(date: Date, timeZone: string): Record<string, string> {
  const format = formatFor(timeZone)
  const parts: Record<string, string> = {}
  for (const part of format.formatToParts(date)) parts[part.type] = part.value
  return parts
}

/** Offset of `timeZone` at `date`, as "+01:00". */
export function utcOffset(date: Date, timeZone: string): string {
  const parts = partsIn(date, timeZone)
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  )
  const offsetMinutes = Math.round((asUtc - Math.floor(date.getTime() / 60_000) * 60_000) / 60_000)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/**
 * "2026-11-22 09:14 (+01:00)": a wall-clock time in the installation's zone with its offset, for tickets;
 * with `seconds`, "2026-11-22 09:14:05 (+01:00)". Every view a person reads formats its times here.
 */
export function formatInZone(date: Date, timeZone: string, options: {seconds?: boolean} = {}): string {
  const parts = partsIn(date, timeZone)
  const seconds = options.seconds ? `:${parts.second}` : ''
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}${seconds} (${utcOffset(date, timeZone)})`
}

/**
 * Would minutes hide the order of these times? True when two of them fall in the same minute but are not
 * the same instant ("refreshed 06:59:12, before published 06:59:40"). Offsets are whole minutes, so the
 * same minute in UTC is the same minute in every zone.
 */
export function needsSeconds(...dates: readonly (Date | null | undefined)[]): boolean {
  const known = dates.filter((date): date is Date => date instanceof Date && !Number.isNaN(date.getTime()))
  return known.some((a, index) =>
    known
      .slice(index + 1)
      .some(
        (b) => a.getTime() !== b.getTime() && Math.floor(a.getTime() / 60_000) === Math.floor(b.getTime() / 60_000),
      ),
  )
}

/** Two times a sentence compares, each in `timeZone`; both with seconds when they share a minute but differ. */
export function formatPair(a: Date, b: Date, timeZone: string): [string, string] {
  const seconds = needsSeconds(a, b)
  return [formatInZone(a, timeZone, {seconds}), formatInZone(b, timeZone, {seconds})]
}

/** Is `zone` an IANA time zone this runtime knows (a hand-edited log or a server may hold anything)? */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.trim() === '') return false
  try {
    new Intl.DateTimeFormat('en-GB', {timeZone: zone})
    return true
  } catch {
    return false
  }
}

/** The given local wall-clock time on the calendar day of `date` in `timeZone`, as an instant. */
export function atLocalTime(date: Date, hhmm: string, timeZone: string): Date {
  const parts = partsIn(date, timeZone)
  const [hour, minute] = hhmm.split(':').map(Number)
  return fromWallClock(
    new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), hour ?? 0, minute ?? 0)),
    timeZone,
  )
}

function offsetMs(date: Date, timeZone: string): number {
  const offset = utcOffset(date, timeZone)
  const sign = offset.startsWith('-') ? -1 : 1
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000
}

/**
 * The instant whose wall-clock time in `timeZone` is `wall` (given as if it were UTC). The offset is taken
 * at the instant itself, not at `wall`: on the day of a DST switch they differ for the hours between.
 * A wall time that occurs twice (the hour the clocks go back) is one of its two instants; one that does
 * not occur (the hour they skip) is read with the offset before the switch.
 */
function fromWallClock(wall: Date, timeZone: string): Date {
  const first = new Date(wall.getTime() - offsetMs(wall, timeZone))
  return new Date(wall.getTime() - offsetMs(first, timeZone))
}

/** "2026-11-20 09:14:00" as wall-clock time in `timeZone` (how ERP exports write times); null if unreadable. */
export function parseLocalDateTime(text: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim())
  if (!match) return null
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[]
  const wall = new Date(Date.UTC(year as number, (month as number) - 1, day, hour, minute, second || 0))
  if (Number.isNaN(wall.getTime())) return null
  return fromWallClock(wall, timeZone)
}

/** This machine's time zone: for times whose installation's zone is not known (the CMS cannot say, an old audit entry). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** The zone a person is shown an installation's times in: its CMS's `autoSync.timezone`, else this machine's. */
export function installationTimeZone(installation: {autoSync?: {timezone: string} | null} | null | undefined): string {
  const zone = installation?.autoSync?.timezone
  return isTimeZone(zone) ? zone : localTimeZone()
}
