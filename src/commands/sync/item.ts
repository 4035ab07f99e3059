import {targetedSyncCommand} from '../../cli/sync-commands.js'

export default targetedSyncCommand('items', 'item', ['P-200', 'P-100'])
