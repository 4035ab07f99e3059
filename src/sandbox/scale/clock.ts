/** The times of the generated installation, as offsets from its start: the last sync, the changes, the exports. */
export interface ScaleClock {
  now: number
  syncStart: number
  syncEnd: number
  cmsWritten: number
  published: number
  oldChange: number
  recentChange: number
  oldPublished: number
  exportFileRead: number
  exportFileWritten: number
}

export function clockAt(now: number): ScaleClock {
  const minute = 60_000
  // Whole seconds: the CMS stores the ERP's change times truncated to seconds.
  const at = (offsetMinutes: number) => Math.floor((now - offsetMinutes * minute) / 1000) * 1000
  return {
    cmsWritten: at(115),
    exportFileRead: at(180),
    exportFileWritten: at(20),
    now,
    oldChange: at(3 * 24 * 60),
    oldPublished: at(3 * 24 * 60),
    published: at(110),
    recentChange: at(30),
    syncEnd: at(110),
    syncStart: at(120),
  }
}

/** The clock's times are few: their ISO texts are made once, not once per generated record. */
const isoTexts = new Map<number, string>()

export const iso = (ms: number) => {
  let text = isoTexts.get(ms)
  if (text === undefined) {
    text = new Date(ms).toISOString()
    if (isoTexts.size < 64) isoTexts.set(ms, text)
  }
  return text
}
