/**
 * The OData literals live in `src/connectors/odata.ts`, shared with Visma eAccounting; this re-export keeps
 * `listing.ts`'s import as it is until that file imports `../odata.js` itself.
 */
export {odataEquals, odataQuery} from '../odata.js'
