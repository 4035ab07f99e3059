import type {ErpConnector} from '../connectors/erp.js'
import type {ErpSession} from '../connectors/erp-system.js'
import {unkeepableToken} from '../connectors/oauth2.js'
import {AppClient} from '../connectors/platform/app.js'
import {CmsClient} from '../connectors/platform/cms.js'
import {WebshopClient} from '../connectors/platform/webshop.js'
import type {HttpClient} from '../http/client.js'
import type {InstallationClients} from '../connectors/installation.js'
import {erpSystem, erpSystems} from '../connectors/registry.js'
import {UserError} from '../util/errors.js'
import {warnUser} from '../util/warnings.js'
import {registerSecret} from '../http/redact.js'
import type {Profile} from './profile.js'
import {readSecretsFile} from './secrets.js'
import {writeSecretsFile} from './store.js'
import {tokenCachePathFor, tokenKeeper} from './token-cache.js'

/**
 * The ERP connector of a profile, built by its system's descriptor (src/connectors/registry.ts), which loads that
 * ERP's connector code only.
 */
async function erpConnector(profile: Profile, http: HttpClient, session: ErpSession): Promise<ErpConnector | null> {
  if (!profile.erp) return null
  const system = erpSystem(profile.erp.system)
  if (!system)
    throw new UserError(
      `The profile's ERP system "${profile.erp.system.slice(0, 40)}" has no connector.`,
      `Use one of: ${erpSystems.map((entry) => entry.id).join(', ')}.`,
    )
  return await system.connect(profile.erp, http, session)
}

/**
 * What an ERP connector may ask of the run: a rotated secret is written back to the secrets file when the
 * profile keeps it there (`secret:NAME`); an `env:` reference or a literal cannot be updated. Either way the
 * run's profile holds the new value from then on, so a later connector of the same run (the trace after a
 * fix) does not present the spent one.
 */
export function erpSessionFor(profile: Profile, warn: (message: string) => void = warnUser): ErpSession {
  const secrets = profile.secretStore
  const keptToken =
    secrets && !secrets.noTokenCache ? tokenKeeper(tokenCachePathFor(secrets.path), profile.name) : undefined
  return {
    saveSecret: async (field, value) => {
      // The connector checks a rotated token before it asks; this keeps the secrets file readable whatever asks.
      const refused = unkeepableToken(value)
      if (refused) throw new Error(`not stored: ${refused}`)
      registerSecret(value)
      if (profile.erp) (profile.erp as Record<string, unknown>)[field] = value
      const store = profile.secretStore
      const reference = store?.references[`erp.${field}`]
      if (!store || !reference?.startsWith('secret:')) return false
      const stored = await readSecretsFile(store.path)
      stored[reference.slice('secret:'.length)] = value
      await writeSecretsFile(store.path, stored)
      return true
    },
    warn,
    ...(keptToken ? {keptToken} : {}),
  }
}

export async function clientsForProfile(
  profile: Profile,
  http: HttpClient,
  session: ErpSession = erpSessionFor(profile),
): Promise<InstallationClients> {
  return {
    app: new AppClient(http, profile.app),
    cms: new CmsClient(http, profile.cms),
    erp: await erpConnector(profile, http, session),
    // The file server gets the run's budget (--timeout, else the profile's) as one deadline for the session.
    ftp: profile.ftp
      ? {
          ...profile.ftp,
          debug: http.debug,
          remainingMs: () => http.remainingMs(),
          signal: http.signal,
          timeoutMs: http.timeouts.totalMs,
        }
      : null,
    profileName: profile.name,
    webshop: new WebshopClient(http, profile.webshop),
  }
}
