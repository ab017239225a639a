/**
 * Lines built to probe every rule of the spec: valid lines of every shape, and lines broken in
 * the places where a parser can be subtly wrong (time edges, quotes and brackets inside fields,
 * whitespace of every kind, URIs with schemes, authorities, params, queries, control and
 * non-ASCII bytes), plus byte-level mutations of valid lines.
 */
import { mulberry32, LogGenerator } from './log-generator';

const TIMES = [
  '01/Jun/2012:22:17:54 -0400', '1/jun/2012:1:2:3 -0400', ' 1/JUN/2012:00:00:00 +0000', '31/Dec/1999:23:59:59 +2359',
  '29/Feb/2012:10:00:00 -0400', '29/Feb/2011:10:00:00 -0400', '29/Feb/2000:00:00:00 +0000', '29/Feb/1900:00:00:00 +0000',
  '31/Feb/2012:10:00:00 -0400', '30/Apr/2012:10:00:00 -0400', '31/Apr/2012:10:00:00 -0400', '00/Jun/2012:10:00:00 -0400',
  '01/Jun/2012:23:59:60 +0000', '01/Jun/2012:23:59:61 +0000', '01/Jun/2012:24:00:00 +0000', '01/Jun/2012:23:60:00 +0000',
  '01/Jun/2012:10:00:00 +2400', '01/Jun/2012:10:00:00 -2400', '01/Jun/2012:10:00:00 +9999', '01/Jun/2012:10:00:00 +0060',
  '01/Jun/2012:10:00:00 Z', '01/Jun/2012:10:00:00 z', '01/Jun/2012:10:00:00 +01:00', '01/Jun/2012:10:00:00 +01:00:30',
  '01/Jun/2012:10:00:00 +0100:30', '01/Jun/2012:10:00:00 +01:0030', '01/Jun/2012:10:00:00 +010030', '01/Jun/2012:10:00:00 +010030.5',
  '01/Jun/2012:10:00:00 +010030.1234567', '01/Jun/2012:10:00:00 +0100.5', '01/Jun/2012:10:00:00  \t -0400', '01/Jun/2012:10:00:00-0400',
  '01/Jun/0000:10:00:00 +0000', '01/Jun/0001:10:00:00 +0000', '01/Jun/12:10:00:00 +0000', '01/Jun/2012:10:00:00 +0000 ',
  '01/Juni/2012:10:00:00 +0000', '01/Jun/2012:10:00 +0000', '1/Jun/2012:07:5:09 -0000', '01/Jun/2012:10:00:00 +0000x',
  '01/Jun/2012:10:00:00 +000', '32/Jun/2012:10:00:00 +0000', '01/Sep/2012:10:00:00 -1200', '01/Jun/2012:1:00:00 +23:59',
  '01/Jun/2012:10:00:00\x0b+0000', '01/Jun/2012:10:00:00\x1c+0000', '01/Jun/2012:10:00:00\xa0+0000', '0\xd9\xa1/Jun/2012:10:00:00 +0000',
];

const URIS = [
  '/book/fp/ch1.html', '/book/fp/ch1.html?utm=x', '/book/fp/ch1.html;jsessionid=AB', '/book/fp/;x/ch1.html', '/book/a;b/c;d',
  'http://example.com/book/fp/', 'HTTP://example.com/book/fp/x.html?q', '//host/book/x', '//host?x/y', '//host#f/book/x',
  'https://[2001:db8::1]/book/x', 'https://[2001:db8::1/book/x', 'http://host]/book/x', 'http://[1.2.3.4]/book/x',
  'http://[v1.x]/book/x', 'http://[vz.x]/book/x', 'http://[::1%25eth0]/book/a', 'http://user@[::ffff:1.2.3.4]:80/book/a',
  'ftp://h/book/x;type=a', 'foo://h/book/x;p', 'mailto:book/x', 'a:/book/x', '1a:/book/x', 'book:x/y', '/book/x:y',
  '/book/', '/book', '/', '', '/book//x', '//book/x', '///book/x', '/book/x/', '/book/_images/f.png', '/book/fp/searchindex.js',
  '/book/x.css', '/book/x.CSS', '/book/favicon.ico/x', '/book/robots.txt', '/robots.txt', '/robots.txt?x', '/robots.txt;p',
  '/book/with space/x.html', '/book/%20x/y', '/book/caf\xc3\xa9/x', '/book/bad\xff\xfe/x', '/book/\xe2\x82/x', '/book/\xed\xa0\x80/x',
  '\x01/book/x', '\x00\x7f/book/x', '/book/x#frag?q', '/book/x?q#f', 'http://h\xef\xbc\x8fx/book/a', 'http://h\xc3\xa9/book/a',
  '/Book/x', '/bookx/y', 'book/x/y', '/book/x\\"y', '/book/x"y', '/book/"x" 200 5 /y',
  // absolute http(s) URIs (proxied requests), which the block reader decides itself
  'http://h', 'https://h/', 'http://h?x/book/a', 'http://h#x/book/a', 'https://h;p/book/x', 'http:///book/x', 'http:////book/x',
  'http://h:80/book/x;p', 'http:/book/x', 'hTTp://h/book/x', 'http://h/book/a;b/c;d', 'https://u:p@h:1/book/a?b#c',
  'http://h/book/x.js', 'http://h/robots.txt', 'https://h/book/\xc3\xa9;x', 'http://[::1]/book/x', 'http://h]x/book/y',
  'http://h\x7fx/book/y', 'http://h\x80/book/y', 'httpx://h/book/y', 'http:', 'https:', 'http://', 'http:/', 'https://h/book',
];

