/**
 * The user's own formats (analysis-semantics.md §12.5), in Apache `LogFormat` syntax
 * (`%h %l %u %t "%r" %>s %b`) or nginx `log_format` syntax (`$remote_addr … [$time_local] …`):
 * read once here — for the CLI's and the app's messages, and for the worker that matches lines.
 *
 * A format is literal text and directives. Literal text matches itself, a run of whitespace in
 * it matching any run of whitespace; a directive matches a run of non-space bytes, or — when the
 * format's next character is '"' or ']' — the shortest run of any bytes (so quoted and bracketed
 * fields may hold spaces); Apache's %t matches `[…]` and its time is inside. The pattern must
 * match a prefix of the line.
 */

export const FORMAT_FIELDS = ['host', 'identity', 'user', 'time', 'request', 'method', 'uri', 'protocol', 'status', 'size', 'referer', 'userAgent', 'vhost'] as const;
export type FormatField = (typeof FORMAT_FIELDS)[number];

/** How a time field is written: §3's layout, RFC 3339, or epoch seconds. */
export type TimeLayout = 'clf' | 'iso' | 'epoch';

export type FormatPart =
  | { kind: 'text'; text: string }
  | { kind: 'space' }
  /** `field` null: matched, not used. `bracketed`: Apache's %t, `[…]` with the time inside. */
  | { kind: 'directive'; name: string; field: FormatField | null; lazy: boolean; bracketed: boolean; time?: TimeLayout };

export interface LogFormat {
  readonly syntax: 'apache' | 'nginx';
  readonly text: string;
  readonly parts: readonly FormatPart[];
  /** The fields the format has (a field named twice is read from its first directive). */
  readonly fields: ReadonlySet<FormatField>;
}

const APACHE_FIELDS: Record<string, FormatField> = {
  h: 'host', a: 'host', l: 'identity', u: 'user', t: 'time', r: 'request',
  b: 'size', B: 'size', O: 'size', v: 'vhost', V: 'vhost',
  // header names are case-insensitive, as in Apache
  '{referer}i': 'referer', '{user-agent}i': 'userAgent',
};

const NGINX_FIELDS: Record<string, [FormatField, TimeLayout?]> = {
  remote_addr: ['host'], remote_user: ['user'],
  time_local: ['time', 'clf'], time_iso8601: ['time', 'iso'], msec: ['time', 'epoch'],
  request: ['request'], request_method: ['method'], request_uri: ['uri'], server_protocol: ['protocol'],
  status: ['status'], body_bytes_sent: ['size'], bytes_sent: ['size'],
  http_referer: ['referer'], http_user_agent: ['userAgent'], host: ['vhost'], server_name: ['vhost'], http_host: ['vhost'],
};

const WHITESPACE = /[ \t\n\r\v\f]/;
const NGINX_NAME = /[A-Za-z0-9_]/;

/** The longest format accepted (a pasted config block is far shorter). */
export const MAX_FORMAT_LENGTH = 4000;
/** How many formats a run may have. */
export const MAX_FORMATS = 20;

function isNginx(text: string): boolean {
  return /\$(\{[A-Za-z0-9_]+\}|[A-Za-z0-9_])/.test(text);
}

type Parsed = { ok: true; value: LogFormat } | { ok: false; error: string };

