import type {Profile} from '../config/profile.js'
import {CmsClient} from '../connectors/platform/cms.js'
import type {HttpClient} from '../http/client.js'

/** Who the profile's token is in the CMS (GET /me), or null when the CMS does not say. */
export async function cmsRole(
  profile: Profile,
  options: {http: HttpClient},
): Promise<{user: string; role: string} | null> {
  const http = options.http.scoped({
    timeouts: profile.timeoutMs ? {totalMs: profile.timeoutMs} : undefined,
  })
  try {
    return await new CmsClient(http, profile.cms).me()
  } catch {
    return null
  } finally {
    await http.close()
  }
}
