import {describe, expect, it} from 'vitest'

import {
  atLocalTime,
  formatDuration,
  formatInZone,
  formatPair,
  installationTimeZone,
  needsSeconds,
  parseLocalDateTime,
  utcOffset,
} from '../../src/util/time.js'

const stockholm = 'Europe/Stockholm'

describe('wall-clock times in an installation zone, across daylight saving', () => {
  it('reads an export time with the offset of its season (CEST in summer, CET in winter)', () => {
    expect(parseLocalDateTime('2026-07-01 12:00:00', stockholm)?.toISOString()).toBe('2026-07-01T10:00:00.000Z')
    expect(parseLocalDateTime('2026-12-01 12:00', stockholm)?.toISOString()).toBe('2026-12-01T11:00:00.000Z')
  })

  it('reads the hour before the clocks go back (25 Oct 2026, 01:30 CEST) as summer time, not an hour late', () => {
    expect(parseLocalDateTime('2026-10-25 01:30:00', stockholm)?.toISOString()).toBe('2026-10-24T23:30:00.000Z')
    expect(parseLocalDateTime('2026-10-25 03:30:00', stockholm)?.toISOString()).toBe('2026-10-25T02:30:00.000Z')
  })

  it('reads the hour before the clocks go forward (29 Mar 2026, 01:30 CET) as winter time', () => {
    expect(parseLocalDateTime('2026-03-29 01:30:00', stockholm)?.toISOString()).toBe('2026-03-29T00:30:00.000Z')
    expect(parseLocalDateTime('2026-03-29 03:30:00', stockholm)?.toISOString()).toBe('2026-03-29T01:30:00.000Z')
  })

  it('gives a time that occurs twice one of its two instants, and always round-trips to the same wall clock', () => {
    const twice = parseLocalDateTime('2026-10-25 02:30:00', stockholm)?.toISOString()
    expect(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']).toContain(twice)
    for (const text of [
      '2026-10-25 00:15',
      '2026-10-25 01:45',
      '2026-10-25 04:00',
      '2026-03-29 00:59',
      '2026-03-29 04:10',
    ])
      expect(formatInZone(parseLocalDateTime(text, stockholm) as Date, stockholm).slice(0, 16)).toBe(text)
  })

  it('puts a daily auto-sync time on the right instant on the day the clocks change', () => {
    expect(atLocalTime(new Date('2026-10-25T12:00:00Z'), '01:30', stockholm).toISOString()).toBe(
      '2026-10-24T23:30:00.000Z',
    )
    expect(atLocalTime(new Date('2026-10-25T12:00:00Z'), '02:00', 'UTC').toISOString()).toBe('2026-10-25T02:00:00.000Z')
  })

  it('shows times with the offset in force at that instant', () => {
    expect(utcOffset(new Date('2026-10-25T00:59:00Z'), stockholm)).toBe('+02:00')
    expect(utcOffset(new Date('2026-10-25T01:00:00Z'), stockholm)).toBe('+01:00')
    expect(formatInZone(new Date('2026-11-22T08:14:00Z'), stockholm)).toBe('2026-11-22 09:14 (+01:00)')
  })

  it('refuses times it cannot read, and words durations by their size', () => {
    expect(parseLocalDateTime('25.10.2026 01:30', stockholm)).toBeNull()
    expect(formatDuration(45_000)).toBe('45 s')
    expect(formatDuration(3 * 3_600_000 + 12 * 60_000)).toBe('3 h 12 min')
    expect(formatDuration(50 * 3_600_000)).toBe('2 days 2 h')
  })
})

describe('times for people: the installation zone with its offset, seconds only where minutes hide the order', () => {
  it('changes the offset across the clocks going back, with seconds as well', () => {
    expect(formatInZone(new Date('2026-10-25T00:59:30Z'), stockholm, {seconds: true})).toBe(
      '2026-10-25 02:59:30 (+02:00)',
    )
    expect(formatInZone(new Date('2026-10-25T01:00:30Z'), stockholm, {seconds: true})).toBe(
      '2026-10-25 02:00:30 (+01:00)',
    )
  })

  it('adds seconds to both times of a pair that share a minute but differ, and to neither otherwise', () => {
    const refreshed = new Date('2026-12-06T05:59:12Z')
    const published = new Date('2026-12-06T05:59:40Z')
    expect(formatPair(refreshed, published, stockholm)).toEqual([
      '2026-12-06 06:59:12 (+01:00)',
      '2026-12-06 06:59:40 (+01:00)',
    ])
    expect(formatPair(refreshed, refreshed, stockholm)).toEqual([
      '2026-12-06 06:59 (+01:00)',
      '2026-12-06 06:59 (+01:00)',
    ])
    expect(formatPair(refreshed, new Date('2026-12-06T06:00:05Z'), stockholm)).toEqual([
      '2026-12-06 06:59 (+01:00)',
      '2026-12-06 07:00 (+01:00)',
    ])
    expect(needsSeconds(null, refreshed, undefined, new Date('2026-12-06T01:00:00Z'), published)).toBe(true)
    expect(needsSeconds(refreshed, null)).toBe(false)
  })

  it("takes the installation's zone from its CMS, and this machine's only when the CMS does not say one", () => {
    expect(installationTimeZone({autoSync: {timezone: 'Europe/Oslo'}})).toBe('Europe/Oslo')
    const machine = Intl.DateTimeFormat().resolvedOptions().timeZone
    expect(installationTimeZone({autoSync: null})).toBe(machine)
    expect(installationTimeZone({autoSync: {timezone: 'Mars/Olympus_Mons'}})).toBe(machine)
  })
})
