import {Flags} from '@oclif/core'

import {actionConnectionFlags, ActionCommand, actionFlags, type ActionsOutput} from '../../cli/action-command.js'

export default class RefreshApp extends ActionCommand<typeof RefreshApp> {
  static override summary = 'Make every device of an app user run a full refresh at its next start (admin).'

  static override description =
    `Sends POST /users/{userId}/full-refresh to the app backend and waits until the request is done (the devices have started and refreshed). Confirmation as for sync customer. Exit codes: 0 done, 2 usage, 4 unreachable, 5 not allowed for your role, 6 not done in time, 130 interrupted.`

  static override examples = ['<%= config.bin %> <%= command.id %> --user u-17 --sandbox --yes']

  static override flags = {
    ...actionConnectionFlags,
    ...actionFlags,
    user: Flags.string({char: 'u', description: 'The app user (userId) whose devices refresh.', required: true}),
  }

  public async run(): Promise<ActionsOutput> {
    const {flags} = await this.parse(RefreshApp)
    const {validateKey} = await import('../../model/keys.js')
    return this.performTargets([{kind: 'app-refresh', userId: validateKey('user id', flags.user).key}], flags)
  }
}
