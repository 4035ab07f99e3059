import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {z} from 'zod'

import {UserError} from '../util/errors.js'
import {classRules} from './classes.js'
import {type HopPair, hopPairs, type ReconcileClass, type ReconcileTarget} from './types.js'

/**
 * Where a reconcile keeps its work: `$XDG_CACHE_HOME/synctrace/reconcile/<installation>-<entity>-<pair>/`
 * (else `~/.cache/…`), holding `records.jsonl` (the findings so far), `checkpoint.json` (how far the merge
 * got) and the sort's temporary run files. An interrupted run leaves it for `--resume`; a finished run
 * removes it.
 */
export function reconcileFolder(
  installation: string,
  entity: ReconcileTarget,
  between: HopPair,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.trim() !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache')
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)
  return join(base, 'synctrace', 'reconcile', `${safe(installation)}-${entity}-${between.replace(',', '-')}`)
}

export interface Checkpoint {
  version: 1
  entity: ReconcileTarget
  between: HopPair
  installation: string
  /** Every key up to and including this one is done, its findings in records.jsonl up to `recordsBytes`. */
  lastKey: string | null
  recordsBytes: number
  counts: Partial<Record<ReconcileClass, number>>
  compared: number
  consistent: number
  read: {upstream: number; downstream: number}
  publishedPerUser: Record<string, number>
  startedAt: string
  savedAt: string
}

/** A checkpoint holds counts and a key: anything larger was not written by synctrace. */
const maxCheckpointBytes = 1024 * 1024

export function checkpointPath(folder: string): string {
  return join(folder, 'checkpoint.json')
}

/** Written to a temporary file, synced, then renamed over the old one: a kill leaves the old or the new checkpoint, never half of one. */
export function saveCheckpoint(folder: string, checkpoint: Checkpoint): void {
  mkdirSync(folder, {mode: 0o700, recursive: true})
  const temporary = join(folder, `checkpoint.${process.pid}.tmp`)
  const fd = openSync(temporary, 'w', 0o600)
  try {
    writeSync(fd, JSON.stringify(checkpoint))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temporary, checkpointPath(folder))
}

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)
const shortText = z.string().max(200)

/** What a checkpoint must be to be resumed from: anything else (null fields, wrong types, huge or negative counts) is refused. */
const checkpointSchema = z.object({
  between: z.enum(hopPairs as [HopPair, ...HopPair[]]),
  compared: count,
  consistent: count,
  counts: z.partialRecord(z.enum(Object.keys(classRules) as [ReconcileClass, ...ReconcileClass[]]), count),
  entity: z.enum(['customers', 'items', 'prices']),
  installation: shortText,
  // A key of any length a system may hold, but not an unbounded one.
  lastKey: z.string().max(100_000).nullable(),
  publishedPerUser: z.record(shortText, count),
  read: z.object({downstream: count, upstream: count}),
  recordsBytes: count,
  savedAt: shortText,
  startedAt: shortText,
  version: z.literal(1),
})

/** The folder's checkpoint, null when there is none; a checkpoint that is not one is the user's error naming the file. */
export function loadCheckpoint(folder: string): Checkpoint | null {
  const path = checkpointPath(folder)
  if (!existsSync(path)) return null
  const refused = (why: string) =>
    new UserError(
      `The reconcile checkpoint ${path} cannot be resumed from: ${why}.`,
      `Remove ${folder} and run the reconcile again without --resume.`,
    )
  let text: string
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    try {
      if (!fstatSync(fd).isFile()) throw refused('it is not a regular file')
      if (fstatSync(fd).size > maxCheckpointBytes) throw refused(`it is larger than ${maxCheckpointBytes / 1024} KiB`)
      text = readFileSync(fd, 'utf8')
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    if (error instanceof UserError) throw error
    throw refused(`it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw refused('it is not JSON')
  }
  const checked = checkpointSchema.safeParse(parsed)
  if (!checked.success) {
    const issue = checked.error.issues[0]
    throw refused(`${issue?.path.length ? issue.path.join('.') : 'the whole'} is not as a checkpoint writes it`)
  }
  return checked.data
}

export function removeWork(folder: string): void {
  rmSync(folder, {force: true, recursive: true})
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * One run at a time per folder: a second reconcile of the same entity and hops would write into the same
 * findings and checkpoint. Returns the release, or the pid of the run that holds the folder.
 */
export function lockFolder(folder: string): {release: () => void} | {heldBy: number} {
  mkdirSync(folder, {mode: 0o700, recursive: true})
  const path = join(folder, 'lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return {release: () => rmSync(path, {force: true})}
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number(readFileSync(path, 'utf8').trim())
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) return {heldBy: holder}
      // Left by a run that is gone (killed): taken over.
      rmSync(path, {force: true})
    }
  }
  return {heldBy: -1}
}
