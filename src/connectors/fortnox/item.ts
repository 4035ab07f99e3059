import {parseAnswer} from '../schema.js'
import type {EntityResource, ErpItemRecord} from '../erp.js'
import {type FortnoxClient, system} from './client.js'
import * as schemas from './schemas.js'

const articleCurrency = {
  field: 'currency',
  reason: 'a Fortnox article has no currency (prices are in the company currency)',
}

/** Fortnox articles: from their list by `articlenumber`, the list in full, `lastmodified`. */
export function fortnoxItems(client: FortnoxClient): Required<EntityResource<ErpItemRecord>> {
  return {
    changedSince: (code, since) => client.changedSince('item', code, since),

    /**
     * An article from its list, by `articlenumber`, the active list first: Fortnox's document types the path
     * parameter of `/3/articles/{ArticleNumber}` as an integer, but article numbers are text, and the list
     * takes any. Its entries carry no `Active` field: the list (`filter=active|inactive`) it is found in says.
     */
    async find(code) {
      for (const filter of ['active', 'inactive'] as const) {
        const raw = await client.listedEntry('item', code, {filter})
        if (!raw) continue
        const item = {
          ...parseAnswer(schemas.articleAnswer, {Article: raw}, system, 'the article'),
          active: filter === 'active',
        }
        return {erpId: null, item, modifiedAt: null, notSupplied: [articleCurrency]}
      }
      return null
    },

    /** `/3/articles` in full, active and inactive: which list an article came from is its active flag (the entries have none). */
    list: () =>
      client.listing({
        envelope: 'Articles',
        keyField: 'ArticleNumber',
        map: (raw, active) => ({
          erpId: null,
          item: {...parseAnswer(schemas.articleAnswer, {Article: raw}, system, 'a listed article'), active},
          modifiedAt: null,
          notSupplied: [articleCurrency],
        }),
        resource: 'articles',
      }),
  }
}
