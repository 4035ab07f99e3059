/** Time helpers: parsing ISO timestamps and showing them in an installation's timezone. */

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

function partsIn(date: Date, timeZone: string): Record<string, string> {
  const format = new Intl.DateTimeFormat('en-GB', {
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
    minute: '2-digit',
    month: '2-digit',
    timeZone,
    timeZoneName: 'short',
    year: 'numeric',
  })
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

/** "2026-11-22 09:14 (+01:00)": a wall-clock time in the installation's zone with its offset, for tickets. */
export function formatInZone(date: Date, timeZone: string): string {
  const parts = partsIn(date, timeZone)
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${utcOffset(date, timeZone)})`
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

/** This machine's time zone (for times that belong to no installation: the audit log, job status). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC'
}

/** A time in this machine's zone with its offset: "2026-11-22 09:14 (+01:00)". */
export function formatLocal(date: Date): string {
  return formatInZone(date, localTimeZone())
}
