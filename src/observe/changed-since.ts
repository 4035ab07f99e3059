import type {EntityResource, ErpItemRecord} from '../connectors/erp.js'

/**
 * An ERP whose records carry no change time (Fortnox) is asked whether the record changed since the CMS
 * last read it: `since` says when that was (it may wait for the CMS's answers). The answer goes on the
 * record as `changedSince`, which the diagnosis weighs as it would a change time.
 */
export async function askChangedSince<
  R extends {modifiedAt: Date | null; changedSince?: {since: Date; changed: boolean}},
>(
  resource: EntityResource<R>,
  code: string,
  record: R | null,
  since: () => Promise<Date | null | undefined>,
): Promise<R | null> {
  if (!record || record.modifiedAt || !resource.changedSince) return record
  const from = await since()
  if (from) record.changedSince = {changed: await resource.changedSince(code, from), since: from}
  return record
}

/**
 * Stock moves without a change time in most ERPs: an ERP that can be asked (Fortnox's `lastmodified`) is
 * asked again since the last stock run's start (`since`), never since the CMS's last write of the item;
 * the answer to the first question is reused when both start at the same time.
 */
export async function askStockChangedSince(
  items: EntityResource<ErpItemRecord>,
  code: string,
  record: ErpItemRecord | null,
  since: () => Promise<Date | null | undefined>,
): Promise<ErpItemRecord | null> {
  if (!record || record.stockModifiedAt || !items.changedSince) return record
  const from = await since()
  if (!from) return record
  const asked = record.changedSince
  record.stockChangedSince =
    asked && asked.since.getTime() === from.getTime()
      ? asked
      : {changed: await items.changedSince(code, from), since: from}
  return record
}
