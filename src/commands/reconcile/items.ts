import {reconcileCommand} from '../../cli/reconcile-command.js'

export default class ReconcileItems extends reconcileCommand('items') {}
