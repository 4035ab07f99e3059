import {Args, Flags} from '@oclif/core'

import {SynctraceCommand} from '../../cli/base-command.js'

export default class ProfileUse extends SynctraceCommand<typeof ProfileUse> {
  static override summary = 'Make a profile the default.'

  static override args = {name: Args.string({description: 'Profile name.', required: true})}

  static override flags = {
    config: Flags.string({
      description: 'Config file (default: $SYNCTRACE_CONFIG, else ~/.config/synctrace/config.json).',
    }),
  }

  public async run(): Promise<{defaultProfile: string}> {
    const {args, flags} = await this.parse(ProfileUse)
    const {configPathFor} = await import('../../config/config-file.js')
    const {openConfigFiles, saveConfigFiles} = await import('../../config/profile-edit.js')
    const {UserError} = await import('../../util/errors.js')
    const {suggestName} = await import('../../util/closest.js')
    const files = await openConfigFiles(configPathFor({configPath: flags.config}), false)
    const {hasOwnProfile} = await import('../../config/files.js')
    if (!hasOwnProfile(files.config.profiles, args.name))
      throw new UserError(
        `No profile named "${args.name}" in ${files.configPath}.`,
        suggestName(args.name, Object.keys(files.config.profiles), {
          listCommand: 'synctrace profile list',
          what: 'profile',
        }),
      )
    files.config.defaultProfile = args.name
    await saveConfigFiles(files)
    if (!this.jsonEnabled()) this.log(`"${args.name}" is now the default profile.`)
    return {defaultProfile: args.name}
  }
}
