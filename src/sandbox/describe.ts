import {chmod, writeFile} from 'node:fs/promises'

import type {ConfigFile, ErpProfile, Profile} from '../config/profile.js'
import type {Sandbox} from './sandbox.js'

/** What `synctrace sandbox` tells its user: where each hop listens, the tokens, a profile, the scenarios. */
export interface SandboxDescription {
  installations: Array<{
    id: string
    urls: Record<string, string>
    tokens: {admin: string; support: string}
    fileServer: {ftpUrl: string; ftpsUrl: string; sftpUrl: string; user: string; password: string; hostKeySha256: string} | null
    /** The ERP of a direct installation, emulated through its descriptor's emulator (src/connectors/<erp>/emulator.ts): its profile section (credentials included). */
    erp: ErpProfile | null
    scenarios: Array<{code: string; situation: string}>
  }>
  /** A config file (format of the README's "Config file"): per installation an admin and a `-support` profile; ftp installations also `-ftp` and `-ftps` (the default uses SFTP). */
  config: ConfigFile
}

/** A profile as a config file holds it: no name, and not the sandbox's own secrets file of a running sandbox. */
function withoutName(profile: Profile): Omit<Profile, 'name'> {
  const {name: _name, secretStore: _store, ...rest} = profile
  return rest
}

export function describeSandbox(sandbox: Sandbox): SandboxDescription {
  const installations = [...sandbox.installations.values()]
  return {
    config: {
      defaultProfile: `sandbox-${installations[0]?.id ?? 'acme'}`,
      profiles: Object.fromEntries(
        installations.flatMap((installation) => [
          [`sandbox-${installation.id}`, withoutName(installation.profile('admin'))],
          [`sandbox-${installation.id}-support`, withoutName(installation.profile('support'))],
          ...(installation.fileServers
            ? (['ftp', 'ftps'] as const).map((protocol) => [`sandbox-${installation.id}-${protocol}`, withoutName(installation.profile('admin', protocol))])
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

/** Writes the sandbox's profiles as a config file readable only by its owner (it holds the sandbox tokens). */
export async function writeSandboxConfig(path: string, description: SandboxDescription): Promise<void> {
  await writeFile(path, `${JSON.stringify(description.config, null, 2)}\n`, {mode: 0o600})
  await chmod(path, 0o600)
}
