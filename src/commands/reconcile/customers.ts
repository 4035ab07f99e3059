import {reconcileCommand} from '../../cli/reconcile-command.js'

export default class ReconcileCustomers extends reconcileCommand('customers') {}
