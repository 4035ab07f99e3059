import {traceCommandFor} from '../../cli/trace-command.js'
import order from '../../entities/order/index.js'

export default traceCommandFor(order)
