import type {FileServer} from './types.js'

/** The same file server, with one --debug line per operation and its outcome. */
export function debugged(server: FileServer, name: string, debug: (line: string) => void): FileServer {
  const timed = async <T>(what: string, work: () => Promise<T>, outcome: (value: T) => string): Promise<T> => {
    const started = performance.now()
    try {
      const value = await work()
      debug(`${name}: ${what} → ${outcome(value)} in ${Math.round(performance.now() - started)} ms`)
      return value
    } catch (error) {
      debug(`${name}: ${what} → failed in ${Math.round(performance.now() - started)} ms: ${(error as Error).message}`)
      throw error
    }
  }
  return {
    close: () =>
      timed(
        'close',
        () => server.close(),
        () => 'closed',
      ),
    list: (path) =>
      timed(
        `list ${path}`,
        () => server.list(path),
        (entries) => `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`,
      ),
    read: async (path) => {
      const started = performance.now()
      const stream = await timed(
        `read ${path}`,
        () => server.read(path),
        () => 'transfer started',
      )
      // Only 'close' is listened to: a 'data' listener would start the stream flowing before its reader.
      stream.once('close', () =>
        debug(`${name}: read ${path} closed after ${Math.round(performance.now() - started)} ms`),
      )
      return stream
    },
    stat: (path) =>
      timed(
        `stat ${path}`,
        () => server.stat(path),
        (info) => (info ? `${info.size} bytes, modified ${info.modifiedAt?.toISOString() ?? 'unknown'}` : 'not there'),
      ),
  }
}
