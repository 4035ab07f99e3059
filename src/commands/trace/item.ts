import {traceCommandFor} from '../../cli/trace-command.js'
import item from '../../entities/item/index.js'

export default traceCommandFor(item)
