/**
 * HTTP and WebSocket at the byte level, for tests that send what a browser never would: a raw
 * request, a hand-made upgrade, hand-made frames (unmasked, reserved bits, lying lengths).
 */
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';

/** Send bytes, read until the server closes or `ms` pass; the response text (latin1). */
export function rawExchange(port: number, bytes: Buffer | string, ms = 1000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => socket.write(bytes));
  });
}

export function statusOf(response: string): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(response);
  return m ? Number(m[1]) : 0;
}

export interface WsFrame {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload: Buffer;
  /** Clients must mask; false sends it bare (a protocol error). */
  mask?: boolean;
  /** Claim this length instead of the payload's. */
  length?: number;
}

export function encodeFrame(f: WsFrame): Buffer {
  const length = f.length ?? f.payload.length;
  const mask = f.mask ?? true;
  const head: number[] = [((f.fin ?? true) ? 0x80 : 0) | ((f.rsv ?? 0) << 4) | (f.opcode & 0x0f)];
  const m = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126) head.push(m | length);
  else if (length < 65536) {
    head.push(m | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
  } else {
    head.push(m | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(length));
  }
  const key = mask ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(f.payload);
  if (mask) for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

export const textFrame = (text: string): Buffer => encodeFrame({ opcode: 1, payload: Buffer.from(text) });

export function upgradeRequest(host: string, target: string, origin: string | undefined, extra: Record<string, string> = {}): string {
  const headers: Record<string, string> = {
    Host: host,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...(origin !== undefined ? { Origin: origin } : {}),
    ...extra,
  };
  return `GET ${target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
}

/** An open WebSocket made by hand: write frames to it, read what comes back. */
export interface RawSocket {
  socket: net.Socket;
  /** Everything received after the 101 response. */
  received(): Buffer;
  closed: Promise<void>;
}

export function openRawSocket(port: number, host: string, target: string, origin: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let upgraded = false;
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => undefined);
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (upgraded) return;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      if (statusOf(head) !== 101) {
        socket.destroy();
        reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
        return;
      }
      upgraded = true;
      buf = buf.subarray(end + 4);
      resolve({ socket, received: () => buf, closed });
    });
    socket.on('connect', () => socket.write(upgradeRequest(host, target, origin)));
    socket.once('close', () => {
      if (!upgraded) reject(new Error('closed before the upgrade'));
    });
  });
}

/** The close code in the first close frame the server sent, if any. */
export function closeCodeIn(data: Buffer): number | undefined {
  let i = 0;
  while (i + 2 <= data.length) {
    const opcode = data[i]! & 0x0f;
    let len = data[i + 1]! & 0x7f;
    let at = i + 2;
    if (len === 126) {
      len = data.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      len = Number(data.readBigUInt64BE(at));
      at += 8;
    }
    if (opcode === 8) return len >= 2 ? data.readUInt16BE(at) : 1005;
    i = at + len;
  }
  return undefined;
}
