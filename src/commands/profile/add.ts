import {Args, Flags, type Interfaces} from '@oclif/core'

import {SynctraceCommand} from '../../cli/base-command.js'
import {erpSettingFlags, erpSystem, erpSystems} from '../../connectors/registry.js'
import {ftpLayoutIds} from '../../connectors/ftp/layouts/types.js'

const serviceNames = ['cms', 'app', 'webshop'] as const

/** One flag per ERP setting (`--erp-url`, `--tenant`, ...), described for every ERP that uses it. */
function erpFlags(): Record<string, Interfaces.OptionFlag<string | undefined>> {
  return Object.fromEntries(erpSettingFlags().map(({description, flag}) => [flag, Flags.string({description})]))
}

export default class ProfileAdd extends SynctraceCommand<typeof ProfileAdd> {
  static override summary = 'Add (or with --force replace) a profile: how to reach one installation.'

  static override description =
    `Every value has a flag; on a terminal, missing ones are asked for. Secrets (tokens, the client secret) are given as env:NAME references, which are read from the environment at run time, or as values with --store-secrets, which keeps them in secrets.json beside the config file (mode 0600). Nothing is written until the whole profile checks out.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> acme --cms-url https://cms.platform.example/acme --cms-token env:ACME_TOKEN --app-url https://app-api.platform.example/acme --app-token env:ACME_TOKEN --webshop-url https://shop.acme.example --webshop-token env:ACME_SHOP_TOKEN',
    '<%= config.bin %> <%= command.id %> acme ... --erp businesscentral --tenant acme.onmicrosoft.com --company-id 6f0a... --client-id 7c1f... --client-secret env:ACME_BC_SECRET',
    '<%= config.bin %> <%= command.id %> --from-sandbox acme',
  ]

  static override args = {name: Args.string({description: 'Profile name (default with --from-sandbox: sandbox-<installation>).', required: false})}

  static override flags = {
    ...erpFlags(),
    erp: Flags.option({
      default: 'none',
      description: `ERP API access for the trace: none (start at the CMS, or at the files), or one of ${erpSystems.map((system) => `${system.id} (${system.displayName})`).join(', ')}.`,
      options: ['none', ...erpSystems.map((system) => system.id)],
    })(),
    'app-token': Flags.string({description: 'App backend token: env:NAME, or a value with --store-secrets.'}),
    'app-url': Flags.string({description: 'App backend base URL (without /app/v1).'}),
    'cms-token': Flags.string({description: 'CMS token: env:NAME, or a value with --store-secrets.'}),
    'cms-url': Flags.string({description: 'CMS base URL (without /api/v1).'}),
    config: Flags.string({description: 'Config file to write (default: $SYNCTRACE_CONFIG, else ~/.config/synctrace/config.json).'}),
    default: Flags.boolean({default: false, description: 'Make it the default profile.'}),
    'ca-cert': Flags.string({description: 'FTPS: a PEM file with the certificate (or its CA) the server must present.'}),
    connection: Flags.option({
      default: 'direct',
      description: 'How the installation reaches its ERP: direct (API) or ftp (export files on a file server: FTP, FTPS or SFTP).',
      options: ['direct', 'ftp'] as const,
    })(),
    'ftp-password': Flags.string({description: 'File server password (env:NAME, or a value with --store-secrets).'}),
    'ftp-url': Flags.string({description: 'File server URL: ftp://, ftps:// or sftp://host[:port]/folder (default: what the CMS reports).'}),
    'ftp-user': Flags.string({description: 'File server user.'}),
    'ftp-layout': Flags.option({
      description: "The ERP's file layout on the file server (default: the one of the ERP the CMS reports: winbas, monitor, else generic).",
      options: ftpLayoutIds,
    })(),
    'ftp-customer-file': Flags.string({
      description: "The customer export's file name in the base folder (default: the layout's: customers.csv and customers.xml, Winbas _customers.xml, Monitor customers.xml).",
    }),
    'ftp-item-file': Flags.string({
      description: "The item export's file name in the base folder (default: the layout's: items.csv and items.xml, Winbas _items.xml, Monitor items.xml).",
    }),
    'host-key-sha256': Flags.string({description: 'SFTP: the SHA-256 fingerprint of the host key (base64, as ssh-keygen -l shows it).'}),
    force: Flags.boolean({default: false, description: 'Replace a profile of the same name.'}),
    'from-sandbox': Flags.string({description: 'Copy the profile of this installation from a running `synctrace sandbox`.'}),
    installation: Flags.string({description: 'The installation id the CMS should report (a label when it is unreachable).'}),
    'no-input': Flags.boolean({default: false, description: 'Never prompt; missing values are an error.'}),
    'store-secrets': Flags.boolean({default: false, description: 'Keep secret values given on the command line in secrets.json (mode 0600).'}),
    timeout: Flags.integer({description: 'Seconds one request may take, retries included.', max: 600, min: 1}),
    'webshop-token': Flags.string({description: 'Webshop token: env:NAME, or a value with --store-secrets.'}),
    'webshop-url': Flags.string({description: 'Webshop base URL (without /webshop/v1).'}),
  }

  public async run(): Promise<{profile: string; configPath: string; secretsPath: string; default: boolean}> {
    const {args, flags} = await this.parse(ProfileAdd)
    const {configPathFor} = await import('../../config/profile.js')
    const {checkProfileName, keepSecret, keepSecretsOf, openConfigFiles, putProfile, sandboxProfile, saveConfigFiles, unsetEnvReferences} = await import(
      '../../config/profile-edit.js'
    )
    const {canPrompt} = await import('../../cli/interactive.js')
    const {UserError} = await import('../../util/errors.js')
    const name = checkProfileName(args.name ?? (flags['from-sandbox'] ? `sandbox-${flags['from-sandbox']}` : ''))
    const files = await openConfigFiles(configPathFor({configPath: flags.config}), true)
    if (files.config.profiles[name] && !flags.force)
      throw new UserError(`A profile named "${name}" exists in ${files.configPath}.`, 'Choose another name, or pass --force to replace it.')

    const {checkAnswer} = await import('../../config/profile-edit.js')
    // Flags are checked before anything is asked, so nothing typed is lost on a mistake in a flag.
    const flagKinds: Array<[string, Parameters<typeof checkAnswer>[0]]> = [
      ['cms-url', 'url'],
      ['app-url', 'url'],
      ['webshop-url', 'url'],
      ['ftp-url', 'ftp-url'],
      ['cms-token', 'secret'],
      ['app-token', 'secret'],
      ['webshop-token', 'secret'],
      ['ftp-password', 'secret'],
      ['ftp-user', 'text'],
      ['host-key-sha256', 'host-key'],
      ['ca-cert', 'pem-file'],
      ...erpSettingFlags().map(({flag, kind}): [string, Parameters<typeof checkAnswer>[0]] => [flag, kind]),
    ]
    for (const [flag, kind] of flagKinds) {
      const value = (flags as Record<string, unknown>)[flag]
      if (typeof value !== 'string') continue
      const problem = checkAnswer(kind, value)
      if (problem !== true) throw new UserError(`--${flag}: ${problem}`, `Fix --${flag} (see synctrace profile add --help).`)
    }

    let raw: Record<string, unknown>
    if (flags['from-sandbox']) {
      raw = await sandboxProfile(flags['from-sandbox'])
      // The sandbox's tokens and passwords are throwaway values, yet secrets: into the secrets file, never the config.
      keepSecretsOf(raw, (path, value) => keepSecret(files, name, path, value, true, `--from-sandbox (${path})`))
    } else {
      const interactive = canPrompt(flags)
      const ask = async (flag: string, value: string | undefined, message: string, kind: Parameters<typeof checkAnswer>[0] = 'text', optional = false): Promise<string> => {
        if (value !== undefined && value !== '') return value
        if (optional && !interactive) return ''
        if (!interactive) throw new UserError(`--${flag} is required when not running interactively.`, `Pass --${flag} (see synctrace profile add --help).`)
        const prompts = await import('@inquirer/prompts')
        // Each answer is checked as it is given: a mistake is asked again, nothing typed before is lost.
        const validate = (answer: string) => (optional && answer === '' ? true : checkAnswer(kind, answer))
        if (kind === 'secret')
          // An env:NAME reference is shown as typed; a secret value is masked.
          return prompts.input({
            message: `${message} (env:NAME, or the value to store in the secrets file)`,
            required: true,
            transformer: (answer) => (answer.startsWith('env:') ? answer : '*'.repeat(answer.length)),
            validate,
          })
        return prompts.input({message: optional ? `${message} (optional)` : message, required: !optional, validate})
      }
      const storing = (flag: string) => flags['store-secrets'] || (interactive && (flags as Record<string, unknown>)[flag] === undefined)
      const secret = async (flag: string, field: string, message: string) =>
        keepSecret(files, name, field, await ask(flag, (flags as unknown as Record<string, string | undefined>)[flag], message, 'secret'), storing(flag), `--${flag}`)
      raw = {}
      for (const service of serviceNames) {
        const label = {app: 'App backend', cms: 'CMS', webshop: 'Webshop'}[service]
        const url = await ask(`${service}-url`, flags[`${service}-url`], `${label} base URL`, 'url')
        raw[service] = {token: await secret(`${service}-token`, `${service}.token`, `${label} token`), url}
      }
      const system = erpSystem(flags.erp)
      if (system) {
        // Every setting of the chosen ERP, from its descriptor: the flag, else the answer, else its default.
        const erp: Record<string, string> = {system: system.id}
        const known: Record<string, string | undefined> = {}
        for (const setting of system.settings) {
          const given = (flags as Record<string, unknown>)[setting.flag] as string | undefined
          let value = given
          if (value === undefined && setting.prompt && (!setting.askWhen || setting.askWhen(known)))
            value = await ask(setting.flag, undefined, setting.prompt, setting.kind, setting.optional)
          value = value === '' || value === undefined ? setting.default : value
          if (value === undefined) continue
          known[setting.field] = value
          erp[setting.field] = setting.kind === 'secret' ? keepSecret(files, name, `erp.${setting.field}`, value, storing(setting.flag), `--${setting.flag}`) : value
        }
        raw.erp = erp
      }
      if (flags.connection === 'ftp' || flags['ftp-user'] || flags['ftp-url'] || flags['ftp-layout']) {
        const ftp: Record<string, string> = {}
        const url = await ask('ftp-url', flags['ftp-url'], 'File server URL (ftp://, ftps:// or sftp://host/folder; empty: what the CMS reports)', 'ftp-url', true)
        if (url) ftp.url = url
        ftp.user = await ask('ftp-user', flags['ftp-user'], 'File server user')
        ftp.password = await secret('ftp-password', 'ftp.password', 'File server password')
        const protocol = url ? new URL(url).protocol : ''
        if (flags['ca-cert'] || (protocol === 'ftps:' && interactive)) {
          const pem = await ask('ca-cert', flags['ca-cert'], 'PEM file of the FTPS server certificate or its CA', 'pem-file', true)
          if (pem) ftp.caCert = (await import('node:fs')).readFileSync(pem, 'utf8')
        }
        if (flags['host-key-sha256'] || (protocol === 'sftp:' && interactive)) {
          const hostKey = await ask('host-key-sha256', flags['host-key-sha256'], 'SFTP host key SHA-256 fingerprint', 'host-key', true)
          if (hostKey) ftp.hostKeySha256 = hostKey.replace(/^SHA256:/, '')
        }
        const layoutSettings = {
          ...(flags['ftp-layout'] ? {layout: flags['ftp-layout']} : {}),
          ...(flags['ftp-customer-file'] ? {customerFiles: [flags['ftp-customer-file']]} : {}),
          ...(flags['ftp-item-file'] ? {itemFiles: [flags['ftp-item-file']]} : {}),
        }
        raw.ftp = {...ftp, ...layoutSettings}
      }
      if (flags.installation) raw.installation = flags.installation
      if (flags.timeout) raw.timeoutMs = flags.timeout * 1000
    }
    for (const unset of unsetEnvReferences(raw, process.env)) this.warn(`env:${unset} is not set in this shell; set it before using profile "${name}".`)
    putProfile(files, name, raw, process.env, flags.default)
    await saveConfigFiles(files)
    const storedAny = Object.keys(files.secrets).some((key) => key.startsWith(`${name}.`))
    if (storedAny) this.warn(`Secret values of "${name}" are stored in ${files.secretsPath} (mode 0600). Anyone who can read that file can use them.`)
    if (!this.jsonEnabled()) this.log(`Profile "${name}" saved in ${files.configPath}${files.config.defaultProfile === name ? ' (the default)' : ''}.`)
    return {configPath: files.configPath, default: files.config.defaultProfile === name, profile: name, secretsPath: files.secretsPath}
  }
}
