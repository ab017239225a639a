/**
 * `logpool serve`: the app's renderer in a browser, against the same main-process logic. Listens
 * on 127.0.0.1 only, on a random port; the API (a WebSocket) and the downloads need the
 * per-session token that is in the URL it prints; the WebSocket also checks the page's Origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppEvent, ExportOutcome } from '../../shared/app-contract';
import { AppController, type ExportSink } from '../main/app-controller';
import { memoryStore, type RecentFolderStore } from '../main/recent-folders';
import { CONTENT_SECURITY_POLICY } from '../main/content-security-policy';
import { procCpuSampler } from '../main/process-cpu';

export interface ServeOptions {
  rendererDir: string;
  sampleFolder: string;
  version: string;
  preselectedFolder?: string;
  port?: number;
  recent?: RecentFolderStore;
}

export interface ServeHost {
  url: string;
  token: string;
  controller: AppController;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export async function startServeHost(options: ServeOptions): Promise<ServeHost> {
  const token = randomBytes(24).toString('hex');
  const sockets = new Set<WebSocket>();
  const downloads = new Map<string, { file: string; fileName: string }>();
  const downloadDir = await fsp.mkdtemp(path.join(tmpdir(), 'logpool-serve-'));
  let origin = '';

  const tokenOk = (given: string | null): boolean => {
    if (!given || given.length !== token.length) return false;
    return timingSafeEqual(Buffer.from(given), Buffer.from(token));
  };

  const exports: ExportSink = {
    async deliver(fileName, _format, write): Promise<ExportOutcome> {
      const id = randomBytes(12).toString('hex');
      const file = path.join(downloadDir, `${id}-${fileName}`);
      await write(file);
      downloads.set(id, { file, fileName });
      return { kind: 'download', url: `/download/${id}?token=${token}`, fileName };
    },
  };

  const cpu = procCpuSampler();
  const controller = new AppController({
    emit: (event: AppEvent) => {
      const text = JSON.stringify({ event });
      for (const ws of sockets) ws.send(text);
    },
    host: 'browser',
    version: options.version,
    cores: availableParallelism(),
    sampleFolder: options.sampleFolder,
    recent: options.recent ?? memoryStore(),
    exports,
    ...(cpu ? { cpu } : {}),
    ...(options.preselectedFolder ? { preselectedFolder: options.preselectedFolder } : {}),
  });

  const server: Server = createServer((req, res) => void serve(req, res));

  // a page elsewhere whose name was pointed at 127.0.0.1 (DNS rebinding) sends another Host
  const hostOk = (req: IncomingMessage): boolean => req.headers.host === origin.slice('http://'.length);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req)) {
      res.writeHead(421).end('misdirected request');
      return;
    }
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname.startsWith('/download/')) {
      const entry = downloads.get(url.pathname.slice('/download/'.length));
      if (!tokenOk(url.searchParams.get('token')) || !entry) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(entry.fileName)] ?? 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${entry.fileName.replace(/[^\w.-]/g, '_')}"`,
      });
      createReadStream(entry.file).pipe(res);
      return;
    }
    // the built renderer
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = path.resolve(options.rendererDir, rel);
    if (!file.startsWith(path.resolve(options.rendererDir) + path.sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await fsp.readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404).end('not found');
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 80 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/api' || !hostOk(req) || !tokenOk(url.searchParams.get('token')) || req.headers.origin !== origin) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        let message: { id?: unknown; request?: unknown };
        try {
          message = JSON.parse(String(data)) as { id?: unknown; request?: unknown };
        } catch {
          return;
        }
        if (typeof message.id !== 'number') return;
        const id = message.id;
        void controller.handle(message.request).then((response) => ws.send(JSON.stringify({ id, response })));
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    token,
    controller,
    async close() {
      await controller.dispose();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fsp.rm(downloadDir, { recursive: true, force: true });
    },
  };
}
