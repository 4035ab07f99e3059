import {type InstallationState, publishItem} from './library.js'
import {type History, stockMovesChangeTime} from './types.js'
import {type Clock, type ErpItem, playSync, putErpItem, writeExport} from './play-steps.js'

export function playItem(state: InstallationState, history: History & {entity: 'item'}, clock: Clock): void {
  let item: ErpItem | null = null
  let revision = 0
  for (const event of history.events) {
    const at = clock.iso(event.ago)
    revision++
    switch (event.kind) {
      case 'erp-create':
        item = {
          active: event.active,
          code: history.key,
          description: `Artikel rev ${revision}`,
          modifiedAt: at,
          price: 100 + revision * 10,
          stock: 40 + revision,
          webshop: event.webshop,
        }
        putErpItem(state, item)
        break
      case 'erp-edit':
        if (!item) break
        if (event.field === 'price') item.price = 100 + revision * 10
        else if (event.field === 'description') item.description = `Artikel rev ${revision}`
        else item.stock = 40 + revision
        // A stock movement leaves the record's change time alone where the ERP keeps none for stock (stock-order.ts).
        if (event.field !== 'stock' || stockMovesChangeTime(history.knobs.erp)) item.modifiedAt = at
        putErpItem(state, item)
        break
      case 'export':
        writeExport(state, history, at, null, item ? {...item} : null, false)
        break
      case 'sync':
        playSync(state, clock, event, history.key, event.stock ? 'stock' : 'items')
        break
      case 'republish':
        publishItem(state, history.key, at, {app: false, webshop: true})
        break
    }
  }
}