const VHOSTS = ['example.com:443', 'www.example.org:80', 'v\xc3\xa9:80', '[::1]:443', '-', '[x', 'a"b'];
const HOSTS = ['1.2.3.4', '2001:db8::1', 'crawl-1.googlebot.com', '-', 'h\xc3\xa9', 'h\xff', '[x]', 'a"b'];
const WS_SEPS = [' ', '  ', '\t', ' \t ', '\x0b', '\x0c', '\r'];

export function adversarialLines(count: number, seed: number): Buffer[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const gen = new LogGenerator({ seed: seed + 1, malformedRate: 0.05, commonRate: 0.2 });
  const out: Buffer[] = [];
  const b = (s: string): Buffer => Buffer.from(s, 'latin1');
  const sep = (): string => (rnd() < 0.8 ? ' ' : pick(WS_SEPS));
  const method = (): string => pick(['GET', 'POST', 'HEAD', 'GET  ', 'G\tET']);
  const request = (): string => {
    const r = rnd();
    if (r < 0.7) return `${method()} ${pick(URIS)} ${pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/2'])}`;
    if (r < 0.75) return pick(['-', '', ' ', 'GET', 'GET /book/x']);
    if (r < 0.85) return `GET ${pick(URIS)}${sep()}${pick(URIS)} HTTP/1.1`;
    return `${method()}${sep()}${pick(URIS)}${sep()}HTTP/1.1${rnd() < 0.3 ? sep() : ''}`;
  };
  for (let i = 0; i < count; i++) {
    const r = rnd();
    let line: string;
    if (r < 0.25) {
      line = gen.line();
    } else if (r < 0.85) {
      const time = rnd() < 0.7 ? pick(TIMES) : '01/Jun/2012:22:17:54 -0400';
      const tail = pick([
        '',
        ` "-" "Mozilla/5.0"`,
        ` "http://r/" "UA with \\"quotes\\""`,
        ` "-"`,
        ` "" ""`,
        ` "-" "UA" extra`,
        // the referer / user-agent pair at its edges
        ` "a"b" "UA"`, ` "ref" "UA`, ` "ref"  "UA"`, ` "ref"\t"UA"`, ` "ref" ""UA"`, ` "ref" " "`, ` "-" "-"`, ` "" "x"`,
        ` "r" "a" "b"`, ` "r"`, ` "r" "`, ` "r" ""`, ` "r" "" ""`, ` "caf\xc3\xa9" "\xff\xfeUA"`, `  "r" "UA"`, ` x "r" "UA"`,
        ` "r" "U"A"`, ` "http://r/?a="b"" "UA"`,
      ]);
      const status = pick(['200', '404', '2OO', '', '200 ', '0404', '00200', '5000', '99', '503', '301', '1234567890123']);
      const size = pick(['5', '-', '1234', '', '0', '000', '000000000000042', '0000000000000042', '12345678901234567', '12a', '-5']);
      line =
        `${pick(HOSTS)}${sep()}-${sep()}${pick(['-', 'frank', 'a b', '[u'])}${sep()}[${time}]${rnd() < 0.05 ? '' : sep()}` +
        `"${request()}"${sep()}${status}${sep()}${size}${tail}${rnd() < 0.1 ? pick([' ', '\r', ' \t\r']) : ''}`;
      if (rnd() < 0.05) line = line.replace('] "', '] x] "');
      if (rnd() < 0.03) line = line.replace('"', '" 200 5 "');
    } else {
      // byte-level mutation of a valid line
      const chars = [...gen.line()];
      const alphabet = ['[', ']', '"', ' ', '\t', '/', ':', ';', '?', '#', '0', '9', 'a', '\x00', '\x80', '\xff', '-', '+'];
      const edits = 1 + Math.floor(rnd() * 3);
      for (let e = 0; e < edits && chars.length > 0; e++) {
        const at = Math.floor(rnd() * chars.length);
        const op = rnd();
        if (op < 0.4) chars.splice(at, 1);
        else if (op < 0.7) chars.splice(at, 0, pick(alphabet));
        else chars[at] = pick(alphabet);
      }
      line = chars.join('');
    }
    // §12.1 and §12.3: leading whitespace; a virtual host before the client
    if (rnd() < 0.05) line = `${pick(WS_SEPS)}${line}`;
    if (rnd() < 0.08) line = `${pick(VHOSTS)}${sep()}${line}`;
    out.push(b(line));
  }
  return out;
}
