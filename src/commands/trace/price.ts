import {traceCommandFor} from '../../cli/trace-command.js'
import price from '../../entities/price/index.js'

export default traceCommandFor(price)
