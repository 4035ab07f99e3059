import type {Readable} from 'node:stream'

export interface FileServerCredentials {
  user: string
  password: string
  /** PEM of the CA (or the self-signed certificate) that FTPS must present. */
  caCert?: string
  /** SHA-256 of the SFTP host key, base64 as `ssh-keygen -l` shows it (without the `SHA256:` prefix). */
  hostKeySha256?: string
}

export interface FileInfo {
  name: string
  size: number
  modifiedAt: Date | null
  isDirectory: boolean
}

/** The few operations synctrace needs from FTP, FTPS and SFTP alike. */
export interface FileServer {
  /** Null when the file does not exist. */
  stat(path: string): Promise<FileInfo | null>
  /** A stream of the file's bytes; destroying it stops the transfer. */
  read(path: string): Promise<Readable>
  list(path: string): Promise<FileInfo[]>
  close(): Promise<void>
}
