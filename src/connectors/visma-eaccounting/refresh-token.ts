import type {HttpClient, HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {registerSecret} from '../../http/redact.js'
import type {ErpSession} from '../erp-system.js'
import {hourTokenExpiry, type KeptToken, unkeepableToken} from '../oauth2.js'
import {parseAnswer} from '../schema.js'
import {describeVismaError} from './errors.js'
import * as schemas from './schemas.js'

const system = 'Visma eAccounting'
/**
 * A run that cannot keep the rotated refresh token says so once, however many connectors it builds (a fix
 * traces again): the run's output boundary gives a warning's text once per run (`Output.warn`).
 */
const storeIt = 'synctrace profile add --store-secrets --refresh-token …'

/**
 * Visma Connect's access token from a refresh token that is replaced on every use: one refresh per run,
 * the refresh token spent, its successor saved where the profile keeps it.
 */
export class RotatingRefreshToken {
  private accessToken: Promise<string> | undefined
  private refreshToken: string
  /** The access token kept by an earlier run (read on the first use only), and the one taken from there. */
  private readonly kept: KeptToken | undefined
  private keptRead = false
  private keptToken: string | undefined
  /** Is `accessToken` the kept one? Refused, it is replaced once. */
  private usingKept = false
  private dropping: Promise<void> = Promise.resolve()

  constructor(
    private readonly http: HttpClient,
    private readonly settings: {tokenUrl: string; clientId: string; clientSecret: string; refreshToken: string},
    private readonly session: ErpSession,
  ) {
    this.refreshToken = settings.refreshToken
    registerSecret(settings.clientSecret)
    registerSecret(settings.refreshToken)
    this.kept = session.keptToken?.({audience: '', clientId: settings.clientId, tokenUrl: settings.tokenUrl})
  }

  get(): Promise<string> {
    this.accessToken ??= this.keptOrRefreshed()
    return this.accessToken
  }

  /**
   * The API refused `token`: it leaves the token cache. True when it came from there (revoked since): the
   * next `get()` refreshes, once. A token this run refreshed is not refreshed again (that would spend another
   * refresh token for the same refusal).
   */
  refused(token: string): boolean {
    if (this.kept) this.dropping = this.kept.drop(token).catch(() => undefined)
    if (token !== this.keptToken) return false
    if (this.usingKept) {
      this.usingKept = false
      this.accessToken = undefined
    }
    return true
  }

  /** The access token an earlier run kept, while it is good for five more minutes; else a refresh. */
  private async keptOrRefreshed(): Promise<string> {
    if (this.kept && !this.keptRead) {
      this.keptRead = true
      const found = await this.kept.read().catch(() => null)
      if (found && found.expiresAt > Date.now() + hourTokenExpiry.marginMs) {
        registerSecret(found.accessToken)
        this.keptToken = found.accessToken
        this.usingKept = true
        return found.accessToken
      }
    }
    return this.refresh()
  }

  private async refresh(): Promise<string> {
    const answer = parseAnswer(schemas.tokenAnswer, (await this.requestRefresh()).body, system, 'the token response')
    registerSecret(answer.access_token)
    if (answer.refresh_token && answer.refresh_token !== this.refreshToken) await this.keep(answer.refresh_token)
    if (this.kept && answer.expires_in && unkeepableToken(answer.access_token) === null) {
      await this.dropping
      const expiresAt = Date.now() + answer.expires_in * 1000
      await this.kept.write({accessToken: answer.access_token, expiresAt}).catch(() => undefined)
    }
    return answer.access_token
  }

  /** The client in HTTP Basic, the refresh token in the form; a 400 means the refresh token is spent or expired. */
  private async requestRefresh(): Promise<HttpResponse> {
    const basic = Buffer.from(
      `${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`,
    ).toString('base64')
    registerSecret(basic)
    try {
      return await this.http.requestJson({
        body: new URLSearchParams({grant_type: 'refresh_token', refresh_token: this.refreshToken}).toString(),
        describeError: describeVismaError,
        headers: {authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded'},
        // Never repeated: a refresh token is spent by the first request that reaches the server.
        method: 'POST',
        url: this.settings.tokenUrl,
      })
    } catch (error) {
      if (error instanceof RequestProblem && error.problem.httpStatus === 400)
        throw new RequestProblem({
          ...error.problem,
          kind: 'auth',
          message: `${error.problem.message}; the refresh token is spent or expired: authorize the integration in Visma eAccounting again and store the new refresh token in the profile (synctrace profile add --refresh-token)`,
        })
      throw error
    }
  }

  /**
   * The successor replaces the spent refresh token, and is written back through the session, once it is
   * checked: a successor that cannot be a token (over 4 KiB, control bytes) is refused and the old one kept,
   * so a hostile or broken token endpoint can never make the secrets file unreadable.
   */
  private async keep(rotated: string): Promise<void> {
    const refused = unkeepableToken(rotated)
    if (refused) {
      this.warnOnce(
        `Visma Connect answered a new eAccounting refresh token that was refused (${refused}); the stored one was kept, though Visma Connect may have spent it: if the next command is refused, authorize again and store the new token (${storeIt}).`,
      )
      return
    }
    registerSecret(rotated)
    this.refreshToken = rotated
    const saved = await this.session.saveSecret('refreshToken', rotated).catch((error: unknown) => error as Error)
    if (saved === true) return
    this.warnOnce(
      saved === false
        ? `Visma Connect replaced the eAccounting refresh token and the new one could not be saved (the profile reads erp.refreshToken from the environment or as a literal): the old one is now spent. Keep it in the secrets file instead (${storeIt}) so synctrace can write each new one back.`
        : `Visma Connect replaced the eAccounting refresh token and saving the new one to the secrets file failed (${saved.message}): the old one is now spent. Make the secrets file writable, then authorize again and store the new token (${storeIt}).`,
    )
  }

  private warnOnce(message: string): void {
    // Once per run: the run's output boundary gives the same warning text once (Output.warn).
    this.session.warn(message)
  }
}
