import {createServer, type Server} from 'node:net'
import type {AddressInfo} from 'node:net'

import {describe, expect, it} from 'vitest'

import {listenAgain} from '../../src/emulation/listen-again.js'

const listenOn = (server: Server, port: number) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })

describe('a sandbox server listening again on its port after a down fault', () => {
  it('waits while something else holds the port, then listens on that same port', async () => {
    const holder = createServer()
    await listenOn(holder, 0)
    const {port} = holder.address() as AddressInfo
    const release = setTimeout(() => holder.close(), 300)
    const server = createServer()
    try {
      await listenAgain(() => listenOn(server, port), port, {intervalMs: 50, patienceMs: 10_000})
      expect((server.address() as AddressInfo).port).toBe(port)
    } finally {
      clearTimeout(release)
      server.close()
      holder.close()
    }
  })

  it('gives up with an error naming the port (never an uncaught error event) when the port stays taken', async () => {
    const holder = createServer()
    await listenOn(holder, 0)
    const {port} = holder.address() as AddressInfo
    try {
      await expect(
        listenAgain(() => listenOn(createServer(), port), port, {intervalMs: 20, patienceMs: 100}),
      ).rejects.toThrow(`could not listen again on 127.0.0.1:${port}`)
    } finally {
      holder.close()
    }
  })
})
