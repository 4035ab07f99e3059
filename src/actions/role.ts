import type {Profile} from '../config/profile.js'
import {CmsClient} from '../connectors/platform/cms.js'
import {HttpClient} from '../http/client.js'

/** Who the profile's token is in the CMS (GET /me), or null when the CMS does not say. */
export async function cmsRole(
  profile: Profile,
  options: {signal?: AbortSignal; debug?: (line: string) => void} = {},
): Promise<{user: string; role: string} | null> {
  const http = new HttpClient({
    debug: options.debug,
    signal: options.signal,
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
