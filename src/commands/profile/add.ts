import {Args, Flags, type Interfaces} from '@oclif/core'

import {SynctraceCommand} from '../../cli/base-command.js'
import {helpdeskSettingFlags, helpdeskSystems} from '../../connectors/helpdesk/registry.js'
import {erpSettingFlags, erpSystems} from '../../connectors/registry.js'
import {ftpLayoutIds} from '../../connectors/ftp/layouts/types.js'

/** One flag per ERP setting (`--erp-url`, `--tenant`, ...), described for every ERP that uses it. */
function erpFlags(): Record<string, Interfaces.OptionFlag<string | undefined>> {
  return Object.fromEntries(erpSettingFlags().map(({description, flag}) => [flag, Flags.string({description})]))
}

/** `--helpdesk` and one flag per helpdesk setting (`--helpdesk-url`, `--helpdesk-email`, `--helpdesk-token`), from the descriptors. */
function helpdeskFlags() {
  return {
    helpdesk: Flags.option({
      description:
        "The installation's helpdesk, for synctrace ticket and --post (its settings are then asked or given by the --helpdesk-* flags).",
      options: helpdeskSystems.map((system) => system.id),
    })(),
    ...Object.fromEntries(
      helpdeskSettingFlags().map(({description, flag}) => [flag, Flags.string({dependsOn: ['helpdesk'], description})]),
    ),
  }
}

export default class ProfileAdd extends SynctraceCommand<typeof ProfileAdd> {
  static override summary = 'Add (or with --force replace) a profile: how to reach one installation.'

  static override description =
    `Every value has a flag; on a terminal, missing ones are asked for, as gh auth login does: the name, how the installation reaches its ERP (an ERP's API from the registry, or export files over FTP, FTPS or SFTP and their layout), the URLs (the ERP's cloud URLs pre-filled) and the tokens (the app's and the webshop's default to the CMS token); then the connection is tested with the checks of synctrace doctor before anything is saved, and a failed check says what to fix and offers to re-enter it, save anyway or cancel. Without a terminal (or with --no-input) nothing is asked and nothing is tested: a missing value is an error naming its flag. Secrets (tokens, the client secret) are given as env:NAME references, which are read from the environment at run time, or as values with --store-secrets, which keeps them in secrets.json beside the config file (mode 0600). Nothing is written until the whole profile checks out.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> acme --cms-url https://cms.platform.example/acme --cms-token env:ACME_TOKEN --app-url https://app-api.platform.example/acme --app-token env:ACME_TOKEN --webshop-url https://shop.acme.example --webshop-token env:ACME_SHOP_TOKEN',
    '<%= config.bin %> <%= command.id %> acme ... --erp businesscentral --tenant acme.onmicrosoft.com --company-id 6f0a... --client-id 7c1f... --client-secret env:ACME_BC_SECRET',
    '<%= config.bin %> <%= command.id %> --from-sandbox acme',
  ]

  static override args = {
    name: Args.string({
      description: 'Profile name (default with --from-sandbox: the installation; asked on a terminal).',
      required: false,
    }),
  }

  static override flags = {
    ...erpFlags(),
    ...helpdeskFlags(),
    erp: Flags.option({
      default: 'none',
      description: `ERP API access for the trace: none (start at the CMS, or at the files), or one of ${erpSystems.map((system) => `${system.id} (${system.displayName})`).join(', ')}.`,
      options: ['none', ...erpSystems.map((system) => system.id)],
    })(),
    'app-token': Flags.string({description: 'App backend token: env:NAME, or a value with --store-secrets.'}),
    'app-url': Flags.string({description: 'App backend base URL (without /app/v1).'}),
    'cms-token': Flags.string({description: 'CMS token: env:NAME, or a value with --store-secrets.'}),
    'cms-url': Flags.string({description: 'CMS base URL (without /api/v1).'}),
    config: Flags.string({
      description: 'Config file to write (default: $SYNCTRACE_CONFIG, else ~/.config/synctrace/config.json).',
    }),
    default: Flags.boolean({default: false, description: 'Make it the default profile.'}),
    'ca-cert': Flags.string({
      description: 'FTPS: a PEM file with the certificate (or its CA) the server must present.',
    }),
    connection: Flags.option({
      default: 'direct',
      description:
        'How the installation reaches its ERP: direct (API) or ftp (export files on a file server: FTP, FTPS or SFTP).',
      options: ['direct', 'ftp'] as const,
    })(),
    'ftp-password': Flags.string({description: 'File server password (env:NAME, or a value with --store-secrets).'}),
    'ftp-url': Flags.string({
      description: 'File server URL: ftp://, ftps:// or sftp://host[:port]/folder (default: what the CMS reports).',
    }),
    'ftp-user': Flags.string({description: 'File server user.'}),
    'ftp-layout': Flags.option({
      description:
        "The ERP's file layout on the file server (default: the one of the ERP the CMS reports: winbas, monitor, else generic).",
      options: ftpLayoutIds,
    })(),
    'ftp-customer-file': Flags.string({
      description:
        "The customer export's file name in the base folder (default: the layout's: customers.csv and customers.xml, Winbas _customers.xml, Monitor customers.xml).",
    }),
    'ftp-item-file': Flags.string({
      description:
        "The item export's file name in the base folder (default: the layout's: items.csv and items.xml, Winbas _items.xml, Monitor items.xml).",
    }),
    'host-key-sha256': Flags.string({
      description: 'SFTP: the SHA-256 fingerprint of the host key (base64, as ssh-keygen -l shows it).',
    }),
    force: Flags.boolean({default: false, description: 'Replace a profile of the same name.'}),
    'from-sandbox': Flags.string({
      description: 'Copy the profile of this installation from a running `synctrace sandbox`.',
      // The sandbox's profile is copied whole: settings of another connection would be ignored.
      exclusive: ['erp', 'connection', 'cms-url', 'cms-token', 'app-url', 'app-token', 'webshop-url', 'webshop-token'],
    }),
    installation: Flags.string({
      description: 'The installation id the CMS should report (a label when it is unreachable).',
    }),
    'no-input': Flags.boolean({default: false, description: 'Never prompt; missing values are an error.'}),
    'store-secrets': Flags.boolean({
      default: false,
      description: 'Keep secret values given on the command line in secrets.json (mode 0600).',
    }),
    timeout: Flags.integer({description: 'Seconds one request may take, retries included.', max: 600, min: 1}),
    'webshop-token': Flags.string({description: 'Webshop token: env:NAME, or a value with --store-secrets.'}),
    'webshop-url': Flags.string({description: 'Webshop base URL (without /webshop/v1).'}),
  }

  public async run(): Promise<{profile: string; configPath: string; secretsPath: string; default: boolean}> {
    const {args, flags, metadata} = await this.parse(ProfileAdd)
    const {addProfile} = await import('../../config/profile-add.js')
    const {canPrompt} = await import('../../cli/interactive.js')
    const {checkProfileConnection} = await import('../../doctor/profile-check.js')
    const given = new Set(Object.keys(flags).filter((flag) => !metadata.flags[flag]?.setFromDefault))
    const added = await addProfile(this.ctx, args.name, flags, {
      check: (profile) =>
        checkProfileConnection(profile, {
          http: this.ctx.http(),
          timeoutMs: flags.timeout ? flags.timeout * 1000 : profile.timeoutMs,
        }),
      given,
      interactive: canPrompt(this.ctx, flags),
    })
    if (!this.jsonEnabled())
      this.log(
        `Profile "${added.profile}" saved in ${added.configPath}${added.default ? ' (the default)' : ''}. Use it with --profile ${added.profile}.`,
      )
    return added
  }
}
