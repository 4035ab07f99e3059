import {Flags} from '@oclif/core'

import {SynctraceCommand} from '../../cli/base-command.js'

interface ProfileSummary {
  name: string
  default: boolean
  installation: string | null
  cmsUrl: string | null
  erp: string | null
}

export default class ProfileList extends SynctraceCommand<typeof ProfileList> {
  static override summary = 'List the profiles of the config file.'

  static override flags = {
    config: Flags.string({
      description: 'Config file (default: $SYNCTRACE_CONFIG, else ~/.config/synctrace/config.json).',
    }),
  }

  public async run(): Promise<{configPath: string; profiles: ProfileSummary[]}> {
    const {flags} = await this.parse(ProfileList)
    const {configPathFor} = await import('../../config/config-file.js')
    const {openConfigFiles} = await import('../../config/profile-edit.js')
    const {displayUrl, registerUrlSecrets} = await import('../../http/redact.js')
    const files = await openConfigFiles(configPathFor({configPath: flags.config}), true)
    // A password in a URL's user info is a secret: never listed, nowhere in the output.
    for (const raw of Object.values(files.config.profiles))
      for (const section of Object.values(raw as Record<string, unknown>))
        if (section && typeof section === 'object')
          for (const value of Object.values(section)) if (typeof value === 'string') registerUrlSecrets(value)
    const profiles = Object.entries(files.config.profiles).map(([name, raw]) => {
      const section = raw as unknown as Record<string, {url?: string; system?: string} | string | undefined>
      const cms = section.cms as {url?: string} | undefined
      const erp = section.erp as {system?: string} | undefined
      return {
        cmsUrl: typeof cms?.url === 'string' ? displayUrl(cms.url) : null,
        default: files.config.defaultProfile === name,
        erp: erp?.system ?? null,
        installation: typeof section.installation === 'string' ? section.installation : null,
        name,
      }
    })
    if (!this.jsonEnabled()) {
      const {sanitizeForTerminal} = await import('../../util/sanitize.js')
      if (profiles.length === 0)
        this.log(`No profiles in ${files.configPath}. Add one with: synctrace profile add <name>`)
      for (const profile of profiles)
        this.log(
          sanitizeForTerminal(
            `${profile.default ? '*' : ' '} ${profile.name.padEnd(20)} ${profile.cmsUrl ?? ''}${profile.erp ? ` · ERP ${profile.erp}` : ''}${profile.installation ? ` · ${profile.installation}` : ''}`,
          ),
        )
    }
    return {configPath: files.configPath, profiles}
  }
}
