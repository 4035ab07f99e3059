import type {Action, CauseCode} from '../report/types.js'
import type {ActionContext} from './action-templates.js'
import {causeTable} from './causes.js'

export type {ActionContext} from './action-templates.js'

/** The action for a cause in one trace or reconcile class: the cause table's row, filled in with the record. */
export function actionFor(cause: CauseCode, context: ActionContext): Action {
  const template = causeTable[cause]
  return {
    automatable: template.automatable,
    command: template.command?.(context) ?? null,
    description: template.describe(context),
    kind: template.kind,
    owner: template.owner,
  }
}