/** Read a format, or say why it is refused (a format with no host, time, status and request or method + uri). */
export function parseLogFormat(text: string): Parsed {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, error: 'the format is empty' };
  if (text.length > MAX_FORMAT_LENGTH) return { ok: false, error: `the format is longer than ${MAX_FORMAT_LENGTH} characters` };
  const syntax = isNginx(text) ? 'nginx' : 'apache';
  const parts: FormatPart[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    literal = '';
  };
  const directive = (name: string, field: FormatField | null, time?: TimeLayout, bracketed = false): void => {
    flush();
    parts.push({ kind: 'directive', name, field, lazy: false, bracketed, ...(time ? { time } : {}) });
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (WHITESPACE.test(c)) {
      flush();
      while (i < text.length && WHITESPACE.test(text[i]!)) i++;
      parts.push({ kind: 'space' });
      continue;
    }
    if (syntax === 'apache' && c === '%') {
      if (text[i + 1] === '%') {
        literal += '%';
        i += 2;
        continue;
      }
      // %[<>]?[!]?[0-9,]*({...})?[<>]?letter
      const m = /^%([<>]?)!?[0-9,]*(?:\{([^}]*)\})?([<>]?)([A-Za-z])/.exec(text.slice(i));
      if (m === null) return { ok: false, error: `"${text.slice(i, i + 12)}" at character ${i + 1} is not an Apache directive (a literal % is written %%)` };
      const modifier = m[1] || m[3] || '';
      const letter = m[4]!;
      const braces = m[2];
      let field: FormatField | null;
      if (braces !== undefined) field = APACHE_FIELDS[`{${braces.toLowerCase()}}${letter}`] ?? null; // %{format}t too: not read
      else if (letter === 's') field = modifier === '<' ? null : 'status';
      else field = APACHE_FIELDS[letter] ?? null;
      const isTime = field === 'time';
      directive(m[0], field, isTime ? 'clf' : undefined, isTime);
      i += m[0].length;
      continue;
    }
    if (syntax === 'nginx' && c === '$') {
      let name = '';
      let j = i + 1;
      if (text[j] === '{') {
        const close = text.indexOf('}', j);
        name = close > j ? text.slice(j + 1, close) : '';
        if (!/^[A-Za-z0-9_]+$/.test(name)) return { ok: false, error: `"${text.slice(i, i + 12)}" at character ${i + 1} is not an nginx variable` };
        j = close + 1;
      } else {
        while (j < text.length && NGINX_NAME.test(text[j]!)) j++;
        name = text.slice(i + 1, j);
      }
      if (name === '') {
        literal += '$';
        i++;
        continue;
      }
      const known = NGINX_FIELDS[name];
      directive(text.slice(i, j), known?.[0] ?? null, known?.[1]);
      i = j;
      continue;
    }
    literal += c;
    i++;
  }
  flush();
  // a directive right before '"' or ']' takes the shortest run of anything
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    const next = parts[k + 1];
    if (p.kind === 'directive' && !p.bracketed && next?.kind === 'text' && (next.text[0] === '"' || next.text[0] === ']')) {
      parts[k] = { ...p, lazy: true };
    }
  }
  const fields = new Set<FormatField>();
  for (const p of parts) if (p.kind === 'directive' && p.field !== null) fields.add(p.field);
  const missing: string[] = [];
  const names = syntax === 'apache'
    ? { host: '%h or %a', time: '%t', status: '%>s or %s', request: '%r' }
    : { host: '$remote_addr', time: '$time_local, $time_iso8601 or $msec', status: '$status', request: '$request (or $request_method and $request_uri)' };
  if (!fields.has('host')) missing.push(`host (${names.host})`);
  if (!fields.has('time')) missing.push(`time (${names.time})`);
  if (!fields.has('status')) missing.push(`status (${names.status})`);
  if (!fields.has('request') && !(fields.has('method') && fields.has('uri'))) missing.push(`request (${names.request})`);
  if (missing.length > 0) {
    return { ok: false, error: `read as ${syntax === 'apache' ? 'an Apache LogFormat' : 'an nginx log_format'}, it has no ${missing.join(', no ')}` };
  }
  return { ok: true, value: { syntax, text, parts, fields } };
}

const UTF8 = new TextEncoder();
const SPACE_CLASS = '[ \\t\\n\\r\\v\\f]';
const NON_SPACE_CLASS = '[^ \\t\\n\\r\\v\\f]';

/**
 * A JavaScript pattern for the format, to run (sticky, with indices) on a line's bytes read as
 * Latin-1, so that each byte is one character: the same matches as Python's `re` on the bytes.
 * `groups[field]` is the capture group of each field's first directive.
 */
export function formatPattern(format: LogFormat): { source: string; groups: Partial<Record<FormatField, number>> } {
  let source = '';
  let group = 0;
  const groups: Partial<Record<FormatField, number>> = {};
  for (const p of format.parts) {
    if (p.kind === 'space') source += `${SPACE_CLASS}+`;
    else if (p.kind === 'text') {
      for (const byte of UTF8.encode(p.text)) source += `\\x${byte.toString(16).padStart(2, '0')}`;
    } else {
      const body = p.bracketed ? '[^]+?' : p.lazy ? '[^]*?' : `${NON_SPACE_CLASS}+`;
      const capture = p.field !== null && groups[p.field] === undefined;
      if (capture) groups[p.field!] = ++group;
      const inner = capture ? `(${body})` : `(?:${body})`;
      source += p.bracketed ? `\\[${inner}\\]` : inner;
    }
  }
  return { source, groups };
}

/** The time layout of a parsed format's time field (its first time directive). */
export function formatTimeLayout(format: LogFormat): TimeLayout {
  for (const p of format.parts) if (p.kind === 'directive' && p.field === 'time') return p.time ?? 'clf';
  return 'clf';
}

/** Formats a user can start from (the app offers them; README shows them). */
export const FORMAT_PRESETS: ReadonlyArray<{ name: string; format: string }> = [
  { name: 'Apache combined with %D (microseconds taken)', format: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D' },
  { name: 'nginx combined with $request_time', format: '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time' },
  { name: 'nginx with $host first', format: '$host $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"' },
];
