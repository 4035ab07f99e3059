import {createServer, type Server, type Socket} from 'node:net'
import type {AddressInfo} from 'node:net'

/**
 * Hostile file servers for the battery:
 * - a trickler: accepts the connection and sends its greeting one byte a second, forever (FTP, FTPS and
 *   SFTP clients alike wait for it);
 * - a PASV bouncer: a small plain FTP server whose PASV answer names another address (127.0.0.2); a
 *   client must open the data connection to the control connection's host instead.
 */
export interface Trickler {
  port: number
  connections: number
  close(): Promise<void>
}

export async function startTrickler(): Promise<Trickler> {
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const state = {connections: 0}
  const server = createServer((socket) => {
    state.connections++
    sockets.add(socket)
    socket.on('error', () => undefined)
    const text = '220-Welcome, this greeting takes its time '.repeat(50)
    let index = 0
    const timer = setInterval(() => {
      if (socket.destroyed) return clearInterval(timer)
      socket.write(text[index++ % text.length] as string)
    }, 1000)
    timers.add(timer)
    socket.on('close', () => clearInterval(timer))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    close: async () => {
      for (const timer of timers) clearInterval(timer)
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    get connections() {
      return state.connections
    },
    port: (server.address() as AddressInfo).port,
  }
}

export interface Bouncer {
  port: number
  /** Connections that reached the other address: must stay 0. */
  bounced: number
  /** Data connections to the control host (where the client should go). */
  dataConnections: number
  close(): Promise<void>
}

async function listen(server: Server, host: string, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return (server.address() as AddressInfo).port
}

export async function startPasvBouncer(files: Record<string, string>): Promise<Bouncer> {
  const state = {bounced: 0, dataConnections: 0}
  const other = createServer((socket) => {
    state.bounced++
    socket.destroy()
  })
  // The same port on the control host and on the other address: only where the client connects differs.
  let dataPort = 0
  const waiting: Array<(socket: Socket) => void> = []
  const data = createServer((socket) => {
    state.dataConnections++
    socket.on('error', () => undefined)
    const next = waiting.shift()
    if (next) next(socket)
    else socket.destroy()
  })
  for (let attempt = 0; attempt < 10; attempt++) {
    dataPort = await listen(other, '127.0.0.2')
    try {
      await listen(data, '127.0.0.1', dataPort)
      break
    } catch {
      await new Promise<void>((resolve) => other.close(() => resolve()))
    }
  }
  const controls = new Set<Socket>()
  const control = createServer((socket) => {
    controls.add(socket)
    socket.on('error', () => undefined)
    socket.write('220 hostile ftp\r\n')
    let buffer = ''
    let pendingData: Promise<Socket> | null = null
    const reply = (line: string) => socket.write(`${line}\r\n`)
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1')
      for (;;) {
        const end = buffer.indexOf('\r\n')
        if (end === -1) break
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const [command = '', ...rest] = line.split(' ')
        const argument = rest.join(' ')
        const name = argument.split('/').pop() ?? ''
        switch (command.toUpperCase()) {
          case 'USER':
            reply('331 password please')
            break
          case 'PASS':
            reply('230 logged in')
            break
          case 'FEAT':
            reply('211 no features')
            break
          case 'EPSV':
            reply('502 EPSV not implemented')
            break
          case 'PASV':
            pendingData = new Promise<Socket>((resolve) => waiting.push(resolve))
            reply(`227 Entering Passive Mode (127,0,0,2,${dataPort >> 8},${dataPort & 255})`)
            break
          case 'SIZE':
            if (files[name] === undefined) reply('550 no such file')
            else reply(`213 ${Buffer.byteLength(files[name] as string)}`)
            break
          case 'MDTM':
            reply(files[name] === undefined ? '550 no such file' : '213 20261120101010')
            break
          case 'RETR':
          case 'LIST':
          case 'MLSD': {
            const content = command.toUpperCase() === 'RETR' ? files[name] : ''
            if (content === undefined || !pendingData) {
              reply('550 no such file')
              break
            }
            const dataSocket = pendingData
            pendingData = null
            reply('150 here it comes')
            void dataSocket.then((socketForData) =>
              socketForData.end(content, () => setTimeout(() => reply('226 done'), 20)),
            )
            break
          }
          case 'QUIT':
            reply('221 bye')
            socket.end()
            break
          default:
            reply('200 ok')
        }
      }
    })
  })
  const port = await listen(control, '127.0.0.1')
  return {
    get bounced() {
      return state.bounced
    },
    close: async () => {
      for (const socket of controls) socket.destroy()
      await Promise.all(
        [control, data, other].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      )
    },
    get dataConnections() {
      return state.dataConnections
    },
    port,
  }
}
