import {json, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'

type Json = Record<string, unknown>

/** Fortnox's error body: `{"ErrorInformation": {"error": 1, "message": …, "code": …}}`. */
export function fortnoxError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): SandboxResponse {
  return json(status, {ErrorInformation: {code, error: 1, message}}, headers)
}

/**
 * A list answer with `MetaInformation` paging (`page`, `limit` 1–500, default 100), the limit capped at the
 * company's `maxPageSize`; `@TotalPages` counts at the limit applied.
 */
export function list(request: SandboxRequest, name: string, entries: Json[], maxPageSize: number): SandboxResponse {
  const limit = Math.min(500, maxPageSize, Math.max(1, Number(request.query.get('limit') ?? 100) || 100))
  const page = Math.max(1, Number(request.query.get('page') ?? 1) || 1)
  const totalPages = Math.max(1, Math.ceil(entries.length / limit))
  return json(200, {
    [name]: entries.slice((page - 1) * limit, page * limit),
    MetaInformation: {'@CurrentPage': page, '@TotalPages': totalPages, '@TotalResources': entries.length},
  })
}
