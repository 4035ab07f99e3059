import {Args, Flags} from '@oclif/core'

import {SynctraceCommand} from '../../cli/base-command.js'

export default class ProfileRemove extends SynctraceCommand<typeof ProfileRemove> {
  static override summary = 'Remove a profile, the secrets stored for it and the access tokens kept for it.'

  static override args = {name: Args.string({description: 'Profile name.', required: true})}

  static override flags = {
    config: Flags.string({
      description: 'Config file (default: $SYNCTRACE_CONFIG, else ~/.config/synctrace/config.json).',
    }),
  }

  public async run(): Promise<{removed: string; defaultProfile: string | null}> {
    const {args, flags} = await this.parse(ProfileRemove)
    const {configPathFor} = await import('../../config/config-file.js')
    const {openConfigFiles, removeProfile, saveConfigFiles} = await import('../../config/profile-edit.js')
    const files = await openConfigFiles(configPathFor({configPath: flags.config}), false)
    removeProfile(files, args.name)
    await saveConfigFiles(files)
    const {dropProfileTokens} = await import('../../config/token-cache.js')
    await dropProfileTokens(files.secretsPath, args.name)
    if (!this.jsonEnabled())
      this.log(
        `Profile "${args.name}" removed${files.config.defaultProfile ? `; the default is now "${files.config.defaultProfile}"` : ''}.`,
      )
    return {defaultProfile: files.config.defaultProfile ?? null, removed: args.name}
  }
}
