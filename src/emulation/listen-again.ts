/**
 * Listening again on the port a sandbox server had before a `down` fault: while it was closed, the kernel may
 * have handed the port to an outgoing connection (an ephemeral port) or another sandbox's server. The port is
 * in the installation's profile, so the server waits for it instead of moving: it tries again every
 * `intervalMs` while the port is in use, for at most `patienceMs`, then fails with a clear error (never an
 * uncaught 'error' event that ends the process).
 */
export async function listenAgain<T>(
  start: () => Promise<T>,
  port: number,
  options: {patienceMs?: number; intervalMs?: number} = {},
): Promise<T> {
  const patienceMs = options.patienceMs ?? 30_000
  const intervalMs = options.intervalMs ?? 100
  const giveUpAt = Date.now() + patienceMs
  for (;;) {
    try {
      return await start()
    } catch (error) {
      if ((error as {code?: string}).code !== 'EADDRINUSE' || Date.now() + intervalMs > giveUpAt)
        throw new Error(
          `the sandbox could not listen again on 127.0.0.1:${port} after a down fault: ${(error as Error).message}`,
        )
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  }
}
