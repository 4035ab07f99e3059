import {chmod, writeFile} from 'node:fs/promises'

import type {ConfigFile, Profile} from '../config/profile.js'
import type {Sandbox} from './sandbox.js'

/** What `synctrace sandbox` tells its user: where each hop listens, the tokens, a profile, the scenarios. */
export interface SandboxDescription {
  installations: Array<{
    id: string
    urls: Record<string, string>
    tokens: {admin: string; support: string}
    businessCentral: {tenant: string; environment: string; companyId: string; clientId: string; clientSecret: string}
    scenarios: Array<{code: string; situation: string}>
  }>
  /** A config file (format of the README's "Config file"): per installation an admin and a `-support` profile. */
  config: ConfigFile
}

function withoutName(profile: Profile): Omit<Profile, 'name'> {
  const {name: _name, ...rest} = profile
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
        ]),
      ),
    },
    installations: installations.map((installation) => {
      const bc = installation.state.businessCentral
      return {
        businessCentral: {clientId: bc.clientId, clientSecret: bc.clientSecret, companyId: bc.companyId, environment: bc.environment, tenant: bc.tenant},
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
