/**
 * `logpool serve` as an attacker and an unlucky user meet it: every request below once stopped
 * the host (or would have), and must now answer 4xx or close its socket while the host goes on
 * serving. Real processes, real sockets; the fuzz test is seeded and bounded in count and time.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import type { ApiRequest, ApiResponse, AppEvent } from '../shared/app-contract';
import { CLI, TEST_CACHE_HOME } from './support/cli';
import { tempDir } from './support/temp-dir';
import { startServe, type RunningServe } from './support/serve';
import {
  closeCodeIn, encodeFrame, openRawSocket, rawExchange, statusOf, textFrame, upgradeRequest,
} from './support/raw-http';
import { mulberry32 } from './support/log-generator';
import { defaultQuery } from '../shared/query';

const SAMPLE = path.join(__dirname, '..', '..', 'build', 'sample-logs');

interface Target {
  port: number;
  host: string;
  origin: string;
  token: string;
}

function targetOf(serve: RunningServe): Target {
  const url = new URL(serve.url);
  return { port: Number(url.port), host: url.host, origin: url.origin, token: url.searchParams.get('token')! };
}

async function answers(serve: RunningServe, t: Target): Promise<boolean> {
  if (serve.child.exitCode !== null || serve.child.signalCode !== null) return false;
  const res = await rawExchange(t.port, `GET / HTTP/1.1\r\nHost: ${t.host}\r\nConnection: close\r\n\r\n`, 3000);
  return statusOf(res) === 200;
}

const get = (t: Target, target: string, extra = ''): string => `GET ${target} HTTP/1.1\r\nHost: ${t.host}\r\n${extra}Connection: close\r\n\r\n`;

interface Api {
  request<R extends ApiRequest>(r: R): Promise<ApiResponse<R>>;
  events: AppEvent[];
  ws: WebSocket;
}

function connect(t: Target): Promise<Api> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${t.host}/api?token=${t.token}`, { origin: t.origin });
    const pending = new Map<number, (r: unknown) => void>();
    const events: AppEvent[] = [];
    let id = 1;
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { id?: number; response?: unknown; event?: AppEvent };
      if (m.event) events.push(m.event);
      else if (m.id !== undefined) pending.get(m.id)?.(m.response);
    });
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        events,
        ws,
        request: <R extends ApiRequest>(r: R) =>
          new Promise<ApiResponse<R>>((done) => {
            const n = id++;
            pending.set(n, done as (r: unknown) => void);
            ws.send(JSON.stringify({ id: n, request: r }));
          }),
      }),
    );
  });
}

async function finishedRun(api: Api, runId: number): Promise<void> {
  while (!api.events.some((e) => e.type === 'run-finished' && e.runId === runId)) await new Promise((r) => setTimeout(r, 20));
}

const baseSettings: Omit<import('../shared/app-contract').RunSettings, 'folder'> = {
  query: { ...defaultQuery(), excludedNames: ['favicon.ico'], excludedExtensions: ['.png'] },
  top: 10, workers: 2, executor: 'process', patterns: ['*.log', '*.gz'], cache: true, follow: false,
};

test('requests that used to stop the host answer 4xx, and it goes on serving', async () => {
  const serve = await startServe();
  const t = targetOf(serve);
  try {
    const nonAscii = `é${t.token.slice(1)}`; // right length in characters, not in bytes
    const cases: Array<[string, string | Buffer, number]> = [
      ['a malformed escape (decodeURIComponent throws)', get(t, '/%ff'), 400],
      ['an escape of a NUL byte', get(t, '/index.html%00'), 400],
      ['an absolute-form target the URL constructor rejects', get(t, 'http://[zz/'), 400],
      ['a token with a non-ASCII character, on a download', get(t, `/download/abc?token=${encodeURIComponent(nonAscii)}`), 404],
      ['a token with a non-ASCII character, on the upgrade', upgradeRequest(t.host, `/api?token=${encodeURIComponent(nonAscii)}`, t.origin), 403],
      ['an upgrade to a target the URL constructor rejects', upgradeRequest(t.host, 'http://[zz/', t.origin), 403],
      ['a download that never existed', get(t, `/download/nothing?token=${t.token}`), 404],
      ['a path out of the renderer folder', get(t, '/..%2f..%2fpackage.json'), 404],
      ['a method other than GET', `DELETE / HTTP/1.1\r\nHost: ${t.host}\r\nConnection: close\r\n\r\n`, 405],
      ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400],
    ];
    for (const [what, bytes, status] of cases) {
      assert.equal(statusOf(await rawExchange(t.port, bytes)), status, what);
      assert.ok(await answers(serve, t), `still serving after ${what}`);
    }
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test('WebSocket abuse closes that socket with a code; the host and other clients go on', async () => {
  const serve = await startServe();
  const t = targetOf(serve);
  const api = `/api?token=${t.token}`;
  try {
    const bystander = await connect(t);
    const cases: Array<[string, Buffer, number | undefined]> = [
      ['an unmasked client frame', encodeFrame({ opcode: 1, payload: Buffer.from('{}'), mask: false }), 1002],
      ['reserved bits set', encodeFrame({ opcode: 1, rsv: 3, payload: Buffer.from('{}') }), 1002],
      ['an unknown opcode', encodeFrame({ opcode: 5, payload: Buffer.from('x') }), 1002],
      ['text that is not UTF-8', encodeFrame({ opcode: 1, payload: Buffer.from([0xff, 0xfe, 0x7b]) }), 1007],
      ['a message over the size limit (its header claims 17 MiB)', encodeFrame({ opcode: 1, payload: Buffer.alloc(64), length: 17 * 1024 * 1024 }), 1009],
      ['the JSON message null', textFrame('null'), 1008],
      ['a JSON array', textFrame('[1,2]'), 1008],
      ['an id that is not a number', textFrame('{"id":"1","request":{"type":"get-info"}}'), 1008],
      ['JSON that does not parse', textFrame('{"id":1,'), 1008],
      ['a binary message', encodeFrame({ opcode: 2, payload: Buffer.from('{}') }), 1003],
    ];
    for (const [what, frame, code] of cases) {
      const raw = await openRawSocket(t.port, t.host, api, t.origin);
      raw.socket.write(frame);
      await Promise.race([raw.closed, new Promise((r) => setTimeout(r, 2000))]);
      assert.ok(raw.socket.destroyed || raw.socket.readableEnded, `${what}: the socket is closed`);
      assert.equal(closeCodeIn(raw.received()), code, what);
      assert.ok(await answers(serve, t), `still serving after ${what}`);
    }
    // a request that is valid JSON but not a valid request is an error answer, not a close
    const bad = await bystander.request({ type: 'get-keys', runId: 1 } as unknown as ApiRequest);
    assert.match(String((bad as { error?: string }).error), /panel must be one of/);
    assert.equal(bystander.ws.readyState, WebSocket.OPEN, 'the other client was not disturbed');
    bystander.ws.close();
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test('connections are bounded: past 8 API sockets an upgrade is refused with 503', async () => {
  const serve = await startServe();
  const t = targetOf(serve);
  try {
    const open = await Promise.all(Array.from({ length: 8 }, () => connect(t)));
    const ninth = await rawExchange(t.port, upgradeRequest(t.host, `/api?token=${t.token}`, t.origin));
    assert.equal(statusOf(ninth), 503);
    open[0]!.ws.close();
    await new Promise((r) => setTimeout(r, 200));
    const again = await connect(t);
    assert.ok((await again.request({ type: 'get-info' })).version);
    for (const a of [...open, again]) a.ws.close();
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

function downloadDirsOf(pid: number): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith(`logpool-serve-${pid}-`)).map((n) => path.join(tmpdir(), n));
}

test('a download whose file vanished is 410; exports are removed on SIGHUP, and stale ones at the next start', async () => {
  // a folder left by a host that died: its pid is gone
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  const stale = path.join(tmpdir(), `logpool-serve-${dead}-abcDEF`);
  mkdirSync(stale, { recursive: true });
  writeFileSync(path.join(stale, 'old.csv'), 'x');
  const serve = await startServe();
  const t = targetOf(serve);
  try {
    assert.equal(existsSync(stale), false, 'the stale export folder was removed at start');
    const api = await connect(t);
    const r = await api.request({ type: 'start-run', settings: { ...baseSettings, folder: SAMPLE } });
    assert.ok('runId' in r, JSON.stringify(r));
    await finishedRun(api, r.runId);
    const csv = await api.request({ type: 'export', runId: r.runId, format: 'csv' });
    assert.equal(csv.kind, 'download');
    const url = `${t.origin}${(csv as { url: string }).url}`;
    assert.equal((await fetch(url)).status, 200);
    const [dir] = downloadDirsOf(serve.child.pid!);
    assert.ok(dir, 'the host keeps its exports in a folder of its own');
    for (const f of readdirSync(dir)) rmSync(path.join(dir, f));
    const gone = await fetch(url);
    assert.equal(gone.status, 410);
    assert.match(await gone.text(), /export again/);
    assert.ok(await answers(serve, t));
    api.ws.close();
    const exited = new Promise<number | null>((resolve) => serve.child.once('exit', (code) => resolve(code)));
    serve.child.kill('SIGHUP');
    assert.equal(await exited, 0);
    assert.equal(existsSync(dir), false, 'SIGHUP removed the exports');
  } finally {
    rmSync(stale, { recursive: true, force: true });
    await serve.stop();
  }
});

test('a port in use is a clear message and exit 1, not a stack trace', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CACHE_HOME: TEST_CACHE_HOME, XDG_STATE_HOME: tempDir('logpool-state-') } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(downloadDirsOf(child.pid!), [], 'no export folder left behind');
  } finally {
    blocker.close();
  }
});

// --- the fuzz test --------------------------------------------------------------------------

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

function randomBytesOf(r: Rand, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = int(r, 256);
  return b;
}

function randomTarget(r: Rand, t: Target): string {
  const pieces = ['/', '/api', '/download/', '/index.html', '/assets/', '%ff', '%', '%2f..', '..', '?token=', t.token, 'é', '\u00ff', '[', ']', '#', '//', 'http://[zz/', 'http://127.0.0.1/', '*', ' ', '\t', '%00', 'a'.repeat(int(r, 3) === 0 ? 9000 : 5)];
  let s = int(r, 4) === 0 ? '' : '/';
  for (let i = int(r, 6); i >= 0; i--) s += pick(r, pieces);
  return s;
}

function fuzzHttp(r: Rand, t: Target): Buffer {
  const kind = int(r, 6);
  if (kind === 0) return randomBytesOf(r, 1 + int(r, 300));
  const method = pick(r, ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'G\0T', 'get', 'CONNECT', '']);
  const version = pick(r, ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', '', 'HTTP/1.1 extra']);
  const headers: string[] = [];
  const hostHeader = pick(r, [t.host, t.host, 'evil.example', '', `${t.host}\0`, 'é']);
  if (int(r, 5) !== 0) headers.push(`Host: ${hostHeader}`);
  if (int(r, 3) === 0) headers.push(`Host: ${t.host}`);
  for (let i = int(r, 4); i > 0; i--) headers.push(pick(r, ['Content-Length: 5', 'Content-Length: -1', 'Content-Length: 99999999999', 'Transfer-Encoding: chunked', 'Transfer-Encoding: gzip, chunked', `X-Long: ${'x'.repeat(int(r, 2) ? 100 : 20000)}`, 'Bad Header: x', ': empty', 'Cookie: \u00ff', 'Expect: 100-continue', 'Range: bytes=99-1']));
  const body = int(r, 3) === 0 ? randomBytesOf(r, int(r, 64)) : Buffer.alloc(0);
  const head = `${method} ${randomTarget(r, t)} ${version}\r\n${headers.join('\r\n')}\r\n\r\n`;
  const bytes = Buffer.concat([Buffer.from(head, int(r, 2) ? 'utf8' : 'latin1'), body]);
  return kind === 1 ? bytes.subarray(0, int(r, bytes.length + 1)) : bytes; // cut short
}

function fuzzUpgrade(r: Rand, t: Target): string {
  const token = pick(r, [t.token, t.token, '', 'x', `é${t.token.slice(1)}`, `${t.token}%ff`, '%ff']);
  const target = pick(r, [`/api?token=${token}`, `/api?token=${token}&token=x`, randomTarget(r, t), `/api/?token=${token}`]);
  const extra: Record<string, string> = {};
  if (int(r, 3) === 0) extra['Sec-WebSocket-Version'] = pick(r, ['8', 'x', '', '13, 8']);
  if (int(r, 3) === 0) extra['Sec-WebSocket-Key'] = pick(r, ['', 'short', 'é'.repeat(24), '!!!!!!!!!!!!!!!!!!!!!!==']);
  if (int(r, 3) === 0) extra['Sec-WebSocket-Extensions'] = pick(r, ['permessage-deflate; server_max_window_bits=99', 'permessage-deflate; x', ';;;', 'permessage-deflate; client_max_window_bits']);
  if (int(r, 4) === 0) extra['Sec-WebSocket-Protocol'] = pick(r, [',', 'a b', '\u00ff']);
  const origin = pick(r, [t.origin, t.origin, undefined, 'http://evil.example', 'null']);
  return upgradeRequest(pick(r, [t.host, t.host, 'evil.example']), target, origin, extra);
}

function randomJson(r: Rand, depth: number): unknown {
  switch (int(r, depth > 3 ? 5 : 8)) {
    case 0: return null;
    case 1: return pick(r, [0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31]);
    case 2: return pick(r, ['', 'x', 'é', '\u0000', '/etc', 'relative', '\ud800', 'a'.repeat(5000)]);
    case 3: return pick(r, [true, false]);
    case 4: return pick(r, ['get-info', 'start-run', 'cancel-run', 'get-keys', 'export', 'export-image', 'choose-folder', '__proto__', 'constructor']);
    case 5: return Array.from({ length: int(r, 4) }, () => randomJson(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = int(r, 5); i >= 0; i--) o[pick(r, ['type', 'runId', 'offset', 'limit', 'settings', 'format', 'data', 'folder', 'workers', 'patterns', '__proto__', 'id', 'request'])] = randomJson(r, depth + 1);
      return o;
    }
  }
}

function fuzzRequest(r: Rand, runId: number): unknown {
  const choices: unknown[] = [
    randomJson(r, 0),
    { type: 'get-info' },
    { type: 'start-run', settings: { ...baseSettings, folder: SAMPLE, workers: pick(r, [1, 2, 9, 64, 0]) } },
    { type: 'start-run', settings: { ...baseSettings, folder: pick(r, ['sample-logs', '/nonexistent', SAMPLE, '/proc/self']) } },
    { type: 'cancel-run', runId },
    { type: 'get-keys', runId, panel: pick(r, ['paths', 'days', 'nope', undefined]), offset: pick(r, [0, 5, 1e12, -1]), limit: pick(r, [1, 100_000, 100_001, 0.5]) },
    { type: 'export', runId, format: pick(r, ['csv', 'json', 'xlsx']) },
    { type: 'export-image', runId, panel: 'paths', format: 'svg', data: pick(r, ['<svg/>', 'x', '<svg>'.padEnd(2000, 'x')]) },
  ];
  return pick(r, choices);
}

function fuzzFrames(r: Rand, runId: number): Buffer[] {
  const kind = int(r, 4);
  if (kind === 0) {
    // a hostile frame
    const opcode = pick(r, [0, 1, 2, 3, 8, 9, 10, 11, 15]);
    const payload = randomBytesOf(r, int(r, 200));
    return [encodeFrame({
      opcode,
      payload,
      fin: int(r, 4) !== 0,
      rsv: int(r, 6) === 0 ? int(r, 8) : 0,
      mask: int(r, 8) !== 0,
      ...(int(r, 6) === 0 ? { length: pick(r, [126, 65536, 2 ** 40, 17 * 1024 * 1024]) } : {}),
    })];
  }
  if (kind === 1) return [randomBytesOf(r, 1 + int(r, 50))];
  // a well-formed message, any content
  const id = pick(r, [1, 2, -1, 1.5, '1', null, Number.MAX_SAFE_INTEGER]);
  const message = int(r, 5) === 0 ? randomJson(r, 0) : { id, request: fuzzRequest(r, runId) };
  const text = int(r, 10) === 0 ? JSON.stringify(message).slice(0, -1) : JSON.stringify(message);
  return [textFrame(text ?? 'null')];
}

test('fuzz: thousands of malformed requests, upgrades, frames and messages; the host answers after each', async (t) => {
  const seed = Number(process.env.LOGPOOL_FUZZ_SEED ?? 20261122);
  const r = mulberry32(seed); // the same seed gives the same hostile inputs
  const serve = await startServe();
  const target = targetOf(serve);
  let stderr = '';
  serve.child.stderr.on('data', (d) => (stderr += d));
  const deadline = Date.now() + Number(process.env.LOGPOOL_FUZZ_MS ?? 25_000);
  const counts = { http: 0, upgrade: 0, frames: 0 };
  let cases = 0;
  const api = await connect(target);
  try {
    const run = await api.request({ type: 'start-run', settings: { ...baseSettings, folder: SAMPLE } });
    const runId = 'runId' in run ? run.runId : 1;
    for (; cases < 4000 && Date.now() < deadline; cases++) {
      const family = int(r, 3);
      if (family === 0) {
        counts.http++;
        await rawExchange(target.port, fuzzHttp(r, target), 300);
      } else if (family === 1) {
        counts.upgrade++;
        await rawExchange(target.port, fuzzUpgrade(r, target), 300);
      } else {
        counts.frames++;
        let raw;
        try {
          raw = await openRawSocket(target.port, target.host, `/api?token=${target.token}`, target.origin);
        } catch (e) {
          assert.fail(`case ${cases}: a good upgrade was refused: ${(e as Error).message}`);
        }
        for (let n = 1 + int(r, 4); n > 0; n--) for (const frame of fuzzFrames(r, runId)) raw.socket.write(frame);
        await Promise.race([raw.closed, new Promise((res) => setTimeout(res, 30))]);
        raw.socket.destroy();
      }
      if (!(await answers(serve, target))) assert.fail(`case ${cases} (seed ${seed}) stopped the host:\n${stderr.slice(-2000)}`);
    }
    // and the API still works for a well-behaved client
    const info = await api.request({ type: 'get-info' });
    assert.ok(info.version);
  } finally {
    api.ws.close();
    const code = await serve.stop();
    t.diagnostic(`seed ${seed}: ${cases} hostile inputs (${counts.http} HTTP requests, ${counts.upgrade} upgrades, ${counts.frames} WebSocket sessions); host crashes: ${code === 0 ? 0 : 1}`);
    assert.equal(code, 0, `the host ended cleanly:\n${stderr.slice(-2000)}`);
  }
  assert.ok(cases >= 1000, `${cases} cases ran in the time allowed`);
  assert.doesNotMatch(stderr, /Unhandled|TypeError|RangeError|\n\s+at /, 'nothing was thrown and printed');
});
