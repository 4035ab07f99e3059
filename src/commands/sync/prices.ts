import {pricesSyncCommand} from '../../cli/sync-commands.js'

export default pricesSyncCommand()
