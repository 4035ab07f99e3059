import type {ErpConnector} from './erp.js'
import type {FtpSettings} from './ftp/connector.js'
import type {AppClient} from './platform/app.js'
import type {CmsClient} from './platform/cms.js'
import type {WebshopClient} from './platform/webshop.js'

/** The clients of one installation's systems, built from a profile (config/clients.ts). */
export interface InstallationClients {
  profileName: string
  cms: CmsClient
  app: AppClient
  webshop: WebshopClient
  /** Null when the profile gives no ERP API access. */
  erp: ErpConnector | null
  /** The file server's credentials and layout; `url` may be missing, then the CMS's `ftp.url` is used. Null when the profile has none. */
  ftp: (Omit<FtpSettings, 'url'> & {url?: string}) | null
}
