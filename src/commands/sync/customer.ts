import {targetedSyncCommand} from '../../cli/sync-commands.js'

export default targetedSyncCommand('customers', 'customer', ['10042', '10050'])
