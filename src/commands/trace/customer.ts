import {traceCommandFor} from '../../cli/trace-command.js'
import customer from '../../entities/customer/index.js'

export default traceCommandFor(customer)
