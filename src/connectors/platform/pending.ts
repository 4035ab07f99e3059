import {parseTime} from '../../util/time.js'
import {asObject, optionalString, requiredString} from '../validate.js'
import type {PendingRequest} from './types.js'

export function toPendingRequest(body: unknown, system: string): PendingRequest {
  const request = asObject(body, system, 'the request')
  return {
    doneAt: parseTime(request.doneAt),
    requestId: requiredString(request, 'requestId', system, 'the request'),
    status: optionalString(request, 'status') ?? 'unknown',
  }
}
