import {reconcileCommand} from '../../cli/reconcile-command.js'

export default class ReconcilePrices extends reconcileCommand('prices') {}
