import {Args, Flags} from '@oclif/core'

import {SynctraceCommand} from '../../cli/base-command.js'

const serviceNames = ['cms', 'app', 'webshop'] as const

export default class ProfileAdd extends SynctraceCommand<typeof ProfileAdd> {
  static override summary = 'Add (or with --force replace) a profile: how to reach one installation.'

  static override description = `Every value has a flag; on a terminal, missing ones are asked for. Secrets (tokens, the client secret) are given as env:NAME references, which are read from the environment at run time, or as values with --store-secrets, which keeps them in secrets.json beside the config file (mode 0600). Nothing is written until the whole profile checks out.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> acme --cms-url https://cms.platform.example/acme --cms-token env:ACME_TOKEN --app-url https://app-api.platform.example/acme --app-token env:ACME_TOKEN --webshop-url https://shop.acme.example --webshop-token env:ACME_SHOP_TOKEN',
    '<%= config.bin %> <%= command.id %> acme ... --erp businesscentral --tenant acme.onmicrosoft.com --company-id 6f0a... --client-id 7c1f... --client-secret env:ACME_BC_SECRET',
    '<%= config.bin %> <%= command.id %> --from-sandbox acme',
  ]

  static override args = {name: Args.string({description: 'Profile name (default with --from-sandbox: sandbox-<installation>).', required: false})}

  static override flags = {
    'app-token': Flags.string({description: 'App backend token: env:NAME, or a value with --store-secrets.'}),
    'app-url': Flags.string({description: 'App backend base URL (without /app/v1).'}),
    'client-id': Flags.string({description: 'Business Central: OAuth2 client id.'}),
    'client-secret': Flags.string({description: 'Business Central: OAuth2 client secret (env:NAME, or a value with --store-secrets).'}),
    'cms-token': Flags.string({description: 'CMS token: env:NAME, or a value with --store-secrets.'}),
    'cms-url': Flags.string({description: 'CMS base URL (without /api/v1).'}),
    'company-id': Flags.string({description: 'Business Central: company id (GUID).'}),
    config: Flags.string({description: 'Config file to write (default: $SYNCTRACE_CONFIG, else ~/.config/synctrace/config.json).'}),
    default: Flags.boolean({default: false, description: 'Make it the default profile.'}),
    environment: Flags.string({default: 'Production', description: 'Business Central: environment name.'}),
    erp: Flags.option({default: 'none', description: 'ERP API access for the trace: none (start at the CMS) or businesscentral.', options: ['none', 'businesscentral'] as const})(),
    'erp-token': Flags.string({description: 'Business Central: a ready bearer token instead of client credentials.'}),
    'erp-url': Flags.string({default: 'https://api.businesscentral.dynamics.com', description: 'Business Central API base URL.'}),
    force: Flags.boolean({default: false, description: 'Replace a profile of the same name.'}),
    'from-sandbox': Flags.string({description: 'Copy the profile of this installation from a running `synctrace sandbox`.'}),
    installation: Flags.string({description: 'The installation id the CMS should report (a label when it is unreachable).'}),
    'no-input': Flags.boolean({default: false, description: 'Never prompt; missing values are an error.'}),
    'store-secrets': Flags.boolean({default: false, description: 'Keep secret values given on the command line in secrets.json (mode 0600).'}),
    tenant: Flags.string({description: 'Business Central: tenant (Entra ID domain or GUID).'}),
    timeout: Flags.integer({description: 'Seconds one request may take, retries included.', max: 600, min: 1}),
    'token-url': Flags.string({description: 'Business Central: token endpoint (default: Microsoft Entra ID for the tenant).'}),
    'webshop-token': Flags.string({description: 'Webshop token: env:NAME, or a value with --store-secrets.'}),
    'webshop-url': Flags.string({description: 'Webshop base URL (without /webshop/v1).'}),
  }

  public async run(): Promise<{profile: string; configPath: string; secretsPath: string; default: boolean}> {
    const {args, flags} = await this.parse(ProfileAdd)
    const {configPathFor} = await import('../../config/profile.js')
    const {checkProfileName, keepSecret, openConfigFiles, putProfile, sandboxProfile, saveConfigFiles} = await import('../../config/profile-edit.js')
    const {canPrompt} = await import('../../cli/interactive.js')
    const {UserError} = await import('../../util/errors.js')
    const name = checkProfileName(args.name ?? (flags['from-sandbox'] ? `sandbox-${flags['from-sandbox']}` : ''))
    const files = await openConfigFiles(configPathFor({configPath: flags.config}), true)
    if (files.config.profiles[name] && !flags.force)
      throw new UserError(`A profile named "${name}" exists in ${files.configPath}.`, 'Choose another name, or pass --force to replace it.')

    let raw: Record<string, unknown>
    if (flags['from-sandbox']) {
      raw = await sandboxProfile(flags['from-sandbox'])
      // The sandbox's tokens are throwaway values: keep them in the secrets file, not in the config.
      for (const service of serviceNames) {
        const section = raw[service] as Record<string, string>
        section.token = keepSecret(files, name, `${service}.token`, section.token as string, true, `--${service}-token`)
      }
      const erp = raw.erp as Record<string, string> | undefined
      if (erp?.clientSecret) erp.clientSecret = keepSecret(files, name, 'erp.clientSecret', erp.clientSecret, true, '--client-secret')
    } else {
      const interactive = canPrompt(flags)
      const ask = async (flag: string, value: string | undefined, message: string, secret = false): Promise<string> => {
        if (value !== undefined && value !== '') return value
        if (!interactive) throw new UserError(`--${flag} is required when not running interactively.`, `Pass --${flag} (see synctrace profile add --help).`)
        const prompts = await import('@inquirer/prompts')
        return secret
          ? prompts.password({mask: '*', message: `${message} (env:NAME, or the value to store in the secrets file)`})
          : prompts.input({message, required: true})
      }
      raw = {}
      for (const service of serviceNames) {
        const url = await ask(`${service}-url`, flags[`${service}-url`], `${service.toUpperCase()} base URL`)
        const token = await ask(`${service}-token`, flags[`${service}-token`], `${service.toUpperCase()} token`, true)
        const storing = flags['store-secrets'] || (interactive && flags[`${service}-token`] === undefined)
        raw[service] = {token: keepSecret(files, name, `${service}.token`, token, storing, `--${service}-token`), url}
      }
      if (flags.erp === 'businesscentral') {
        const erp: Record<string, string> = {
          companyId: await ask('company-id', flags['company-id'], 'Business Central company id'),
          environment: flags.environment,
          system: 'businesscentral',
          tenant: await ask('tenant', flags.tenant, 'Business Central tenant'),
          url: flags['erp-url'],
        }
        if (flags['token-url']) erp.tokenUrl = flags['token-url']
        if (flags['erp-token']) erp.token = keepSecret(files, name, 'erp.token', flags['erp-token'], flags['store-secrets'], '--erp-token')
        else {
          erp.clientId = await ask('client-id', flags['client-id'], 'Business Central client id')
          const secret = await ask('client-secret', flags['client-secret'], 'Business Central client secret', true)
          erp.clientSecret = keepSecret(files, name, 'erp.clientSecret', secret, flags['store-secrets'] || (interactive && flags['client-secret'] === undefined), '--client-secret')
        }
        raw.erp = erp
      }
      if (flags.installation) raw.installation = flags.installation
      if (flags.timeout) raw.timeoutMs = flags.timeout * 1000
    }
    putProfile(files, name, raw, process.env, flags.default)
    await saveConfigFiles(files)
    const storedAny = Object.keys(files.secrets).some((key) => key.startsWith(`${name}.`))
    if (storedAny) this.warn(`Secret values of "${name}" are stored in ${files.secretsPath} (mode 0600). Anyone who can read that file can use them.`)
    if (!this.jsonEnabled()) this.log(`Profile "${name}" saved in ${files.configPath}${files.config.defaultProfile === name ? ' (the default)' : ''}.`)
    return {configPath: files.configPath, default: files.config.defaultProfile === name, profile: name, secretsPath: files.secretsPath}
  }
}
