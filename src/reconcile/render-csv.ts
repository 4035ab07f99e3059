import {fieldLabel} from '../model/compare.js'
import {timeInZone} from './render.js'
import type {ReconcileTarget, ReconcileRecord} from './types.js'

/**
 * The CSV of every finding, for a spreadsheet: a header of labels a person reads (the trace's words), each
 * column standing for one field of the JSON record (its stable key, documented in the README), times in
 * the installation's zone with their offset. Machines read `--format jsonl` or `--json` (ISO UTC).
 */
type Column = {key: string; label: (entity: ReconcileTarget) => string; value: (record: ReconcileRecord) => string}

const at =
  (pick: (record: ReconcileRecord) => string | null | undefined, timeZone: string) => (record: ReconcileRecord) =>
    timeInZone(pick(record), timeZone) ?? ''

function columns(timeZone: string): Column[] {
  return [
    {key: 'class', label: () => 'Class', value: (record) => record.class},
    {
      key: 'key',
      label: (entity) =>
        entity === 'customers'
          ? 'Customer code'
          : entity === 'items'
            ? 'Item code'
            : 'Price row (list|item|unit|currency|from quantity|valid from)',
      value: (record) => record.key,
    },
    {key: 'cause', label: () => 'Cause (as trace names it)', value: (record) => record.cause ?? ''},
    {key: 'summary', label: () => 'Finding', value: (record) => record.summary},
    {
      key: 'diff',
      label: () => 'Fields that differ',
      value: (record) => record.diff.map((entry) => fieldLabel(entry.field)).join(', '),
    },
    {
      key: 'times.upstreamModifiedAt',
      label: () => 'Changed in the source',
      value: at((record) => record.times.upstreamModifiedAt, timeZone),
    },
    {
      key: 'times.lastSyncStartedAt',
      label: () => 'Last sync started',
      value: at((record) => record.times.lastSyncStartedAt, timeZone),
    },
    {
      key: 'times.cmsSyncedAt',
      label: () => 'Written to the CMS',
      value: at((record) => record.times.cmsSyncedAt, timeZone),
    },
    {key: 'times.publishedAt', label: () => 'Published', value: at((record) => record.times.publishedAt, timeZone)},
    {key: 'users', label: () => 'App users who do not see it', value: (record) => (record.users ?? []).join(', ')},
    {key: 'side', label: () => 'Side', value: (record) => record.side ?? ''},
    {key: 'error', label: () => 'Error', value: (record) => record.error ?? ''},
    {key: 'file', label: () => 'Export file', value: (record) => record.file ?? ''},
    {key: 'line', label: () => 'Line', value: (record) => (record.line === undefined ? '' : String(record.line))},
  ]
}

/** The JSON record's key behind each CSV column, in order (the README's table). */
export const csvColumnKeys = columns('UTC').map((column) => column.key)

function csvValue(value: string): string {
  // A cell a spreadsheet would run as a formula is prefixed with a quote (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** The header row and the line of one finding, times in `timeZone`. */
export function csvFormat(
  entity: ReconcileTarget,
  timeZone: string,
): {header: string; line: (record: ReconcileRecord) => string} {
  const list = columns(timeZone)
  return {
    header: `${list.map((column) => csvValue(column.label(entity))).join(',')}\n`,
    line: (record) => `${list.map((column) => csvValue(column.value(record))).join(',')}\n`,
  }
}
