import {Args, Flags} from '@oclif/core'

import {SynctraceCommand} from '../../cli/base-command.js'

export default class ProfileShow extends SynctraceCommand<typeof ProfileShow> {
  static override summary = 'Show a profile, with every secret masked (only how it is kept is shown).'

  static override args = {
    name: Args.string({description: 'Profile name (default: the default profile).', required: false}),
  }

  static override flags = {
    config: Flags.string({
      description: 'Config file (default: $SYNCTRACE_CONFIG, else ~/.config/synctrace/config.json).',
    }),
  }

  public async run(): Promise<{name: string; default: boolean; profile: unknown}> {
    const {args, flags} = await this.parse(ProfileShow)
    const {configPathFor} = await import('../../config/config-file.js')
    const {openConfigFiles} = await import('../../config/profile-edit.js')
    const {maskProfile} = await import('../../config/store.js')
    const {UserError} = await import('../../util/errors.js')
    const {suggestName} = await import('../../util/closest.js')
    const files = await openConfigFiles(configPathFor({configPath: flags.config}), false)
    const name = args.name ?? files.config.defaultProfile
    const {hasOwnProfile} = await import('../../config/files.js')
    const raw = name && hasOwnProfile(files.config.profiles, name) ? files.config.profiles[name] : undefined
    if (!name || !raw)
      throw new UserError(
        `No profile named "${name ?? ''}" in ${files.configPath}.`,
        suggestName(name ?? '', Object.keys(files.config.profiles), {
          listCommand: 'synctrace profile list',
          what: 'profile',
        }),
      )
    const profile = maskProfile(raw, process.env, files.secrets)
    if (!this.jsonEnabled()) {
      const {sanitizeForTerminal} = await import('../../util/sanitize.js')
      this.log(`Profile ${name}${files.config.defaultProfile === name ? ' (default)' : ''} in ${files.configPath}`)
      this.log(JSON.stringify(profile, null, 2).split('\n').map(sanitizeForTerminal).join('\n'))
    }
    return {default: files.config.defaultProfile === name, name, profile}
  }
}
