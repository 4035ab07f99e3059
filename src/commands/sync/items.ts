import {fullSyncCommand} from '../../cli/sync-commands.js'

export default fullSyncCommand('items', 'item')
