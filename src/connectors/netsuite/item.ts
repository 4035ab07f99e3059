import {RequestProblem} from '../../http/problem.js'
import type {EntityResource, ErpItemRecord} from '../erp.js'
import {parseAnswer} from '../schema.js'
import {suiteqlString} from './auth.js'
import {type NetSuiteClient, system} from './client.js'
import {suiteqlRefused} from './errors.js'
import {internalId, itemRecordTypes, toItemRecord} from './records.js'
import * as schemas from './schemas.js'

export async function itemRows(
  client: NetSuiteClient,
  where: string,
): Promise<Array<{id: string; itemid: string; itemtype: string | null}>> {
  const rows = await client.suiteql(`SELECT item.id, item.itemid, item.itemtype FROM item WHERE ${where}`)
  return rows.map((row) => parseAnswer(schemas.itemRow, row, system, 'the item query'))
}

async function itemByRow(
  client: NetSuiteClient,
  row: {id: string; itemid: string; itemtype: string | null},
): Promise<ErpItemRecord | null> {
  const id = internalId(row.id, 'the item query')
  const types = itemRecordTypes[row.itemtype ?? '']
  if (!types)
    throw new RequestProblem({
      kind: 'http-error',
      message: `${system}: item ${row.itemid} is of type ${row.itemtype ?? 'unknown'}, which the platform does not sell`,
    })
  for (const type of types) {
    const response = await client.send('GET', client.recordUrl(`/${type}/${id}`, {expandSubResources: 'true'}), {
      notFound: true,
    })
    if (!response) continue
    const parsed = parseAnswer(schemas.item(client.settings.basePriceLevel), response.body, system, `the ${type}`)
    return toItemRecord(parsed, client.settings.basePriceLevel)
  }
  return null
}

/**
 * Without SuiteQL (a role without the SuiteAnalytics Workbook permission is refused it), each record type
 * the platform sells is asked with `q=itemId IS "…"`; a type the account does not have answers 404.
 */
export async function itemByRecordQuery(client: NetSuiteClient, code: string): Promise<ErpItemRecord | null> {
  for (const [itemtype, types] of Object.entries(itemRecordTypes))
    for (const type of types) {
      const ids = await client.idsWhere(type, 'itemId', code).catch((error: unknown) => {
        if (error instanceof RequestProblem && error.problem.httpStatus === 404) return []
        throw error
      })
      for (const id of ids) {
        const record = await itemByRow(client, {id, itemid: code, itemtype})
        if (record?.item.code === code) return record
      }
    }
  return null
}

/** NetSuite items: one SuiteQL query for the record type, then the record with its pricing and locations. */
export function netSuiteItems(client: NetSuiteClient): Required<Pick<EntityResource<ErpItemRecord>, 'find' | 'list'>> {
  return {
    async find(code) {
      const rows = await itemRows(client, `item.itemid = ${suiteqlString(code)}`).catch(suiteqlRefused)
      if (rows === null) return itemByRecordQuery(client, code)
      const row = rows.find((entry) => entry.itemid === code)
      return row ? itemByRow(client, row) : null
    },

    /** Every item: one SuiteQL query for ids and types (paged), then each record. */
    list() {
      return {
        ordered: false,
        records: (async function* () {
          const url = client.suiteqlUrl()
          for await (const rows of client.pages(url, {
            q: 'SELECT item.id, item.itemid, item.itemtype FROM item ORDER BY item.itemid',
          })) {
            // Items the platform does not sell (discounts, subtotals, descriptions) are not listed.
            const sold = rows
              .map((row) => parseAnswer(schemas.itemRow, row, system, 'the item query'))
              .filter((row) => itemRecordTypes[row.itemtype ?? ''])
            for (const record of await Promise.all(sold.map((row) => itemByRow(client, row)))) if (record) yield record
          }
        })(),
      }
    },
  }
}
