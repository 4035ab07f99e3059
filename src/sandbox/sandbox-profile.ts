import {join} from 'node:path'

import type {Profile} from '../config/profile.js'
import {erpSystem} from '../connectors/registry.js'
import type {SandboxFileServers} from './file-server.js'
import type {PlatformTokens} from './platform/service.js'
import type {InstallationState} from './state.js'

export type HttpHop = 'erp' | 'cms' | 'app' | 'webshop'
export type FileProtocol = 'ftp' | 'ftps' | 'sftp'

/** The profile of an installation's servers, for one role's platform token and one file-server protocol. */
export function profileOf(
  state: InstallationState,
  tokens: PlatformTokens,
  url: (hop: HttpHop) => string,
  fileServers: SandboxFileServers | null,
  erpSecrets: string | null,
  role: 'admin' | 'support',
  protocol: FileProtocol,
): Profile {
  const {erp: emulated, exports: exportsState, id} = state
  const profile: Profile = {
    app: {token: tokens[role], url: url('app')},
    cms: {token: tokens[role], url: url('cms')},
    installation: id,
    name: `sandbox-${id}`,
    webshop: {token: tokens[role], url: url('webshop')},
  }
  if (emulated) {
    const erp = emulated.emulator.profile(emulated.state, url('erp'))
    profile.erp = erp
    const secretFields =
      erpSystem(erp.system)
        ?.settings.filter((setting) => setting.kind === 'secret')
        .map((setting) => setting.field) ?? []
    if (erpSecrets)
      profile.secretStore = {
        path: join(erpSecrets, 'secrets.json'),
        references: Object.fromEntries(secretFields.map((field) => [`erp.${field}`, `secret:${field}`])),
      }
  }
  if (fileServers && exportsState)
    profile.ftp = {
      password: exportsState.password,
      url: `${protocol}://127.0.0.1:${protocol === 'sftp' ? fileServers.sftpPort : fileServers.ftpPort}/${exportsState.baseFolder}`,
      user: exportsState.user,
      ...(protocol === 'ftps' ? {caCert: fileServers.caCert} : {}),
      ...(protocol === 'sftp' ? {hostKeySha256: fileServers.hostKeySha256} : {}),
      ...(exportsState.layoutInProfile ? {layout: exportsState.layout} : {}),
    }
  return profile
}
