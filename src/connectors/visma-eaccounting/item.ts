import type {EntityResource, ErpItemRecord} from '../erp.js'
import {odataEquals} from '../odata.js'
import {parseAnswer} from '../schema.js'
import {system, type VismaEAccountingClient} from './client.js'
import * as schemas from './schemas.js'

/** An article by its number (`articles?$filter=Number eq '…'`), as the API gives it. */
export async function articleEntry(client: VismaEAccountingClient, code: string): Promise<schemas.VismaArticle | null> {
  const entries = await client.filtered('articles', odataEquals('Number', code))
  const parsed = entries.map((entry) => parseAnswer(schemas.article, entry, system, 'the article'))
  return parsed.find((entry) => entry.Number === code) ?? null
}

/** eAccounting articles: by number through `$filter`, and the list in full. */
export function eAccountingItems(
  client: VismaEAccountingClient,
): EntityResource<ErpItemRecord> & Required<Pick<EntityResource<ErpItemRecord>, 'list'>> {
  return {
    async find(code) {
      const entry = await articleEntry(client, code)
      return entry ? itemRecord(entry) : null
    },

    list() {
      const entries = client.all('articles')
      return {
        ordered: false,
        records: (async function* () {
          for await (const entry of entries)
            yield itemRecord(parseAnswer(schemas.article, entry, system, 'an article of the list'))
        })(),
      }
    },
  }
}

function itemRecord(entry: schemas.VismaArticle): ErpItemRecord {
  return {
    erpId: entry.Id,
    item: schemas.toCanonicalItem(entry),
    modifiedAt: schemas.articleModifiedAt(entry),
    notSupplied: [
      {field: 'currency', reason: 'an eAccounting article has no currency (prices are in the company currency)'},
    ],
  }
}
