import type {HopPair, ReconcileClass, ReconcileEntity} from '../../reconcile/types.js'

/** Which residue of the index (mod 100) plants which class; every other record is consistent at every hop. */
export const residue = {
  appBehind: 12,
  appDiffers: 13,
  cmsDiffers: 4,
  createdAfterSync: 1,
  changedAfterSync: 2,
  excluded: 3,
  notPublishedToApp: 11,
  notPublishedToWebshop: 21,
  notAWebshopItem: 25,
  notReadBySync: 6,
  notVisible: 14,
  onlyInApp: 15,
  onlyInWebshop: 24,
  removedFromSource: 5,
  unreadableRow: 7,
  webshopBehind: 22,
  webshopDiffers: 23,
} as const

/** How many sales reps (and app users) the generated customers are spread over. */
export const reps = 20

/** How many indices below `records` have this residue. */
function countResidue(records: number, r: number): number {
  return records > r ? Math.floor((records - 1 - r) / 100) + 1 : 0
}

export type PlantedCounts = Record<ReconcileEntity, Partial<Record<HopPair, Partial<Record<ReconcileClass, number>>>>>

/** The planted findings per entity and pair of hops: what `reconcile` must find, exactly. */
export function plantedCounts(id: string, records: number): PlantedCounts {
  const n = (r: number) => countResidue(records, r)
  const ftp = id === 'scale-ftp'
  const source = sourceClasses(ftp, n)
  const sourcePair: HopPair = ftp ? 'ftp,cms' : 'erp,cms'
  const missingClass: ReconcileClass = ftp ? 'not-in-export' : 'removed-from-erp'
  const unreadable = ftp ? {'export-row-unreadable': n(residue.unreadableRow)} : {}
  const sourceOf = (excluded: ReconcileClass) => ({
    ...source,
    [excluded]: n(residue.excluded),
    [missingClass]: n(residue.removedFromSource),
    ...unreadable,
  })
  return {
    customers: {
      'cms,app': appClasses(n, {'not-visible-to-user': n(residue.notVisible)}),
      'cms,webshop': webshopClasses(n),
      [sourcePair]: sourceOf('excluded-by-filter'),
    },
    items: {
      'cms,app': appClasses(n),
      'cms,webshop': {'not-a-webshop-item': n(residue.notAWebshopItem), ...webshopClasses(n)},
      [sourcePair]: sourceOf('item-excluded'),
    },
  }
}

type Count = (r: number) => number

/** The source against the CMS, the same for customers and items but for what the filter excludes. */
function sourceClasses(ftp: boolean, n: Count): Partial<Record<ReconcileClass, number>> {
  if (ftp)
    // The export on the server was written after the version the last sync read: as a trace says, every
    // difference is then news to the CMS (the row times cannot show an older change).
    return {
      'created-after-sync': n(residue.createdAfterSync) + n(residue.notReadBySync),
      'erp-changed-after-sync': n(residue.changedAfterSync) + n(residue.cmsDiffers),
    }
  return {
    'cms-differs-from-erp': n(residue.cmsDiffers),
    'created-after-sync': n(residue.createdAfterSync),
    'erp-changed-after-sync': n(residue.changedAfterSync),
    'not-read-by-sync': n(residue.notReadBySync),
  }
}

/** The app against the CMS; customers also have the ones no user can see. */
function appClasses(
  n: Count,
  visibility: Partial<Record<ReconcileClass, number>> = {},
): Partial<Record<ReconcileClass, number>> {
  return {
    'app-differs-from-cms': n(residue.appDiffers),
    'app-publish-behind': n(residue.appBehind),
    'not-published-to-app': n(residue.notPublishedToApp),
    ...visibility,
    'only-in-app': n(residue.onlyInApp),
  }
}

function webshopClasses(n: Count): Partial<Record<ReconcileClass, number>> {
  return {
    'not-published-to-webshop': n(residue.notPublishedToWebshop),
    'only-in-webshop': n(residue.onlyInWebshop),
    'webshop-behind': n(residue.webshopBehind),
    'webshop-differs-from-cms': n(residue.webshopDiffers),
  }
}
