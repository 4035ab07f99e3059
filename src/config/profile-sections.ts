import {readFileSync} from 'node:fs'

import type {ErpSystem} from '../connectors/erp-system.js'
import {ftpLayouts} from '../connectors/ftp/layouts/registry.js'
import {helpdeskSystem, helpdeskSystems} from '../connectors/helpdesk/registry.js'
import {checkAnswer} from './profile-edit.js'
import type {ProfileQuestions} from './profile-questions.js'

/**
 * The parts of a profile that are asked for together, and asked again together after a failed check
 * (`connection`: how the ERP is reached, then its ERP or file server).
 */
export type ProfileSection = 'cms' | 'app' | 'webshop' | 'erp' | 'ftp' | 'connection' | 'helpdesk'

/** How the installation reaches its ERP: through one ERP's API, through files on a file server, both or neither. */
export interface Connection {
  erp: ErpSystem | undefined
  ftp: boolean
}

const serviceLabels = {app: 'App backend', cms: 'CMS', webshop: 'Webshop'} as const

/**
 * The raw profile from the flags and the answers; with `previous` and `only`, the sections not in `only`
 * are kept from `previous` (re-entering what a failed check named).
 */
export async function profileFromAnswers(
  questions: ProfileQuestions,
  connection: Connection,
  previous?: {raw: Record<string, unknown>; only: ReadonlySet<ProfileSection>},
): Promise<Record<string, unknown>> {
  const {flags} = questions
  const raw: Record<string, unknown> = {...previous?.raw}
  const wanted = (section: ProfileSection) => !previous || previous.only.has(section)
  for (const service of ['cms', 'app', 'webshop'] as const) {
    if (!wanted(service)) continue
    const label = serviceLabels[service]
    const url = await questions.ask(`${service}-url`, `${label} base URL`, 'url')
    // On a terminal, the app's and the webshop's token are the CMS's unless another is typed (one platform user).
    const cmsToken = (raw.cms as {token?: string} | undefined)?.token
    const fallback = service !== 'cms' && cmsToken ? {label: 'the CMS token', reference: cmsToken} : null
    raw[service] = {
      token: await questions.secret(`${service}-token`, `${service}.token`, `${label} token`, fallback),
      url,
    }
  }
  if (connection.erp && wanted('erp')) raw.erp = await erpSection(connection.erp, questions)
  if (connection.ftp && wanted('ftp')) raw.ftp = await ftpSection(questions)
  if (wanted('helpdesk')) {
    const previousSystem = (previous?.raw.helpdesk as {system?: string} | undefined)?.system
    const system = await askHelpdesk(questions, previousSystem)
    if (system) raw.helpdesk = await helpdeskSection(system, questions)
  }
  if (flags.installation) raw.installation = flags.installation
  if (flags.timeout) raw.timeoutMs = flags.timeout * 1000
  return raw
}

/**
 * Every setting of the chosen ERP, from its descriptor: the flag, else the answer, else its default. On a
 * terminal its URLs are asked too, pre-filled with the cloud's (the descriptor's default).
 */
async function erpSection(system: ErpSystem, questions: ProfileQuestions): Promise<Record<string, string>> {
  const erp: Record<string, string> = {system: system.id}
  const known: Record<string, string | undefined> = {}
  for (const setting of system.settings) {
    const asked =
      (setting.prompt !== undefined || (questions.interactive && setting.kind === 'url')) &&
      (!setting.askWhen || setting.askWhen(known))
    let value = asked
      ? await questions.ask(setting.flag, setting.prompt ?? setting.description, setting.kind, {
          default: setting.default,
          optional: setting.optional,
        })
      : questions.flagValue(setting.flag)
    value = value === '' || value === undefined ? setting.default : value
    if (value === undefined) continue
    known[setting.field] = value
    erp[setting.field] = setting.kind === 'secret' ? questions.keep(`erp.${setting.field}`, value, setting.flag) : value
  }
  return erp
}

/**
 * Which helpdesk the installation's tickets are in: `--helpdesk`; else, on a terminal, asked (none is a
 * choice: the section is optional); re-entering a refused helpdesk keeps its system and asks its settings.
 */
async function askHelpdesk(questions: ProfileQuestions, previousSystem: string | undefined): Promise<string | null> {
  const given = questions.flagValue('helpdesk')
  if (given) return given
  if (!questions.interactive) return null
  if (questions.reentering && previousSystem) return previousSystem
  const choice = await questions.select('Add a helpdesk, for synctrace ticket and --post?', [
    {name: 'None', value: 'none'},
    ...helpdeskSystems.map((system) => ({name: system.displayName, value: system.id as string})),
  ])
  return choice === 'none' ? null : choice
}

