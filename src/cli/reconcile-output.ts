import {closeSync, writeSync} from 'node:fs'

import {
  firstPerClass,
  markdownRecordLine,
  markdownRecordsHeader,
  type ReconcileView,
  readRecords,
  renderMarkdownSummary,
  renderTerminal,
} from '../reconcile/render.js'
import {csvFormat} from '../reconcile/render-csv.js'
import type {ReconcileTarget, ReconcileRecord, ReconcileSummary} from '../reconcile/types.js'
import {terminalWidth} from '../render/wrap.js'
import {formatCount} from '../util/numbers.js'
import {installationTimeZone} from '../util/time.js'
import {ExitCode} from '../util/errors.js'
import {cleanOutput, type OutputOptions} from '../util/output.js'
import {openOutputFile} from '../util/output-file.js'
import type {ReconcileResult} from '../reconcile/session.js'
import {type CommandIo, type FixOutput, type FixRequest, maybeFix} from './reconcile-fix.js'
import {formatOf} from './reconcile-flags.js'

export interface ReconcileOutput extends ReconcileSummary {
  /** Where the records were written with --output, else null. */
  recordsFile: string | null
  fix: FixOutput | null
}

/** The summary with the fix's outcome: after a fix, its exit code, or 3 while classes --fix cannot resolve remain. */
export function reconcileOutput(
  summary: ReconcileSummary,
  fix: FixOutput | null,
  recordsFile: string | null,
): ReconcileOutput {
  const output: ReconcileOutput = {...summary, fix, recordsFile}
  if (fix)
    output.exitCode = (
      fix.exitCode === ExitCode.ok
        ? summary.classes.some((entry) => entry.fix === null)
          ? ExitCode.breakFound
          : ExitCode.ok
        : fix.exitCode
    ) as ReconcileOutput['exitCode']
  return output
}

/**
 * The plan first (the summary and the records), then the fix offered or done on it, as terraform's plan,
 * then apply; under JSON the one object after the fix.
 */
export async function planThenApply(
  result: ReconcileResult,
  request: FixRequest & {flags: PrintFlags},
): Promise<ReconcileOutput> {
  const {flags, io, json} = request
  const timeZone = installationTimeZone(result.installation)
  await printFindings(result.summary, result.recordsPath, flags, json, io, timeZone)
  const fix = await maybeFix(result, request)
  const output = reconcileOutput(result.summary, fix, flags.output ?? null)
  if (json) await printJson(output, result.recordsPath, flags, io)
  else printFixOutcome(output, io)
  return output
}

interface PrintFlags {
  format: string
  limit: number
  output?: string
}

const jsonOptions: OutputOptions = {format: 'json'}

/** Lines written in chunks of about 64 KiB, so that a million records never sit in one string; returns the last chunk, unwritten. */
async function writeChunked(
  header: string,
  lines: AsyncIterable<string>,
  write: (chunk: string) => void,
): Promise<string> {
  let buffer = header
  for await (const line of lines) {
    buffer += line
    if (buffer.length > 1 << 16) {
      write(buffer)
      buffer = ''
    }
  }
  return buffer
}

async function* linesOf(recordsPath: string, line: (record: ReconcileRecord) => string): AsyncGenerator<string> {
  for await (const record of readRecords(recordsPath)) yield line(record)
}

/** How the records of one run are written: the entity (the key's label) and the zone of its times. */
type RecordsOf = {entity: ReconcileTarget; timeZone: string}

/** The header and the line of one record in a records format (JSON lines: no header). */
function recordFormat(
  format: 'csv' | 'jsonl' | 'markdown',
  run: RecordsOf,
): {
  header: string
  line: (record: ReconcileRecord) => string
} {
  if (format === 'csv') return csvFormat(run.entity, run.timeZone)
  if (format === 'markdown') return {header: markdownRecordsHeader, line: markdownRecordLine}
  return {header: '', line: (record) => `${JSON.stringify(record)}\n`}
}

/**
 * The plan, before any fix is offered (terraform's plan, then apply): the records into the --output file,
 * then the summary and the records in the format asked for. Under JSON only the file: the one JSON object
 * follows the fix (printJson).
 */
