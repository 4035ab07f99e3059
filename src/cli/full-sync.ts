import {Flags} from '@oclif/core'

import type {SyncEntity} from '../connectors/platform/types.js'
import {UserError} from '../util/errors.js'
import {actionConnectionFlags, actionFlags} from './action-command.js'

export const fullSyncFlags = {
  ...actionConnectionFlags,
  ...actionFlags,
  full: Flags.boolean({default: false, description: 'Sync every record of the entity (required: a full sync is never started by accident).'}),
}

export function fullSyncDescription(entity: SyncEntity): string {
  return `Starts a full CMS sync of ${entity} (POST /sync/jobs, mode full) and waits for it. A full sync reads every record of the ERP: use a targeted sync when only some records are wrong. --full is required. Exit codes as for sync customer.`
}

export function requireFull(full: boolean, entity: SyncEntity, singular: string): void {
  if (!full)
    throw new UserError(`synctrace sync ${entity} syncs every ${singular} and needs --full.`, `Run synctrace sync ${entity} --full, or synctrace sync ${singular} <code> for some ${entity}.`)
}
