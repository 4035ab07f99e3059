import {randomUUID} from 'node:crypto'

import {ODataSyntaxError, parseFilter} from '../../../emulation/odata-filter.js'
import {json, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'
import type {Json} from './emulator-state.js'

/** `{"ErrorCode", "DeveloperErrorMessage", "ErrorId"}`, eAccounting's error body. */
export function apiError(status: number, code: number, message: string): SandboxResponse {
  return json(status, {DeveloperErrorMessage: message, ErrorCode: code, ErrorId: randomUUID()})
}

/**
 * `Meta`/`Data` paging: `$page` from 1, `$pagesize` 1–1000 (default 50), limited to the company's
 * `maxPageSize`; `PageSize` and `TotalNumberOfPages` count at the size applied.
 */
export function paginated(request: SandboxRequest, entries: Json[], maxPageSize: number): SandboxResponse {
  const asked = Number(request.query.get('$pagesize') ?? 50)
  const page = Number(request.query.get('$page') ?? 1)
  if (!Number.isInteger(asked) || asked < 1 || asked > 1000)
    return apiError(400, 2000, `The value of $pagesize must be between 1 and 1000.`)
  if (!Number.isInteger(page) || page < 1) return apiError(400, 2000, `The value of $page must be 1 or more.`)
  const size = Math.min(asked, maxPageSize)
  return json(200, {
    Data: entries.slice((page - 1) * size, page * size),
    Meta: {
      CurrentPage: page,
      PageSize: size,
      ServerTimeUtc: new Date().toISOString(),
      TotalNumberOfPages: Math.ceil(entries.length / size),
      TotalNumberOfResults: entries.length,
    },
  })
}

export function filtered(request: SandboxRequest, entries: Json[]): Json[] | SandboxResponse {
  const filter = request.query.get('$filter')
  if (!filter) return entries
  try {
    const predicate = parseFilter(filter)
    return entries.filter(predicate)
  } catch (error) {
    if (error instanceof ODataSyntaxError) return apiError(400, 2000, `Invalid $filter: ${error.message}`)
    throw error
  }
}
