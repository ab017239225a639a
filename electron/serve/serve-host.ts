/**
 * `logpool serve`: the app's renderer in a browser, against the same main-process logic. Listens
 * on 127.0.0.1 only; the API (a WebSocket) and the downloads need the per-session token that is in
 * the URL it prints; the WebSocket also checks the page's Origin, and every request its Host (DNS
 * rebinding). Nothing from the network can throw out of a handler: bad input answers 4xx or closes
 * the socket with a code, and the run in progress goes on.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { availableParallelism, homedir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppEvent, ExportOutcome } from '../../shared/app-contract';
import { AppController, type ExportSink } from '../main/app-controller';
import { fileStore, memoryStore, type RecentFolderStore } from '../main/recent-folders';
import { CONTENT_SECURITY_POLICY } from '../main/content-security-policy';
import { procCpuSampler } from '../main/process-cpu';
import { DEFAULT_SOCKET_LIMITS, sendText, serveApiSocket } from './api-socket';
import { DownloadStore, removeStaleDownloadFolders, type DownloadLimits } from './download-store';
import { decodePathname, parseRequestTarget } from './request-target';
import { tokenMatcher } from './token-check';

export interface ServeOptions {
  rendererDir: string;
  sampleFolder: string;
  version: string;
  preselectedFolder?: string;
  /** Where the folder browser opens (default: the preselected folder, else the home folder). */
  browseFrom?: string;
  port?: number;
  recent?: RecentFolderStore;
  /** Keep the recent folders in this file (when `recent` is not given); in memory otherwise. */
  recentFile?: string;
  downloadLimits?: DownloadLimits;
}

export interface ServeHost {
  url: string;
  token: string;
  controller: AppController;
  close(): Promise<void>;
}

/** The listening socket could not be opened (a port in use, a port not allowed). */
export class ListenError extends Error {}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.ico': 'image/x-icon',
};

/** API connections open at once (one per tab; a few tabs are plenty). */
const MAX_SOCKETS = 8;
/** TCP connections open at once. */
const MAX_CONNECTIONS = 64;
/** The largest API message: a chart's PNG is the largest thing the renderer sends. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

function refuse(socket: Socket, status: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

export async function startServeHost(options: ServeOptions): Promise<ServeHost> {
  const token = randomBytes(24).toString('hex');
  const tokenOk = tokenMatcher(token);
  const sockets = new Set<WebSocket>();
  removeStaleDownloadFolders();
  const downloads = new DownloadStore(options.downloadLimits);
  const rendererRoot = path.resolve(options.rendererDir);
  let origin = '';

  const exportSink: ExportSink = {
    async deliver(fileName, _format, write): Promise<ExportOutcome> {
      const id = await downloads.add(fileName, write);
      return { kind: 'download', url: `/download/${id}?token=${token}`, fileName };
    },
  };

  const cpu = procCpuSampler();
  const controller = new AppController({
    emit: (event: AppEvent) => {
      const text = JSON.stringify({ event });
      for (const ws of sockets) sendText(ws, text);
    },
    host: 'browser',
    version: options.version,
    cores: availableParallelism(),
    sampleFolder: options.sampleFolder,
    recent: options.recent ?? (options.recentFile !== undefined ? fileStore(options.recentFile) : memoryStore()),
    exports: exportSink,
    ...(cpu ? { cpu } : {}),
    ...(options.preselectedFolder ? { preselectedFolder: options.preselectedFolder } : {}),
    browseFrom: options.browseFrom ?? options.preselectedFolder ?? homedir(),
  });

  // a page elsewhere whose name was pointed at 127.0.0.1 (DNS rebinding) sends another Host
  const hostOk = (req: IncomingMessage): boolean => origin !== '' && req.headers.host === origin.slice('http://'.length);

  function sendDownload(req: IncomingMessage, res: ServerResponse, id: string): void {
    const entry = downloads.get(id);
    if (!entry) {
      res.writeHead(404).end();
      return;
    }
    const stream = createReadStream(entry.file);
    stream.once('error', () => {
      // the temp file is gone (removed by hand, a cleaner): say so, and forget it
      downloads.forget(id);
      if (!res.headersSent) res.writeHead(410, { 'Content-Type': 'text/plain; charset=utf-8' }).end('this export is no longer available: export again');
      else res.destroy();
    });
    stream.once('open', () => {
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(entry.fileName)] ?? 'application/octet-stream',
        'Content-Length': entry.bytes,
        'Content-Disposition': `attachment; filename="${entry.fileName.replace(/[^\w.-]/g, '_')}"`,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') {
        stream.destroy();
        res.end();
        return;
      }
      pipeline(stream, res, () => undefined);
    });
  }

  async function sendPage(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const rel = pathname === '/' ? 'index.html' : decodePathname(pathname.slice(1));
    if (rel === undefined || rel.includes('\0')) {
      res.writeHead(400).end('bad request');
      return;
    }
    const file = path.resolve(rendererRoot, rel);
    if (!file.startsWith(rendererRoot + path.sep)) {
      res.writeHead(404).end('not found');
      return;
    }
    let body: Buffer;
    try {
      body = await fsp.readFile(file);
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req)) {
      res.writeHead(421).end('misdirected request');
      return;
    }
    const target = parseRequestTarget(req.url, origin);
    if (!target) {
      res.writeHead(400).end('bad request');
      return;
    }
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (target.pathname.startsWith('/download/')) {
      if (!tokenOk(target.searchParams.get('token'))) res.writeHead(404).end();
      else sendDownload(req, res, target.pathname.slice('/download/'.length));
      return;
    }
    await sendPage(req, res, target.pathname);
  }

  const server: Server = createServer((req, res) => {
    req.on('error', () => res.destroy());
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end('internal error');
      else res.destroy();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.on('clientError', (_err, socket) => refuse(socket as Socket, '400 Bad Request'));

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // from here the socket is ours: Node no longer listens for its errors
    socket.on('error', () => socket.destroy());
    const target = parseRequestTarget(req.url, origin);
    if (!target || target.pathname !== '/api' || !hostOk(req) || !tokenOk(target.searchParams.get('token')) || req.headers.origin !== origin) {
      refuse(socket, '403 Forbidden');
      return;
    }
    if (sockets.size >= MAX_SOCKETS) {
      refuse(socket, '503 Service Unavailable');
      return;
    }
    try {
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws);
        ws.on('close', () => sockets.delete(ws));
        serveApiSocket(ws, (request) => controller.handle(request), DEFAULT_SOCKET_LIMITS);
      });
    } catch {
      refuse(socket, '400 Bad Request');
    }
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    downloads.removeAll();
    const err = e as NodeJS.ErrnoException;
    const port = options.port ?? 0;
    if (err.code === 'EADDRINUSE') throw new ListenError(`port ${port} on 127.0.0.1 is in use (choose another with --port, or leave it out for a free one)`);
    if (err.code === 'EACCES') throw new ListenError(`port ${port} is not allowed for this user (ports below 1024 need privileges)`);
    throw new ListenError(`cannot listen on 127.0.0.1:${port}: ${err.message}`);
  }
  server.on('error', () => undefined);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  // a last resort on any exit (an uncaught error included): the exports do not outlive the host
  const onExit = (): void => downloads.removeAll();
  process.on('exit', onExit);

  return {
    url: `${origin}/?token=${token}`,
    token,
    controller,
    close() {
      closing ??= (async () => {
        try {
          await controller.dispose();
        } finally {
          for (const ws of sockets) ws.terminate();
          wss.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
          downloads.removeAll();
          process.off('exit', onExit);
        }
      })();
      return closing;
    },
  };
}
