import {createRequire} from 'node:module'
import type {Agent, Dispatcher, errors} from 'undici'

/*
 * undici's index loads every part it has (fetch, WebSocket, the mock agents, the caches, the interceptors): about a
 * hundred modules, a tenth of a trace's CPU. A run needs its Agent, `request` and its error classes: these are
 * required by their own paths, the very files the index loads (so `instanceof` holds for an error from any
 * dispatcher, a test's MockAgent too), and only when the run's HTTP client is first built or fails.
 */
const require = createRequire(import.meta.url)

type RequestOn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>

export function newAgent(options: Agent.Options): Dispatcher {
  const AgentClass: typeof Agent = require('undici/lib/dispatcher/agent.js')
  return new AgentClass(options)
}

/** `dispatcher.request(options)`: the index adds `request` to every dispatcher's prototype; this asks it without. */
export function requestOn(
  dispatcher: Dispatcher,
  options: Dispatcher.RequestOptions,
): Promise<Dispatcher.ResponseData> {
  const request: RequestOn = require('undici/lib/api/api-request.js')
  return request.call(dispatcher, options)
}

export function undiciErrors(): typeof errors {
  return require('undici/lib/core/errors.js')
}
