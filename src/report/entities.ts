/**
 * The hops every entity passes, in one place: every union of hop names, every chain and every hop label is
 * derived from here; the entities themselves are data in `src/entities/`. Imports nothing (as the report schema).
 */

/** The hops of an installation, in the order they stand on an inbound chain. */
export const hopNames = ['erp', 'ftp', 'cms', 'app', 'webshop'] as const
export type HopName = (typeof hopNames)[number]

/** The hops that answer over HTTP (a sandbox fault can be put on each): all but the file server. */
export const serviceHops = hopNames.filter((hop): hop is Exclude<HopName, 'ftp'> => hop !== 'ftp')

/** One label per hop: as a table heading ("ERP") and inside a sentence ("the ERP"). */
export const hopLabels: Record<HopName, {label: string; inSentence: string}> = {
  app: {inSentence: 'the app', label: 'App'},
  cms: {inSentence: 'the CMS', label: 'CMS'},
  erp: {inSentence: 'the ERP', label: 'ERP'},
  ftp: {inSentence: 'the FTP export', label: 'FTP'},
  webshop: {inSentence: 'the webshop', label: 'Webshop'},
}

/** How an installation's CMS reaches its ERP: over the ERP's API, or through files on a file server. */
export type ConnectionKind = 'direct' | 'ftp'

/** Where the origin of an outbound record is: the app (a device) or the webshop. */
export type Origin = 'app' | 'webshop'

/**
 * The hops per direction and connection kind. Inbound, master data runs from the ERP (through its export
 * files on ftp installations) to the CMS, which feeds the app and the webshop side by side. Outbound, a
 * record starts at its origin (the app or the webshop) and runs to the ERP (through the order folders).
 */
export const chains = {
  inbound: {direct: ['erp', 'cms', 'app', 'webshop'], ftp: ['erp', 'ftp', 'cms', 'app', 'webshop']},
  outbound: {direct: ['cms', 'erp'], ftp: ['cms', 'ftp', 'erp']},
} as const satisfies Record<'inbound' | 'outbound', Record<ConnectionKind, readonly HopName[]>>

export function inboundChain(connection: ConnectionKind): HopName[] {
  return [...chains.inbound[connection]]
}

export function outboundChain(origin: Origin, connection: ConnectionKind): HopName[] {
  return [origin, ...chains.outbound[connection]]
}

/**
 * The names of the entities, as keys: the registry of entities (`src/entities/index.ts`) adds them, so this
 * module imports nothing and every entity's folder stays above the report schema.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the registry's module augmentation
export interface EntityRegistry {}
export type EntityName = keyof EntityRegistry & string
