import type {ConfigFile, ErpProfile, Profile} from '../config/profile.js'
import {secretsPathFor} from '../config/secrets.js'
import {writePrivateFile, writeSecretsFile} from '../config/store.js'
import {erpSystem} from '../connectors/registry.js'
import type {HelpdeskId, HelpdeskProfile} from '../connectors/helpdesk/registry.js'
import {defaultSandboxHelpdesk} from './helpdesk/helpdesks.js'
import {seededTickets} from './helpdesk/tickets.js'
import type {Sandbox} from './sandbox.js'

/** What `synctrace sandbox` tells its user: where each hop listens, the tokens, a profile, the scenarios. */
export interface SandboxDescription {
  installations: Array<{
    id: string
    urls: Record<string, string>
    tokens: {admin: string; support: string}
    fileServer: {
      ftpUrl: string
      ftpsUrl: string
      sftpUrl: string
      user: string
      password: string
      hostKeySha256: string
    } | null
    /** The ERP of a direct installation, emulated in the sandbox (src/sandbox/erp/<erp>/emulator.ts): its profile section (credentials included). */
    erp: ErpProfile | null
    scenarios: Array<{code: string; situation: string}>
  }>
  /** The emulated helpdesks (src/sandbox/helpdesk/): each one's profile section (credentials included) and its seeded tickets. */
  helpdesks: Array<{system: HelpdeskId; url: string; helpdesk: HelpdeskProfile; tickets: string[]}>
  /** A config file (format of the README's "Config file"): per installation an admin and a `-support` profile; ftp installations also `-ftp` and `-ftps` (the default uses SFTP). */
  config: ConfigFile
}

/** A profile as a config file holds it: no name, and not the sandbox's own secrets file of a running sandbox. */
function withoutName(profile: Profile): Omit<Profile, 'name'> {
  const {name: _name, secretStore: _store, ...rest} = profile
  return rest
}

/** Every profile with the sandbox's helpdesk section (`helpdesk`, default Zendesk), when the sandbox runs one. */
function withHelpdesk(sandbox: Sandbox, config: ConfigFile, system: HelpdeskId): ConfigFile {
  const helpdesk = sandbox.helpdesks.get(system)?.profile()
  if (!helpdesk) return config
  return {
    ...config,
    profiles: Object.fromEntries(
      Object.entries(config.profiles).map(([name, profile]) => [name, {...profile, helpdesk}]),
    ),
  }
}

function describeHelpdesks(sandbox: Sandbox): SandboxDescription['helpdesks'] {
  return [...sandbox.helpdesks.values()].map((entry) => ({
    helpdesk: entry.profile(),
    system: entry.system,
    tickets: seededTickets.map((ticket) => (entry.system === 'jira' ? `SUP-${ticket.id}` : String(ticket.id))),
    url: entry.service.url,
  }))
}

/** What `synctrace sandbox` prints; every profile's `helpdesk` section points at `helpdesk` (default Zendesk). */
export function describeSandbox(sandbox: Sandbox, helpdesk: HelpdeskId = defaultSandboxHelpdesk): SandboxDescription {
  const description = describeInstallations(sandbox)
  return {
    ...description,
    config: withHelpdesk(sandbox, description.config, helpdesk),
    helpdesks: describeHelpdesks(sandbox),
  }
}

function describeInstallations(sandbox: Sandbox): Omit<SandboxDescription, 'helpdesks'> {
  const installations = [...sandbox.installations.values()]
  return {
    config: {
      defaultProfile: `sandbox-${installations[0]?.id ?? 'acme'}`,
      profiles: Object.fromEntries(
        installations.flatMap((installation) => [
          [`sandbox-${installation.id}`, withoutName(installation.profile('admin'))],
          [`sandbox-${installation.id}-support`, withoutName(installation.profile('support'))],
          ...(installation.fileServers
            ? (['ftp', 'ftps'] as const).map((protocol) => [
                `sandbox-${installation.id}-${protocol}`,
                withoutName(installation.profile('admin', protocol)),
              ])
            : []),
        ]),
      ),
    },
    installations: installations.map((installation) => {
      const files = installation.fileServers
      const exportsState = installation.state.exports
      const base = exportsState?.baseFolder ?? ''
      return {
        erp: installation.state.erp ? (installation.profile().erp ?? null) : null,
        fileServer:
          files && exportsState
            ? {
                ftpsUrl: `ftps://127.0.0.1:${files.ftpPort}/${base}`,
                ftpUrl: `ftp://127.0.0.1:${files.ftpPort}/${base}`,
                hostKeySha256: files.hostKeySha256,
                password: exportsState.password,
                sftpUrl: `sftp://127.0.0.1:${files.sftpPort}/${base}`,
                user: exportsState.user,
              }
            : null,
        id: installation.id,
        scenarios: installation.state.scenarios,
        tokens: installation.tokens,
        urls: Object.fromEntries(Object.entries(installation.services).map(([hop, service]) => [hop, service.url])),
      }
    }),
  }
}

/**
 * The config file as written to disk: a secret the ERP replaces on every use (eAccounting's refresh token)
 * goes to the secrets file beside it as `secret:<profile>.<field>`, where the new one is saved; a literal
 * in the config would be refused (src/config/profile.ts).
 */
export function storedSandboxConfig(config: ConfigFile): {config: ConfigFile; secrets: Record<string, string>} {
  const secrets: Record<string, string> = {}
  const profiles = Object.fromEntries(
    Object.entries(config.profiles).map(([name, profile]) => {
      const erp = (profile as {erp?: Record<string, unknown> & {system: string}}).erp
      if (!erp) return [name, profile]
      const rotating = (erpSystem(erp.system)?.settings ?? []).filter(
        (setting) => setting.rotates && typeof erp[setting.field] === 'string',
      )
      if (rotating.length === 0) return [name, profile]
      const stored = {...erp}
      for (const setting of rotating) {
        secrets[`${name}.${setting.field}`] = erp[setting.field] as string
        stored[setting.field] = `secret:${name}.${setting.field}`
      }
      return [name, {...profile, erp: stored}]
    }),
  )
  return {config: {...config, profiles} as ConfigFile, secrets}
}

/** Writes the sandbox's profiles as a config file readable only by its owner (it holds the sandbox tokens), and its secrets file beside it. */
export async function writeSandboxConfig(path: string, description: SandboxDescription): Promise<void> {
  const {config, secrets} = storedSandboxConfig(description.config)
  await writePrivateFile(path, `${JSON.stringify(config, null, 2)}\n`)
  if (Object.keys(secrets).length > 0) await writeSecretsFile(secretsPathFor(path), secrets)
}
