/**
 * Lines in the other formats of analysis-semantics.md §12, valid and broken: JSON lines under
 * each map (Caddy, Traefik, nginx names), with every kind of value where a field belongs, every
 * time form, duplicate keys, escapes and invalid JSON; and lines in the user's formats below.
 * Checked against CPython (json.loads, fromisoformat, re) by formats-python.test.ts.
 */
import { mulberry32, LogGenerator } from './log-generator';

export const USER_FORMATS = [
  // first: the second would read its lines too (its %D matches rt=…)
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" rt=$request_time',
  '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D',
  '$host $remote_addr [$time_iso8601] "$request_method $request_uri $server_protocol" $status $bytes_sent',
  '$msec ${remote_addr} "$request" $status',
  '%v:%p %a %l %u %t "%r" %s %O %%',
];

/** A number written as this text in the JSON (JSON.stringify would round it first). */
const raw = (text: string): string => `\u0001RAW${text}`;

const ISO_TIMES = [
  '2023-11-14T22:13:20Z', '2023-11-14T22:13:20+00:00', '2023-11-14T22:13:20.123456789Z', '2023-11-14T22:13:20.1-04:00',
  '2023-11-14 22:13:20+05:30', '2023-11-14T22:13:20', '20231114T221320Z', '2023-11-14T22:13:20+0100', '2023-11-14T22:13:20+01',
  '2023-11-14T22:13:20+01:00:30', '2023-11-14T22:13:20+01:00:30.5', '2023-11-14T22:13Z', '2023-11-14T22Z', '2023-11-14Z',
  '2023-11-14T24:00:00Z', '2023-11-14T22:13:20,5Z', '2023-W46-2T22:13Z', '2020-W53-7T00:00Z', '2024-W53-7T00:00Z', '2023W462T01:02Z',
  '2023-11-14T22:13:20.Z', '2023-11-14t22:13:20z', '2023-11-14T22:13:20-24:00', '2023-11-14T22:13:20+23:59', '2023-11-14T22:13:20 +01:00',
  '2023-11-14x22:13:20Z', '2023-11-14\u00e922:13:20Z', '2023-11-14\ud80022:13:20Z', '2023-11-14\ud83d\ude0022:13:20Z',
  '2023-11-14T22:13:60Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00', '2023-11-14T221320Z', '2023-1114T22:13:20Z',
  '2023-11-14T22:13:20+01:00Z', '2023-11-14T22:13:20.123+0530', '2023-11-14T22:13:20+05:30:00.123456', ' 2023-11-14T22:13:20Z',
  '2023-11-14T22:13:20Z\u0000', '2023-11-14T22:13:20\u000001:00', '2023-11-14T03,5Z', '2023-11-14T22:13:20.12a', '2023-11-14T22:13:20+01:99',
  '2023-02-29T00:00:00Z', '2024-02-29T00:00:00Z', '2023-11-14T22:13:20.999999999-00:00:00.000001', '2023-11-14', '2023-11-14T', '',
  '2023-11-14T22:13:20+01:00:30:40', '2023-11-14T22:13:20.+01:00', '2023-11-14T22:13:20:11Z', '٢٠٢٣-11-14T22:13:20Z',
];
const EPOCHS: unknown[] = [1700000000, 1700000000.5, raw('1699999999.9999999'), '1700000000', '1700000000.25', '.5', '5.', '.', '', '1e9', '-5', -5,
  -62135596800, -62135596801, 253402300799.9, 253402300800, raw('1e400'), '1700000000.1.2', ' 1700000000', true, null, [1], { t: 1 }, 0, -0.5,
  // next to where a fraction rounds up to the next second (the reader's shortcut stops at .999)
  '1699999999.9999999', raw('1699999999.999'), '1699999999.99', raw('999999999999.9999'), '253402300799.99999999999', '0001700000000.5', raw('1699999999.998999999')];
const CLF_TIMES = ['14/Nov/2023:22:13:20 +0000', '14/Nov/2023:22:13:20 -0400', '31/Feb/2023:00:00:00 +0000', '14/nov/2023:1:2:3 +0100', '14/Nov/2023:22:13:20'];
const STATUS: unknown[] = [200, '200', 404, '0404', 200.0, '2e2', -1, '20x', '', true, null, raw('99999999999999999999'), raw('-0'), raw('2E2'), '301', 0, '٢٠٠'];
const SIZES: unknown[] = [512, '512', 0, '-', -3, 1.5, '000000000000042', '1234567890123456', 12345678, null, '12a', true];
const HOSTS: unknown[] = ['1.2.3.4', '2001:db8::1', 'h\u00e9', '', 5, null, ['x'], 'a b', '\ud800', '-'];
const URIS: unknown[] = ['/book/a', '/book/a?x=1', '/book/x;jsessionid=1', 'http://h/book/y', '//h/book/z', '/robots.txt', '/book/\u00e9', '/a\tb', '/a\nb/c', '', 3, null, ' /book/s', 'http://[::1/book'];
const METHODS: unknown[] = ['GET', 'POST', 'get', '', 1, null];
const TEXTS: unknown[] = ['Mozilla/5.0', '-', '', 'http://ref/', 'caf\u00e9', '\ud83d\ude00', '\udc00\ud800', 'a"b', 7, null];
const REQUESTS: unknown[] = ['GET /book/a HTTP/1.1', 'GET /book/a b HTTP/1.1', 'GET /x', '-', '', 'POST http://h/book/q?x HTTP/2.0', 5, null];

