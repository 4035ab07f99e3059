import {fullSyncCommand} from '../../cli/sync-commands.js'

export default fullSyncCommand('stock', 'item')