export async function printFindings(
  summary: ReconcileSummary,
  recordsPath: string,
  flags: PrintFlags,
  json: boolean,
  io: CommandIo,
  timeZone: string,
): Promise<void> {
  if (flags.output) await writeRecordsFile(flags.output, recordsPath, {entity: summary.entity, timeZone})
  if (json) return
  const records = flags.format === 'csv' || flags.format === 'jsonl'
  const view: ReconcileView = {
    recordsFile: flags.output ?? null,
    timeZone,
    width: terminalWidth(records ? io.ctx.io.stderr : io.ctx.io.stdout, io.ctx.env),
  }
  if (records) return printRecordLines(summary, recordsPath, flags, io, view)
  const first = await firstPerClass(recordsPath, flags.limit)
  if (flags.format === 'markdown') io.log(renderMarkdownSummary(summary, first, view))
  else io.log(renderTerminal(summary, first, view))
}

/** What the fix did, after the plan: refused, stopped at the prompt, or how many are consistent now. */
export function printFixOutcome(output: ReconcileOutput, io: CommandIo): void {
  const {fix} = output
  const first = fix?.results[0]
  if (!fix || !first) return
  if (first.outcome === 'refused') io.log(`\nFix: not done (${first.reason ?? 'refused'}); nothing was sent.`)
  else if (first.outcome === 'declined') io.log('\nFix: declined at the prompt; nothing was sent.')
  else if (first.outcome === 'interrupted' && first.job === null)
    io.log('\nFix: interrupted at the prompt (Ctrl-C); nothing was sent.')
  else
    io.log(
      `\nFix: ${formatCount(fix.fixed)} of ${formatCount(fix.keys)} ${output.entity} consistent after it${fix.remaining.length > 0 ? `; left: ${fix.remaining.map((entry) => `${entry.class} ${formatCount(entry.count)}`).join(', ')}` : ''}.`,
    )
}

/** The summary as one JSON object whose `records` are streamed in (empty with --output, which has them). */
export async function printJson(
  output: ReconcileOutput,
  recordsPath: string,
  flags: PrintFlags,
  io: CommandIo,
): Promise<void> {
  const writeOut = (stream: 'stdout', text: string, options: OutputOptions) => io.ctx.out.write(stream, text, options)
  const {records: _unused, ...head} = {...output, records: undefined}
  const opening = JSON.stringify(head, null, 2).replace(/\n}$/, '')
  writeOut('stdout', `${opening},\n  "records": [`, jsonOptions)
  if (flags.output) {
    writeOut('stdout', ']\n}\n', jsonOptions)
    return
  }
  let first = true
  const elements = linesOf(recordsPath, (record) => {
    const element = `${first ? '\n' : ',\n'}    ${JSON.stringify(record)}`
    first = false
    return element
  })
  const rest = await writeChunked('', elements, (chunk) => writeOut('stdout', chunk, jsonOptions))
  writeOut('stdout', `${rest}${first ? '' : '\n  '}]\n}\n`, jsonOptions)
}

async function printRecordLines(
  summary: ReconcileSummary,
  recordsPath: string,
  flags: PrintFlags,
  io: CommandIo,
  view: ReconcileView,
): Promise<void> {
  const first = await firstPerClass(recordsPath, 0)
  // The records are the data on stdout; the summary goes to stderr, so a pipe gets only the records.
  io.ctx.out.line('stderr', io.stderr, renderTerminal(summary, first, view))
  if (flags.output) return
  const options: OutputOptions = flags.format === 'csv' ? io.stdout : jsonOptions
  const {header, line} = recordFormat(flags.format === 'csv' ? 'csv' : 'jsonl', {
    entity: summary.entity,
    timeZone: view.timeZone,
  })
  io.ctx.out.write(
    'stdout',
    await writeChunked(header, linesOf(recordsPath, line), (chunk) => io.ctx.out.write('stdout', chunk, options)),
    options,
  )
}

/** Every record into the --output file, in the format its name says, through the output boundary. */
async function writeRecordsFile(path: string, recordsPath: string, run: RecordsOf): Promise<void> {
  const format = formatOf(path)
  const options: OutputOptions = {format: format === 'jsonl' ? 'json' : format === 'markdown' ? 'markdown' : 'terminal'}
  const fd = openOutputFile(path)
  try {
    const {header, line} = recordFormat(format, run)
    const write = (chunk: string) => writeSync(fd, cleanOutput(chunk, options))
    write(await writeChunked(header, linesOf(recordsPath, line), write))
  } finally {
    closeSync(fd)
  }
}
