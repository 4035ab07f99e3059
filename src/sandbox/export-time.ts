const timeFormats = new Map<string, Intl.DateTimeFormat>()

/** "2026-11-20 09:14:00" in the installation's timezone: how the ERP writes times into its exports. */
export function localTime(iso: string, timeZone: string): string {
  if (timeZone === 'UTC')
    return (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/.test(iso) ? iso : new Date(iso).toISOString())
      .slice(0, 19)
      .replace('T', ' ')
  let format = timeFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
      minute: '2-digit',
      month: '2-digit',
      second: '2-digit',
      timeZone,
      year: 'numeric',
    })
    timeFormats.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(iso)).map((part) => [part.type, part.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
}
