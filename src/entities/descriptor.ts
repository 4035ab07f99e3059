import type {InstallationClients} from '../connectors/installation.js'
import type {SyncEntity} from '../connectors/platform/types.js'
import type {ActionContext} from '../diagnose/actions.js'
import type {Diagnosis} from '../diagnose/conclude.js'
import type {Fetched} from '../observe/fetched.js'
import type {TraceReport} from '../report/types.js'

/**
 * One descriptor per entity (`src/entities/<entity>/index.ts`, listed in `src/entities/index.ts`): its words,
 * its `trace <entity>` command, what its actions sync or republish, and, loaded on demand, how one record is
 * observed and diagnosed. The trace pipeline, the views, the actions and the commands are generic over it.
 */
export interface EntityDescriptor<Name extends string = string> {
  name: Name
  /** "Customer", for headings. */
  label: string
  /** What its key is called: "customer code", "order number". */
  keyName: string
  /** Its usual direction (a customer created in the app or webshop travels outbound). */
  direction: 'inbound' | 'outbound'
  /** The record's own name for a view's header (a customer's name, an item's description), if any. */
  recordName(report: TraceReport): string | null
  actions: {
    /** What a targeted CMS sync or a webshop republish of one of its records names as the entity. */
    syncs: 'customers' | 'items'
    /**
     * Where a record's fix acts on something other than the record itself (a price: its customer or its price
     * list), the target of the report's automatable action; null falls back to `syncs` and the report's key.
     */
    target?(report: TraceReport): RecordTarget | null
    /** The trace's own flags of a report (a price's quantity and date), so tracing it again asks the same. */
    paramsOf?(report: TraceReport): Record<string, string | number>
    /** The sync entities whose targeted run (or republish) of a key is verified by tracing this entity again. */
    verifiedBy: readonly SyncEntity[]
  }
  /** The `trace <entity>` command's texts (src/commands/trace/<entity>.ts builds it with `traceCommandFor`). */
  command: TraceCommandText
  /** How one record is observed and diagnosed: loaded when a trace runs, never for `--help`. */
  load(): Promise<EntityTrace>
}

export interface TraceCommandText {
  summary: string
  /** What it does; the trace commands' shared text (exit codes, --fix) follows it. */
  description: string
  /** Arguments and flags after `synctrace trace <entity>`. */
  examples: string[]
  /**
   * The argument that takes the key, or the arguments whose values together make one key (a price: customer
   * and item), joined by `keySeparator` into the report's key (`10042/P-100`).
   */
  key: KeyArgument | readonly KeyArgument[]
  /** Flags of this entity's trace beyond the shared ones (`--quantity`, `--date`), given to its observe as `params`. */
  options?: readonly TraceOption[]
  /** The `--user` flag's description, when the entity has one. */
  user?: string
}

/** A sync or a republish the fix of one record runs (as `ActionTarget` in src/actions names them). */
export type RecordTarget =
  | {kind: 'sync'; entity: SyncEntity; mode: 'targeted'; keys: string[]}
  | {kind: 'webshop-republish'; entity: 'customers' | 'items' | 'prices'; keys: string[]}

export interface KeyArgument {
  name: string
  description: string
}

/** An entity's own trace flag: a whole number (with its least value) or a `yyyy-MM-dd` date. */
export interface TraceOption {
  name: string
  description: string
  kind: 'whole-number' | 'date'
  /** A whole number's least value. */
  min?: number
  /** An example value for the help and the usage error. */
  example: string
}

/** What joins the values of a key made of several arguments into the report's one key. */
export const keySeparator = '/'

/** The arguments of an entity's key, in order. */
export function keyArguments(command: Pick<TraceCommandText, 'key'>): readonly KeyArgument[] {
  return 'name' in command.key ? [command.key as KeyArgument] : (command.key as readonly KeyArgument[])
}

/** A report's key back into the values of its arguments: split at the first separators, the rest in the last. */
export function splitKey(key: string, count: number): string[] {
  const parts: string[] = []
  let rest = key
  for (let index = 1; index < count; index++) {
    const at = rest.indexOf(keySeparator)
    if (at < 0) break
    parts.push(rest.slice(0, at))
    rest = rest.slice(at + keySeparator.length)
  }
  return [...parts, rest]
}

/** What one trace is asked: the user of `--user`, the key's parts, the entity's own flags. */
export interface TraceOptions {
  userId?: string
  /** The values of a key made of several arguments (`['10042', 'P-100']`). */
  keyParts?: readonly string[]
  params?: Readonly<Record<string, string | number>>
}

/** What the pipeline needs of any entity's observations besides what its diagnosis reads. */
interface Observed {
  now: Date
  /** The file server's answer, for the report's `fileServer`. */
  ftp: Fetched<{location: string}> | null
}

export interface Observation extends Observed {
  diagnosis: Diagnosis
}

export type TraceContext = Omit<ActionContext, 'key' | 'userId' | 'entity'>

export interface EntityTrace {
  /** Asks every hop about one record, and diagnoses the answers. */
  observeAndDiagnose(
    clients: InstallationClients,
    key: string,
    options: TraceOptions,
    context: TraceContext,
  ): Promise<Observation>
  /** The sales reps of a traced record, for naming the users a wrong `--user` could have been. */
  salesRepsOf?(clients: InstallationClients, diagnosis: Diagnosis): Promise<string[] | null>
}

/** A descriptor, its name kept as a literal type (the registry's union of names derives from it). */
export function defineEntity<const Name extends string>(descriptor: EntityDescriptor<Name>): EntityDescriptor<Name> {
  return descriptor
}

/** An entity's trace from its observe and diagnose functions. */
export function entityTrace<O extends Observed>(
  observe: (clients: InstallationClients, key: string, options: TraceOptions) => Promise<O>,
  diagnose: (observations: O, context: TraceContext) => Diagnosis,
  salesRepsOf?: EntityTrace['salesRepsOf'],
): EntityTrace {
  return {
    observeAndDiagnose: async (clients, key, options, context) => {
      const observations = await observe(clients, key, options)
      return {diagnosis: diagnose(observations, context), ftp: observations.ftp, now: observations.now}
    },
    ...(salesRepsOf ? {salesRepsOf} : {}),
  }
}

/** A record's own name from one field of the first hop's record that has it. */
export function recordField(field: string): (report: TraceReport) => string | null {
  return (report) => {
    for (const hop of report.hops) {
      const value = (hop.record as Record<string, unknown> | null)?.[field]
      if (typeof value === 'string' && value.trim() !== '') return value
    }
    return null
  }
}
