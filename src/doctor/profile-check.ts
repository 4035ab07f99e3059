import type {ConnectionCheckLine} from '../config/profile-add.js'
import type {Profile} from '../config/profile.js'
import {erpDisplayName, erpSystem, erpSystems} from '../connectors/registry.js'
import type {HttpClient} from '../http/client.js'
import {type DoctorReport, runDoctor} from './doctor.js'
import type {HopHealth} from './health.js'

type Hop = HopHealth['hop']

const platformPaths: Partial<Record<Hop, string>> = {app: '/app/v1', cms: '/api/v1', webshop: '/webshop/v1'}

function labelOf(hop: Hop, profile: Profile): string {
  return {
    app: 'App backend',
    cms: 'CMS',
    erp: erpDisplayName(profile.erp?.system),
    ftp: 'File server',
    webshop: 'Webshop',
  }[hop]
}

/** The flags that give a hop's credentials: the platform's token, the file server's login, the ERP's settings. */
function credentialFlags(hop: Hop, profile: Profile): string[] {
  if (hop === 'ftp') return ['--ftp-user', '--ftp-password']
  if (hop !== 'erp') return [`--${hop}-token`]
  const settings = erpSystem(profile.erp?.system)?.settings ?? []
  return settings.filter((setting) => setting.kind !== 'url' && setting.default === undefined).map((s) => `--${s.flag}`)
}

/** What a person changes when a hop's check failed, by what went wrong. */
function fixFor(hop: HopHealth, profile: Profile): string {
  const label = labelOf(hop.hop, profile)
  const url = hop.url ?? 'the URL'
  const urlFlag = hop.hop === 'erp' ? '--erp-url' : `--${hop.hop}-url`
  switch (hop.problem?.kind) {
    case 'unreachable':
    case 'timeout':
      return `${label}: check the URL (${url}, ${urlFlag}): the host, the port, and that this machine can reach it.`
    case 'auth':
      return `${label}: the credentials were refused: check ${credentialFlags(hop.hop, profile).join(', ')}.`
    case 'rate-limited':
      return `${label}: it is limiting requests; try again in a minute (or save anyway).`
    default:
      return platformPaths[hop.hop]
        ? `${label}: it answered, but not as its API: check that ${urlFlag} (${url}) is the base URL, without ${platformPaths[hop.hop]}.`
        : `${label}: it answered, but not as its API: check ${urlFlag} (${url}) and ${credentialFlags(hop.hop, profile).join(', ')}.`
  }
}

function lineOf(hop: HopHealth, profile: Profile): ConnectionCheckLine {
  const label = labelOf(hop.hop, profile)
  const section = hop.hop
  if (hop.problem) return {fix: fixFor(hop, profile), ok: false, section, text: `${label}: ${hop.problem.message}`}
  const reports = Object.entries(hop.reports)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ')
  const notes = hop.notes.length > 0 ? `; ${hop.notes.join('; ')}` : ''
  const latency = hop.latencyMs === null ? '' : ` (${hop.latencyMs} ms)`
  return {fix: null, ok: true, section, text: `${label}: connected${reports ? `, ${reports}` : ''}${latency}${notes}`}
}

/**
 * The doctor's checks of a profile not saved yet, one line per hop it names (not the automatic syncs: they are
 * the installation's health, not the profile's): a failed one says what to fix.
 */
export async function checkProfileConnection(
  profile: Profile,
  options: {http: HttpClient; timeoutMs?: number},
): Promise<ConnectionCheckLine[]> {
  const report = await runDoctor(profile, options)
  const lines = report.hops.filter((hop) => hop.status !== 'not-configured').map((hop) => lineOf(hop, profile))
  const reported = report.installation?.id
  if (reported && profile.installation && reported !== profile.installation)
    lines.push({
      fix: `Check --installation (${profile.installation}): the CMS at ${profile.cms.url} is installation ${reported}.`,
      ok: false,
      section: 'cms',
      text: `CMS: reports installation ${reported}, not ${profile.installation}`,
    })
  const mismatch = report.installation ? connectionMismatch(report.installation, profile) : null
  if (mismatch) lines.push(mismatch)
  return lines
}

/** The profile reaches the ERP otherwise than the CMS reports: traces would ask the wrong ERP or miss the files. */
function connectionMismatch(
  installation: NonNullable<DoctorReport['installation']>,
  profile: Profile,
): ConnectionCheckLine | null {
  const reportedErp = erpDisplayName(installation.erp)
  const line = (text: string, fix: string): ConnectionCheckLine => ({fix, ok: false, section: 'connection', text})
  if (installation.connection === 'ftp' && !profile.ftp)
    return line(
      `CMS: the installation reaches ${reportedErp} through export files on a file server; the profile names none`,
      'Choose "Export files on a file server" (--connection ftp) as the connection.',
    )
  const system = erpSystem(profile.erp?.system)
  if (system && installation.connection === 'direct' && (system.cmsSystem ?? system.id) !== installation.erp) {
    const match = erpSystems.find((entry) => (entry.cmsSystem ?? entry.id) === installation.erp)
    return line(
      `CMS: the installation's ERP is ${reportedErp}, not ${system.displayName}`,
      `Choose ${match ? `the ${match.displayName} API (--erp ${match.id})` : 'no ERP access (--erp none)'} as the connection.`,
    )
  }
  return null
}
