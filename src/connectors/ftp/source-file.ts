import type {SyncRun} from '../platform/types.js'
import type {ExportKind} from './layouts/types.js'

/**
 * Which export file a trace, doctor and reconcile read: the profile's names (`ftp.customerFiles`,
 * `ftp.itemFiles`), else the file the CMS's latest run of that entity read (`sourceFile`), else the
 * layout's defaults. A layout's default name is only a fallback: the CMS's own runs say what it reads.
 */

export type ExportEntity = 'customers' | 'items' | 'prices'

/** The file the CMS's latest run of an entity read, as its `/sync/runs` reports it. */
export interface ReadByCms {
  file: string
  runId: string
}

export interface ExportFileChoice {
  files: string[]
  /** Where the names come from. */
  origin: 'profile' | 'cms-run' | 'layout'
  /** The run whose `sourceFile` named them (origin `cms-run`). */
  runId: string | null
  /** "the file the CMS's last customers run r-8812 read (its sourceFile)". */
  because: string
  /** The layout's defaults only because the CMS's runs could not be read: which file the CMS reads is unknown. */
  runsUnread: boolean
}

/** The newest run of the entity that names the file it read; null when none does (or the runs are unknown). */
export function readByCmsOf(runs: readonly SyncRun[] | null | undefined, entity: ExportEntity): ReadByCms | null {
  const named = (runs ?? []).filter(
    (run) => run.entity === entity && typeof run.sourceFile === 'string' && run.sourceFile !== '',
  )
  const newest = named.reduce<SyncRun | null>(
    (best, run) => (best === null || (run.startedAt?.getTime() ?? 0) > (best.startedAt?.getTime() ?? 0) ? run : best),
    null,
  )
  return newest ? {file: newest.sourceFile as string, runId: newest.runId} : null
}

const printable = (name: string) => JSON.stringify(name.slice(0, 100)).replace(/\\u0000/g, '\\0')

/**
 * A `sourceFile` from the CMS is remote input: it must be a relative path inside the export root. `..`,
 * absolute paths (`/…`, `C:…`), backslashes and control characters are refused (the FTP hop's error).
 * A name that starts with the base folder itself (`a4s/customers.csv` under `/a4s`) is the file in it.
 */
export function checkedSourceFile(name: string, basePath: string, runId: string): string {
  const refuse = (why: string) =>
    new Error(`refused the file the CMS's run ${runId} names as its sourceFile, ${printable(name)}: ${why}`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) throw refuse('it holds control characters')
  if (name.includes('\\')) throw refuse('it holds a backslash')
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
    throw refuse('it is an absolute path, not one inside the export folder')
  const parts = name.split('/')
  if (parts.some((part) => part === '..')) throw refuse('it would leave the export folder')
  const inside = parts.filter((part) => part !== '' && part !== '.')
  if (inside.length === 0 || name.length > 500) throw refuse('it is not a file name')
  const base = basePath.split('/').filter((part) => part !== '')
  const underBase =
    base.length > 0 && inside.length > base.length && base.every((part, index) => inside[index] === part)
  return (underBase ? inside.slice(base.length) : inside).join('/')
}

const profileSettingOf: Record<ExportEntity, string> = {
  customers: 'customerFiles',
  items: 'itemFiles',
  prices: 'priceListFiles',
}

/** The export files of one kind: the profile's, else the CMS's last run's, else the layout's defaults. */
export function chooseExportFiles(options: {
  entity: ExportEntity
  kind: Pick<ExportKind<unknown>, 'defaultFiles'>
  layoutName: string
  profileFiles: string[] | undefined
  readByCms: ReadByCms | null | undefined
  /** The CMS's runs could not be read (then no run can name the file). */
  runsUnread?: boolean
  basePath: string
}): ExportFileChoice {
  const {entity, kind, readByCms} = options
  const defaults = [...kind.defaultFiles]
  if (options.profileFiles && options.profileFiles.length > 0)
    return {
      because: `named in the profile (ftp.${profileSettingOf[entity]})`,
      files: [...options.profileFiles],
      origin: 'profile',
      runId: null,
      runsUnread: false,
    }
  if (readByCms) {
    const file = checkedSourceFile(readByCms.file, options.basePath, readByCms.runId)
    const because = `the file the CMS's last ${entity} run ${readByCms.runId} read (its sourceFile ${file})`
    // A run names one file; the layout's own set (customers.csv and customers.xml) when it is one of them.
    if (defaults.includes(file) && defaults.length > 1)
      return {
        because: `${because}, with the ${options.layoutName} layout's other ${entity} file`,
        files: defaults,
        origin: 'cms-run',
        runId: readByCms.runId,
        runsUnread: false,
      }
    return {because, files: [file], origin: 'cms-run', runId: readByCms.runId, runsUnread: false}
  }
  const runsUnread = options.runsUnread === true
  const why = runsUnread
    ? "the CMS's runs, which name the file it reads, could not be read"
    : 'no CMS run names the file it read'
  return {
    because: `the ${options.layoutName} layout's default: ${why}`,
    files: defaults,
    origin: 'layout',
    runId: null,
    runsUnread,
  }
}