/** The helpdesk of `--helpdesk`: each setting of its descriptor from its flag, else the answer (`--helpdesk-url`, ...). */
async function helpdeskSection(id: string, questions: ProfileQuestions): Promise<Record<string, string>> {
  const system = helpdeskSystem(id)
  if (!system) return {system: id}
  const helpdesk: Record<string, string> = {system: system.id}
  for (const setting of system.settings) {
    const value = await questions.ask(setting.flag, setting.prompt ?? setting.description, setting.kind)
    helpdesk[setting.field] =
      setting.kind === 'secret' ? questions.keep(`helpdesk.${setting.field}`, value, setting.flag) : value
  }
  return helpdesk
}

const protocolChoices = [
  {name: 'SFTP (over SSH)', value: 'sftp'},
  {name: 'FTPS (FTP over TLS)', value: 'ftps'},
  {name: 'FTP (unencrypted)', value: 'ftp'},
  {name: 'The one the CMS reports (its file server URL)', value: 'reported'},
] as const

/** The file server's URL: its flag; else on a terminal the protocol, then host and folder; else what the CMS reports. */
async function ftpUrl(questions: ProfileQuestions): Promise<string> {
  const given = questions.given('ftp-url')
  if (given !== undefined || !questions.interactive) return given ?? ''
  const protocol = await questions.select('Which protocol does the file server speak?', [...protocolChoices])
  if (protocol === 'reported') return ''
  const withProtocol = (answer: string) => (/^[a-z]+:\/\//i.test(answer) ? answer : `${protocol}://${answer}`)
  const address = await questions.ask('ftp-url', `File server host and folder (host[:port]/folder)`, 'ftp-url', {
    validate: (answer) => {
      const url = withProtocol(answer.trim())
      if (!url.startsWith(`${protocol}://`)) return `use a ${protocol}:// URL, or host[:port]/folder`
      return checkAnswer('ftp-url', url)
    },
  })
  return withProtocol(address.trim())
}

/** The file server: URL (else the CMS's), login, the FTPS certificate or SFTP host key, and the layout and its files. */
async function ftpSection(questions: ProfileQuestions): Promise<Record<string, unknown>> {
  const {flags, interactive} = questions
  const ftp: Record<string, string> = {}
  const url = await ftpUrl(questions)
  if (url) ftp.url = url
  ftp.user = await questions.ask('ftp-user', 'File server user')
  ftp.password = await questions.secret('ftp-password', 'ftp.password', 'File server password')
  const protocol = url ? new URL(url).protocol : ''
  if (flags['ca-cert'] || (protocol === 'ftps:' && interactive)) {
    const pem = await questions.ask('ca-cert', 'PEM file of the FTPS server certificate or its CA', 'pem-file', {
      optional: true,
    })
    if (pem) ftp.caCert = readFileSync(pem, 'utf8')
  }
  if (flags['host-key-sha256'] || (protocol === 'sftp:' && interactive)) {
    const hostKey = await questions.ask('host-key-sha256', 'SFTP host key SHA-256 fingerprint', 'host-key', {
      optional: true,
    })
    if (hostKey) ftp.hostKeySha256 = hostKey.replace(/^SHA256:/, '')
  }
  const layout = await ftpLayout(questions)
  return {
    ...ftp,
    ...(layout ? {layout} : {}),
    ...(flags['ftp-customer-file'] ? {customerFiles: [flags['ftp-customer-file']]} : {}),
    ...(flags['ftp-item-file'] ? {itemFiles: [flags['ftp-item-file']]} : {}),
  }
}

/** The layout: its flag, else on a terminal one of the registry's, else (empty) the one of the ERP the CMS reports. */
async function ftpLayout(questions: ProfileQuestions): Promise<string> {
  const given = questions.given('ftp-layout')
  if (given !== undefined || !questions.interactive) return given ?? ''
  const layout = await questions.select('Which file layout do the exports use?', [
    {name: 'The layout of the ERP the CMS reports (Winbas, Monitor, else generic)', value: 'reported'},
    ...ftpLayouts.map((entry) => ({name: entry.description, value: entry.id as string})),
  ])
  return layout === 'reported' ? '' : layout
}
