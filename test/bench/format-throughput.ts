/**
 * How fast each format is read (analysis-semantics.md §12): the same requests written as
 * combined, vhost_combined, Caddy, Traefik and nginx JSON lines and an Apache format of the
 * user's, each read in this process by one LineAnalyzer (every default panel), as lines/s and
 * MB/s of text. Reading only: no decompression, no pool.
 */
import { defaultQuery, type Query } from '../../shared/query';
import { LineAnalyzer } from '../../electron/worker/parse/line-analyzer';
import { planQuery } from '../../electron/worker/parse/query-plan';
import { mulberry32 } from '../support/log-generator';

const LINES = 200_000;
const ROUNDS = 3;
const USER = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Request { host: string; at: number; path: string; status: number; size: number; ua: string }

function requests(n: number): Request[] {
  const rnd = mulberry32(5);
  const paths = Array.from({ length: 2000 }, (_, i) => `/book/${['fp', 'web', 'db'][i % 3]}/ch${i}.html${i % 7 === 0 ? '?q=1' : ''}`);
  return Array.from({ length: n }, (_, i) => ({
    host: `10.${(i * 7) % 256}.${(i * 13) % 256}.${i % 250}`,
    at: Date.UTC(2023, 10, 14) + i * 997,
    path: paths[Math.floor(rnd() * paths.length)]!,
    status: rnd() < 0.9 ? 200 : 404,
    size: Math.floor(rnd() * 20000),
    ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  }));
}

function clf(ms: number): string {
  const d = new Date(ms);
  const p = (x: number): string => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const combined = (r: Request): string => `${r.host} - - [${clf(r.at)}] "GET ${r.path} HTTP/1.1" ${r.status} ${r.size} "https://example.com/" "${r.ua}"`;
const caddy = (r: Request): string => JSON.stringify({ level: 'info', ts: r.at / 1000, logger: 'http.log.access', msg: 'handled request', request: { remote_ip: r.host, client_ip: r.host, proto: 'HTTP/2.0', method: 'GET', host: 'example.com', uri: r.path, headers: { 'User-Agent': [r.ua], Referer: ['https://example.com/'] } }, duration: 0.0012, size: r.size, status: r.status });
const FORMATS: Array<{ name: string; line: (r: Request) => string; query?: Partial<Query>; js?: boolean }> = [
  { name: 'combined (WebAssembly reader)', line: combined },
  { name: 'combined (JavaScript reader)', line: combined, js: true },
  { name: 'vhost_combined (WebAssembly)', line: (r) => `www.example.com:443 ${combined(r)}` },
  { name: 'json-caddy (WebAssembly walk)', line: caddy },
  { name: 'json-caddy (JavaScript reader)', line: caddy, js: true },
  { name: 'json-traefik', line: (r) => JSON.stringify({ ClientHost: r.host, StartUTC: new Date(r.at).toISOString(), RequestMethod: 'GET', RequestPath: r.path, RequestProtocol: 'HTTP/1.1', RequestHost: 'example.com', DownstreamStatus: r.status, DownstreamContentSize: r.size, Duration: 1200000, RouterName: 'web@docker', 'request_User-Agent': r.ua }) },
  { name: 'json-nginx', line: (r) => JSON.stringify({ time_iso8601: new Date(r.at).toISOString().replace('.000Z', '+00:00'), remote_addr: r.host, request: `GET ${r.path} HTTP/1.1`, status: String(r.status), body_bytes_sent: String(r.size), http_referer: 'https://example.com/', http_user_agent: r.ua, host: 'example.com' }) },
  { name: `user format (${USER.slice(0, 18)}…)`, line: (r) => `${combined(r)} 1234`, query: { logFormats: [USER] } },
];

export function formatThroughput(log: (s: string) => void): string[] {
  const reqs = requests(LINES);
  const out: string[] = [];
  for (const f of FORMATS) {
    const text = Buffer.from(`${reqs.map(f.line).join('\n')}\n`);
    const query: Query = { ...defaultQuery(), ...f.query };
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const analyzer = new LineAnalyzer(planQuery(query), { blockReader: !f.js });
      const t0 = performance.now();
      analyzer.lines(text, 0, text.length);
      analyzer.result();
      times.push(performance.now() - t0);
      if (analyzer.stats.parsed !== LINES) throw new Error(`${f.name}: ${analyzer.stats.parsed} of ${LINES} lines parsed`);
    }
    const ms = times.sort((a, b) => a - b)[1]!;
    const row = `  ${f.name.padEnd(34)} ${((LINES / ms) * 1000 / 1e6).toFixed(2)} M lines/s, ${(text.length / 1e6 / (ms / 1000)).toFixed(0)} MB/s of text`;
    log(row);
    out.push(row);
  }
  return out;
}
