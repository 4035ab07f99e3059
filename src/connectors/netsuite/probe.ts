import type {HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {parseAnswer} from '../schema.js'
import * as schemas from './schemas.js'

/** Asks the account's record API for a path (`/customer` is asked for one record); null on a 404 when `notFound`. */
type RecordGet = (path: string, notFound: boolean) => Promise<HttpResponse | null>

/** What doctor shows of a NetSuite account: the login checked on one customer page, which every account has. */
export async function probeAccount(
  settings: {accountId: string; auth: {kind: string}; concurrency: number},
  get: RecordGet,
): Promise<{details: Record<string, string>; serverDate: string | null}> {
  const check = (await get('/customer', false)) as HttpResponse
  const company = await companyName(get)
  const date = check.headers.date
  return {
    details: {
      account: settings.accountId,
      api: 'REST record v1, SuiteQL',
      auth: settings.auth.kind === 'tba' ? 'token-based (OAuth 1.0a, HMAC-SHA256)' : 'OAuth 2.0 client credentials',
      company,
      concurrency: String(settings.concurrency),
    },
    serverDate: typeof date === 'string' ? date : null,
  }
}

/**
 * The company's name from the top subsidiary (id 1), which only a OneWorld account has: on any other the
 * record type is missing (a 400 or 404), which is no fault of the connection. A refused login still is.
 */
async function companyName(get: RecordGet): Promise<string> {
  const unknown = 'not read (no subsidiary record: not a OneWorld account)'
  try {
    const response = await get('/subsidiary/1', true)
    const subsidiary = response ? parseAnswer(schemas.subsidiary, response.body, 'netsuite', 'the subsidiary') : null
    return subsidiary?.legalName ?? subsidiary?.name ?? unknown
  } catch (error) {
    if (error instanceof RequestProblem && error.problem.kind === 'http-error') return unknown
    throw error
  }
}
