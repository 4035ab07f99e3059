/**
 * The streams of one run, as gh's IOStreams: the terminal's, or a test's captured ones. Everything synctrace
 * prints goes through the output boundary (`Output`, src/util/output.ts) onto these.
 */
export interface OutStream {
  write(chunk: string): unknown
  isTTY?: boolean
  columns?: number
}

export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean
}

export interface IOStreams {
  stdout: OutStream
  stderr: OutStream
  stdin: InStream
}