export function formatLines(count: number, seed: number): Buffer[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const maybe = (o: Record<string, unknown>, key: string, value: unknown, p = 0.93): void => {
    if (rnd() < p) o[key] = value;
  };
  const gen = new LogGenerator({ seed: seed + 1, malformedRate: 0.02 });
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    let text: string;
    if (r < 0.45) {
      // a JSON line under one of the maps
      const o: Record<string, unknown> = {};
      const map = pick(['caddy', 'traefik', 'nginx', 'nginx', 'none']);
      if (map === 'caddy') {
        o.level = 'info';
        maybe(o, 'ts', rnd() < 0.6 ? 1700000000 + Math.floor(rnd() * 86400 * 3) + rnd() : pick(EPOCHS));
        const request: Record<string, unknown> = {};
        maybe(request, 'remote_ip', pick(HOSTS), 0.8);
        maybe(request, 'client_ip', pick(HOSTS), 0.7);
        maybe(request, 'proto', 'HTTP/2.0');
        maybe(request, 'method', pick(METHODS));
        maybe(request, 'host', pick(['caddy.example', 'x.example:8443', '', 5]));
        maybe(request, 'uri', pick(URIS));
        maybe(request, 'headers', rnd() < 0.8 ? { 'User-Agent': [pick(TEXTS)], Referer: rnd() < 0.5 ? [pick(TEXTS)] : [] } : pick([null, 'x', { Referer: 'not-a-list' }]));
        maybe(o, 'request', rnd() < 0.95 ? request : 'GET / HTTP/1.1');
        maybe(o, 'status', rnd() < 0.7 ? 200 : pick(STATUS));
        maybe(o, 'size', rnd() < 0.7 ? Math.floor(rnd() * 5000) : pick(SIZES));
      } else if (map === 'traefik') {
        maybe(o, 'ClientHost', pick(HOSTS));
        maybe(o, 'StartUTC', rnd() < 0.5 ? new Date(Date.UTC(2023, 10, 14) + Math.floor(rnd() * 3e8)).toISOString() : pick(ISO_TIMES));
        maybe(o, 'RequestMethod', pick(METHODS));
        maybe(o, 'RequestPath', pick(URIS));
        maybe(o, 'RequestProtocol', 'HTTP/1.1');
        maybe(o, 'DownstreamStatus', rnd() < 0.7 ? 404 : pick(STATUS));
        maybe(o, 'DownstreamContentSize', pick(SIZES));
        maybe(o, 'RequestHost', pick(['traefik.example', '', null]));
        maybe(o, 'request_User-Agent', pick(TEXTS));
        maybe(o, 'request_Referer', pick(TEXTS), 0.5);
      } else if (map === 'nginx') {
        maybe(o, 'remote_addr', pick(HOSTS));
        const t = rnd();
        if (t < 0.4) o.time_iso8601 = pick(ISO_TIMES);
        else if (t < 0.7) o.time_local = pick(CLF_TIMES);
        else if (t < 0.9) o.msec = pick(EPOCHS);
        if (rnd() < 0.6) o.request = pick(REQUESTS);
        else {
          maybe(o, 'request_method', pick(METHODS));
          maybe(o, 'request_uri', pick(URIS));
          maybe(o, 'server_protocol', 'HTTP/1.1');
        }
        maybe(o, 'status', pick(STATUS));
        maybe(o, 'body_bytes_sent', pick(SIZES));
        maybe(o, 'http_referer', pick(TEXTS));
        maybe(o, 'http_user_agent', pick(TEXTS));
        maybe(o, 'host', pick(['nginx.example', 'n\u00e9', null]));
      } else {
        o.msg = 'no map';
        o.remote = '1.2.3.4';
      }
      // lone surrogates stay escapes (JSON.stringify writes them so); raw() numbers become their text
      text = JSON.stringify(o).replace(/"\\u0001RAW([^"]*)"/g, '$1');
      const v = rnd();
      if (v < 0.05) text = text.replace(/"status":(\d+)/, '"status":$1.0');
      else if (v < 0.1) text = text.replace(/^\{/, '{"status":1,"remote_addr":"dup","ClientHost":"d", ');
      else if (v < 0.13) text = text.replace(/\}$/, ', "status": NaN}');
      else if (v < 0.16) text = text.replace(/\}$/, ', }');
      else if (v < 0.19) text = `${text} x`;
      else if (v < 0.22) text = text.replace(/"([a-z])/, '"\\u006$1');
      else if (v < 0.25) text = text.replace(/"(\/book)/, '"\\/book');
      else if (v < 0.28) text = text.replace(/, ?/g, ' ,\t\r\n ');
      else if (v < 0.3) text = text.replace(/, ?/, ',\u000b');
      else if (v < 0.33) text = text.replace(/\}$/, `, "deep": ${'['.repeat(60)}1${']'.repeat(60)}}`);
      else if (v < 0.36) text = text.replace(/"([^"]*)"/, '"$1\t"');
      else if (v < 0.38) text = text.replace(/\}$/, ', "big": 1e999999, "neg": -0.0e-5}');
      else if (v < 0.4) text = text.replace(/\}$/, ', "x": tru}');
      // a key the maps read, spelled with an escape (it is the same key)
      else if (v < 0.43) text = text.replace(/"(status|ts|remote_addr|ClientHost|StartUTC|client_ip|request)":/, (_, k: string) => `"${k[0]}\\u00${k.charCodeAt(1).toString(16)}${k.slice(2)}":`);
      else if (v < 0.5) {
        // byte mutations
        const chars = [...text];
        for (let e = 0; e < 1 + Math.floor(rnd() * 2); e++) {
          const at = 1 + Math.floor(rnd() * (chars.length - 1));
          const c = pick(['{', '}', '[', ']', '"', ',', ':', '\\', '0', 'e', '.', '-', ' ', 'u', '\u0000']);
          if (rnd() < 0.5) chars.splice(at, 1, c);
          else chars.splice(at, 0, c);
        }
        text = chars.join('');
      }
      if (rnd() < 0.05) text = ` \t${text}\r`;
      const bytes = Buffer.from(text, 'utf8');
      if (rnd() < 0.03) bytes[Math.floor(rnd() * bytes.length)] = pick([0xff, 0xc3, 0xed]);
      out.push(bytes);
      continue;
    }
    if (r < 0.9) {
      // a line for one of the user's formats (or near it)
      const f = Math.floor(rnd() * USER_FORMATS.length);
      const host = pick(['1.2.3.4', '2001:db8::1', '-', 'h\u00e9']);
      const clf = rnd() < 0.8 ? '14/Nov/2023:22:13:20 +0000' : pick(CLF_TIMES);
      const req = pick(['GET /book/a HTTP/1.1', 'GET /book/a b HTTP/1.1', 'POST http://h/book/q?x HTTP/2.0', '-', 'GET /x', 'GET /b"k HTTP/1.1']);
      const status = pick(['200', '404', '20x', '', '0301']);
      const size = pick(['512', '-', '0', '12a', '1234567890123456']);
      const ua = pick(['Mozilla/5.0 (X11)', '-', '', 'a"b']);
      if (f === 1) text = `${host} - - [${clf}] "${req}" ${status} ${size} "http://r/" "${ua}" ${pick(['1234', '', '-'])}`;
      else if (f === 0) text = `${host} - ${pick(['-', 'bob', 'a b'])} [${clf}] "${req}" ${status} ${size} "-" "${ua}" rt=${pick(['0.004', ''])}`;
      else if (f === 2) text = `${pick(['v.example', 'x:80'])} ${host} [${String(pick(ISO_TIMES))}] "${pick(['GET', 'POST'])} ${pick(['/book/a?x', '/a b', ''])} HTTP/1.1" ${status} ${size}`;
      else if (f === 3) text = `${String(pick(EPOCHS))} ${host} "${req}" ${status}`;
      else text = `${pick(['v.example', 'v'])}:${pick(['443', '80'])} ${host} - - [${clf}] "${req}" ${status} ${size} %`;
      if (rnd() < 0.2) {
        const chars = [...text];
        const at = Math.floor(rnd() * chars.length);
        chars.splice(at, rnd() < 0.5 ? 1 : 0, pick(['"', ' ', '[', ']', '%', '$', '\t']));
        text = chars.join('');
      }
      out.push(Buffer.from(text, 'utf8'));
      continue;
    }
    out.push(Buffer.from(gen.line(), 'latin1'));
  }
  return out;
}
