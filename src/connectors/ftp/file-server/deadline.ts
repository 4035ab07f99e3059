import type {Readable} from 'node:stream'

import {RequestProblem} from '../../../http/problem.js'
import type {FileServerLocation} from '../location.js'
import {where} from './problem.js'

/**
 * One deadline for a whole file-server session, from connect to the last byte: a server that trickles
 * (or never answers) cannot hold a trace beyond --timeout. When it passes (or Ctrl-C aborts), the
 * connection is closed and every open transfer ends with the timeout as its error.
 */
export class SessionDeadline {
  readonly controller = new AbortController()
  private readonly timer: NodeJS.Timeout
  private readonly streams = new Set<Readable>()
  private onExpire: () => void = () => undefined
  /** Stops listening to the run's signal: a run opens many sessions (a fix loop traces again and again). */
  private unlisten: () => void = () => undefined

  constructor(
    location: FileServerLocation,
    readonly timeoutMs: number,
    signal?: AbortSignal,
  ) {
    const timedOut = () =>
      new RequestProblem({
        kind: 'timeout',
        message: `${where(location)}: no complete answer within ${Math.round(timeoutMs / 100) / 10} s`,
      })
    this.timer = setTimeout(() => this.expire(timedOut()), timeoutMs)
    this.timer.unref()
    // Nothing left of the run's deadline (a session asked for after it passed): expired before it connects.
    if (timeoutMs <= 1) this.expire(timedOut())
    if (signal) {
      const onAbort = () => this.expire(signal.reason)
      if (signal.aborted) this.expire(signal.reason)
      else {
        signal.addEventListener('abort', onAbort, {once: true})
        this.unlisten = () => signal.removeEventListener('abort', onAbort)
      }
    }
  }

  get expired(): boolean {
    return this.controller.signal.aborted
  }

  get reason(): unknown {
    return this.controller.signal.reason
  }

  /** What to do to the connection when the deadline passes. */
  whenExpired(close: () => void): void {
    this.onExpire = close
    if (this.expired) close()
  }

  private expire(reason: unknown): void {
    if (this.expired) return
    this.controller.abort(reason)
    for (const stream of this.streams) stream.destroy(reason instanceof Error ? reason : new Error(String(reason)))
    this.streams.clear()
    this.onExpire()
  }

  /** The work, or the deadline's error if it passes first. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.expired) {
      work.catch(() => undefined)
      return Promise.reject(this.reason)
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.reason)
      this.controller.signal.addEventListener('abort', onAbort, {once: true})
      work.then(
        (value) => {
          this.controller.signal.removeEventListener('abort', onAbort)
          resolve(value)
        },
        (error: unknown) => {
          this.controller.signal.removeEventListener('abort', onAbort)
          reject(this.expired ? this.reason : error)
        },
      )
    })
  }

  track<S extends Readable>(stream: S): S {
    if (this.expired) {
      stream.destroy(this.reason as Error)
      return stream
    }
    this.streams.add(stream)
    stream.once('close', () => this.streams.delete(stream))
    return stream
  }

  /** Our own close: open transfers end quietly (their reader has stopped), then the timer stops. */
  end(): void {
    clearTimeout(this.timer)
    this.unlisten()
    for (const stream of this.streams) stream.destroy()
    this.streams.clear()
  }
}
