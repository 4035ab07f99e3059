import {closeSync, writeSync} from 'node:fs'

import {
  csvHeader,
  csvLine,
  firstPerClass,
  markdownRecordLine,
  markdownRecordsHeader,
  readRecords,
  renderMarkdownSummary,
  renderTerminal,
} from '../reconcile/render.js'
import type {ReconcileRecord, ReconcileSummary} from '../reconcile/types.js'
import {ExitCode} from '../util/errors.js'
import {cleanOutput, type OutputOptions} from '../util/output.js'
import {openOutputFile} from '../util/output-file.js'
import type {CommandIo, FixOutput} from './reconcile-fix.js'
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

/** The header and the line of one record in a records format (JSON lines: no header; CSV times in `timeZone`). */
function recordFormat(
  format: 'csv' | 'jsonl' | 'markdown',
  timeZone: string,
): {
  header: string
  line: (record: ReconcileRecord) => string
} {
  if (format === 'csv') return {header: csvHeader(), line: (record) => csvLine(record, timeZone)}
  if (format === 'markdown') return {header: markdownRecordsHeader, line: markdownRecordLine}
  return {header: '', line: (record) => `${JSON.stringify(record)}\n`}
}

/** The summary and the records in the format asked for; with --output the records go to that file and stdout gets the summary. */
export async function printReconcile(
  output: ReconcileOutput,
  recordsPath: string,
  flags: PrintFlags,
  json: boolean,
  io: CommandIo,
  timeZone: string,
): Promise<void> {
  if (flags.output) await writeRecordsFile(flags.output, recordsPath, timeZone)
  if (json) return printJson(output, recordsPath, flags, io)
  if (flags.format === 'csv' || flags.format === 'jsonl')
    return printRecordLines(output, recordsPath, {...flags, timeZone}, io)
  const first = await firstPerClass(recordsPath, flags.limit)
  if (flags.format === 'markdown') io.log(renderMarkdownSummary(output, first, timeZone))
  else io.log(renderTerminal(output, first, flags.output ?? null, timeZone))
  if (output.fix?.results[0]?.outcome === 'refused')
    io.log(`\nFix: not done (${output.fix.results[0].reason ?? 'refused'}); nothing was sent.`)
  else if (output.fix)
    io.log(
      `\nFix: ${output.fix.fixed} of ${output.fix.keys} ${output.entity} consistent after it${output.fix.remaining.length > 0 ? `; left: ${output.fix.remaining.map((entry) => `${entry.class} ${entry.count}`).join(', ')}` : ''}.`,
    )
}

/** The summary as one JSON object whose `records` are streamed in (empty with --output, which has them). */
async function printJson(
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
  output: ReconcileOutput,
  recordsPath: string,
  flags: PrintFlags & {timeZone: string},
  io: CommandIo,
): Promise<void> {
  const first = await firstPerClass(recordsPath, 0)
  // The records are the data on stdout; the summary goes to stderr, so a pipe gets only the records.
  io.ctx.out.line('stderr', io.stderr, renderTerminal(output, first, flags.output ?? null, flags.timeZone))
  if (flags.output) return
  const options: OutputOptions = flags.format === 'csv' ? io.stdout : jsonOptions
  const {header, line} = recordFormat(flags.format === 'csv' ? 'csv' : 'jsonl', flags.timeZone)
  io.ctx.out.write(
    'stdout',
    await writeChunked(header, linesOf(recordsPath, line), (chunk) => io.ctx.out.write('stdout', chunk, options)),
    options,
  )
}

/** Every record into the --output file, in the format its name says, through the output boundary. */
async function writeRecordsFile(path: string, recordsPath: string, timeZone: string): Promise<void> {
  const format = formatOf(path)
  const options: OutputOptions = {format: format === 'jsonl' ? 'json' : format === 'markdown' ? 'markdown' : 'terminal'}
  const fd = openOutputFile(path)
  try {
    const {header, line} = recordFormat(format, timeZone)
    const write = (chunk: string) => writeSync(fd, cleanOutput(chunk, options))
    write(await writeChunked(header, linesOf(recordsPath, line), write))
  } finally {
    closeSync(fd)
  }
}
