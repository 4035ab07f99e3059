import type {Profile} from '../../config/profile.js'
import type {ScaleInstallation} from './installation.js'
import type {PlantedCounts} from './planted.js'
import type {PlantedPriceCounts} from './price-planted.js'

/** What `synctrace sandbox --scale N` prints (and writes with --write-config): URLs, tokens, planted findings, profiles. */
export interface ScaleDescription {
  records: number
  installations: Array<{
    id: string
    urls: Record<string, string>
    tokens: {admin: string; support: string}
    planted: PlantedCounts
    plantedPrices: PlantedPriceCounts
  }>
  config: {defaultProfile: string; profiles: Record<string, Omit<Profile, 'name'>>}
}

export function describeScale(installations: ScaleInstallation[], records: number): ScaleDescription {
  const withoutName = ({name: _name, ...profile}: Profile) => profile
  return {
    config: {
      defaultProfile: `sandbox-${installations[0]?.id ?? 'scale'}`,
      profiles: Object.fromEntries(
        installations.flatMap((installation) => [
          [`sandbox-${installation.id}`, withoutName(installation.profile('admin'))],
          [`sandbox-${installation.id}-support`, withoutName(installation.profile('support'))],
        ]),
      ),
    },
    installations: installations.map((installation) => ({
      id: installation.id,
      planted: installation.planted,
      plantedPrices: installation.plantedPrices,
      tokens: installation.tokens,
      urls: Object.fromEntries([
        ...Object.entries(installation.services).map(([hop, service]) => [hop, service.url]),
        ...(installation.fileServers ? [['files', `sftp://127.0.0.1:${installation.fileServers.sftpPort}/a4s`]] : []),
      ]),
    })),
    records,
  }
}
