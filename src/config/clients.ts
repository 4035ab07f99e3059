import {BusinessCentralConnector} from '../connectors/businesscentral/connector.js'
import type {ErpConnector} from '../connectors/erp.js'
import {FortnoxConnector} from '../connectors/fortnox/connector.js'
import {AppClient} from '../connectors/platform/app.js'
import {CmsClient} from '../connectors/platform/cms.js'
import {WebshopClient} from '../connectors/platform/webshop.js'
import type {HttpClient} from '../http/client.js'
import type {InstallationClients} from '../connectors/installation.js'
import type {Profile} from './profile.js'

/** The connectors of one installation, built from its profile around the run's one HTTP client. */
function erpConnector(profile: Profile, http: HttpClient): ErpConnector | null {
  const erp = profile.erp
  if (!erp) return null
  if (erp.system === 'fortnox') return new FortnoxConnector(http, {token: erp.token, url: erp.url})
  return new BusinessCentralConnector(http, {
    auth: erp.token ? {token: erp.token} : {clientId: erp.clientId as string, clientSecret: erp.clientSecret as string, scope: erp.scope, tokenUrl: erp.tokenUrl},
    companyId: erp.companyId,
    environment: erp.environment,
    shipToApiPath: erp.shipToApiPath,
    tenant: erp.tenant,
    url: erp.url,
  })
}

export function clientsForProfile(profile: Profile, http: HttpClient): InstallationClients {
  return {
    app: new AppClient(http, profile.app),
    cms: new CmsClient(http, profile.cms),
    erp: erpConnector(profile, http),
    // The file server gets the run's budget (--timeout, else the profile's) as one deadline for the session.
    ftp: profile.ftp ? {...profile.ftp, debug: http.debug, remainingMs: () => http.remainingMs(), signal: http.signal, timeoutMs: http.timeouts.totalMs} : null,
    profileName: profile.name,
    webshop: new WebshopClient(http, profile.webshop),
  }
}
