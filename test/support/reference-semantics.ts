/* eslint-disable no-control-regex -- control bytes are exactly what these patterns are about */
/**
 * An independent reading of analysis-semantics.md, written as plainly as the spec states it:
 * the spec's regular expression run as a regular expression, Python's _strptime pattern and its
 * checks, urllib's urlsplit/urlparse followed statement by statement, and the book's filters on
 * strings. Slow, obvious, and the yardstick for the byte-level parser.
 *
 * Strings here are latin1 views of the line's bytes (one char per byte), so a regex on them is a
 * regex on bytes, as Python's `re.match` on a bytes line.
 */
import { isIPv4, isIPv6 } from 'node:net';

const W = '[ \\t\\n\\r\\v\\f]';
const S = '[^ \\t\\n\\r\\v\\f]';
const ANY = '[^\\n]';
export const LINE_PATTERN = new RegExp(
  `^(?<host>${S}+)${W}+(?<identity>${S}+)${W}+(?<user>${S}+)${W}+\\[(?<time>${ANY}+?)\\]${W}+` +
    `"(?<request>${ANY}+?)"${W}+(?<status>\\d+)${W}+(?<bytes>${S}+)` +
    `(?:${W}+"(?<referer>${ANY}*?)"${W}+"(?<agent>${ANY}+?)")?`,
);

/** vhost_combined (§12.3): a token, then the line pattern. */
const VHOST_PATTERN = new RegExp(`^(?<vhost>${S}+)${W}+${LINE_PATTERN.source.slice(1)}`);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const anyCase = (w: string): string => [...w].map((c) => `[${c}${c.toUpperCase()}]`).join('');
// CPython 3.11 _strptime's regex for "%d/%b/%Y:%H:%M:%S %z" (IGNORECASE, but Z stays upper case)
const TIME_PATTERN = new RegExp(
  `^(?<d>3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9])/(?<b>${MONTHS.map(anyCase).join('|')})/(?<Y>\\d\\d\\d\\d):` +
    `(?<H>2[0-3]|[0-1]\\d|\\d):(?<M>[0-5]\\d|\\d):(?<S>6[0-1]|[0-5]\\d|\\d)${W}+` +
    `(?<z>[+-]\\d\\d:?[0-5]\\d(:?[0-5]\\d(\\.\\d{1,6})?)?|Z)`,
);

/** datetime.strptime(time, "%d/%b/%Y:%H:%M:%S %z") succeeds (ASCII rules). */
export function referenceTimeIsValid(time: string): boolean {
  const m = TIME_PATTERN.exec(time);
  if (!m || m[0].length !== time.length) return false; // "unconverted data remains"
  const g = m.groups!;
  const year = Number(g.Y);
  const month = MONTHS.indexOf(g.b!.toLowerCase()) + 1;
  const day = Number(g.d!.trim());
  if (Number(g.S) > 59) return false; // datetime(): second must be in 0..59
  if (year < 1) return false;
  const daysIn = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // 2000: a leap year
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && !leap ? 28 : daysIn)) return false;
  let z = g.z!;
  if (z === 'Z') return true;
  if (z[3] === ':') {
    z = z.slice(0, 3) + z.slice(4);
    if (z.length > 5) {
      if (z[5] !== ':') return false; // Inconsistent use of :
      z = z.slice(0, 5) + z.slice(6);
    }
  }
  const seconds = z.slice(5, 7);
  if (seconds !== '' && !/^\d+$/.test(seconds)) return false; // int(':3') raises
  const offset = Number(z.slice(1, 3)) * 3600 + Number(z.slice(3, 5)) * 60 + Number(seconds || '0');
  return offset < 86400; // timezone(): strictly within ±24 h
}

const C0_OR_SPACE = /^[\x00-\x20]+/;
const SCHEME_CHARS = /^[A-Za-z0-9+.-]+$/;
const USES_PARAMS = ['', 'ftp', 'hdl', 'prospero', 'http', 'imap', 'https', 'shttp', 'rtsp', 'rtsps', 'rtspu', 'sip', 'sips', 'mms', 'sftp', 'tel'];

function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

function checkBracketedHost(host: string): boolean {
  if (host.startsWith('v')) return /^v[a-fA-F0-9]+\.[^\n]+$/.test(host);
  return !isIPv4(host) && isIPv6(host);
}

/** urllib.parse.urlparse(uri).path, or null where urlsplit raises ValueError. */
export function referenceUrlPath(uriLatin1: string): string | null {
  let url = uriLatin1.replace(C0_OR_SPACE, '');
  url = url.replace(/[\t\r\n]/g, '');
  let scheme = '';
  let netloc = '';
  const i = url.indexOf(':');
  if (i > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, i))) {
    scheme = url.slice(0, i).toLowerCase();
    url = url.slice(i + 1);
  }
  if (url.slice(0, 2) === '//') {
    let delim = url.length;
    for (const c of '/?#') {
      const w = url.indexOf(c, 2);
      if (w >= 0) delim = Math.min(delim, w);
    }
    netloc = url.slice(2, delim);
    url = url.slice(delim);
    if (netloc.includes('[') !== netloc.includes(']')) return null;
    if (netloc.includes('[') && netloc.includes(']')) {
      const bracketed = netloc.split('[').slice(1).join('[').split(']')[0]!;
      if (!checkBracketedHost(utf8(bracketed))) return null;
    }
  }
  if (url.includes('#')) url = url.slice(0, url.indexOf('#'));
  if (url.includes('?')) url = url.slice(0, url.indexOf('?'));
  const decodedNetloc = utf8(netloc);
  if (netloc !== '' && /[^\x00-\x7f]/.test(decodedNetloc)) {
    const n = decodedNetloc.replace(/[@:#?]/g, '');
    const n2 = n.normalize('NFKC');
    if (n !== n2 && /[/?#@:]/.test(n2)) return null;
  }
  if (USES_PARAMS.includes(scheme) && url.includes(';')) {
    const k = url.includes('/') ? url.indexOf(';', url.lastIndexOf('/')) : url.indexOf(';');
    if (k >= 0) url = url.slice(0, k);
  }
  return url;
}

export type Verdict =
  | { kind: 'malformed' }
  | { kind: 'excluded' }
  | { kind: 'other' }
  | { kind: 'counted'; key: string };

export interface ReferenceOptions {
  analysis: 'book-paths' | 'robots-hosts';
  prefix: string;
  names: readonly string[];
  extensions: readonly string[];
}

interface ParsedLine {
  /** The pattern's groups, as latin1 strings (one char per byte). */
  g: Record<string, string | undefined>;
  words: string[];
  /** urlparse's path of the URI (latin1), or null where urlsplit raises. */
  raw: string | null;
}

/**
 * A JSON line (§12.4) that is malformed on its face: not strict UTF-8, not JSON, not an object,
 * or an object with no map's host and time keys. (JSON.parse is strict RFC 8259, as §12.4.)
 */
function jsonLineWithoutMap(latin1: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(latin1, 'latin1')));
  } catch {
    return true;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
  const o = value as Record<string, unknown>;
  const request = typeof o.request === 'object' && o.request !== null ? (o.request as Record<string, unknown>) : {};
  const caddy = ('client_ip' in request || 'remote_ip' in request) && 'ts' in o;
  const traefik = 'ClientHost' in o && 'StartUTC' in o;
  const nginx = 'remote_addr' in o && ('time_iso8601' in o || 'time_local' in o || 'msec' in o);
  return !caddy && !traefik && !nginx;
}

function unreadJson(): never {
  throw new Error('a JSON line under a map: this reference does not read its fields (the CPython oracle does)');
}

/**
 * A line (its bytes, without the '\n') as §2–§4 and §12.1–§12.3 read it, or null when it is
 * malformed. JSON lines and the user's formats are not read here (the CPython oracle reads them).
 */
function referenceParse(lineBytes: Buffer): (ParsedLine & { format: string }) | null {
  const line = lineBytes.toString('latin1').replace(/[ \t\n\r\v\f]+$/, '').replace(/^[ \t\n\r\v\f]+/, '');
  if (line.startsWith('{')) return jsonLineWithoutMap(line) ? null : unreadJson();
  let m = LINE_PATTERN.exec(line);
  let format = 'combined';
  if (!m) {
    m = VHOST_PATTERN.exec(line);
    format = 'vhost_combined';
  }
  if (!m) return null;
  const g = m.groups!;
  if (/[^\x00-\x7f]/.test(g.time!) || !referenceTimeIsValid(g.time!)) return null;
  const words = g.request!.split(/[ \t\n\r\v\f]+/).filter((w) => w !== '');
  const uri = words.length >= 3 ? words.slice(1, -1).join(' ') : '';
  return { g, words, raw: referenceUrlPath(uri), format };
}

/** What one line (its bytes, without the '\n') yields. */
export function referenceVerdict(lineBytes: Buffer, o: ReferenceOptions): Verdict {
  const parsed = referenceParse(lineBytes);
  if (parsed === null) return { kind: 'malformed' };
  const { g, raw } = parsed;
  const path = raw === null ? null : utf8(raw);
  if (o.analysis === 'robots-hosts') {
    return path === '/robots.txt' ? { kind: 'counted', key: utf8(g.host!) } : { kind: 'other' };
  }
  if (path === null) return { kind: 'excluded' };
  const parts = path.split('/');
  if (!parts.some((p) => p !== '')) return { kind: 'excluded' };
  if (parts.some((p) => o.names.includes(p))) return { kind: 'excluded' };
  const final = parts[parts.length - 1]!;
  if (o.extensions.some((ext) => final.endsWith(ext))) return { kind: 'excluded' };
  const nonEmpty = parts.filter((p) => p !== '');
  if (nonEmpty[0] === o.prefix && nonEmpty.length > 1) return { kind: 'counted', key: path };
  return { kind: 'other' };
}

// ---- fields, filters and panels (analysis-semantics.md §8–§11) ----------------------------

export const ALL_PANELS = ['book-paths', 'robots-hosts', 'paths', 'hosts', 'status', 'methods', 'referers', 'user-agents', 'hours', 'days', 'vhosts'] as const;
export type ReferencePanel = (typeof ALL_PANELS)[number];

export interface ReferenceFilters {
  /** Seconds since the epoch, as the test computes them (Date.UTC). */
  since?: number;
  until?: number;
  status?: Array<[number, number]>;
  method?: string[];
  pathPrefix?: string[];
  host?: string[];
}

export interface ReferenceQuery {
  panels: readonly ReferencePanel[];
  filters: ReferenceFilters;
  prefix: string;
  names: readonly string[];
  extensions: readonly string[];
}

export type LineOutcome =
  | { kind: 'malformed' }
  | { kind: 'filtered'; format: string }
  | { kind: 'kept'; excluded: boolean; size: number; keys: Partial<Record<ReferencePanel, string>>; format: string };

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A UTC instant (ms) as the time panels name it. */
function hourOf(ms: number): string {
  const d = new Date(Math.floor(ms / 3_600_000) * 3_600_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:00Z`;
}

function dayOf(ms: number): string {
  const d = new Date(Math.floor(ms / 86_400_000) * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The instant of a valid time field, in ms since the epoch (floored to the second). */
export function referenceInstant(time: string): number {
  const m = TIME_PATTERN.exec(time)!;
  const g = m.groups!;
  const local = new Date(0);
  local.setUTCFullYear(Number(g.Y), MONTHS.indexOf(g.b!.toLowerCase()), Number(g.d!.trim()));
  local.setUTCHours(Number(g.H), Number(g.M), Number(g.S), 0);
  let offsetMs = 0;
  const z = g.z!;
  if (z !== 'Z') {
    const digits = z.slice(1).replace(/:/g, '');
    const micro = digits.includes('.') ? Number(`0.${digits.split('.')[1]}`) : 0;
    const seconds = Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4)) * 60 + Number(digits.slice(4, 6) || '0') + micro;
    offsetMs = (z[0] === '-' ? -1 : 1) * seconds * 1000;
  }
  return Math.floor((local.getTime() - offsetMs) / 1000) * 1000;
}

/** What one line yields for a query: malformed, filtered, or its key in every panel (absent: no key). */
export function referenceOutcome(lineBytes: Buffer, q: ReferenceQuery): LineOutcome {
  const parsed = referenceParse(lineBytes);
  if (parsed === null) return { kind: 'malformed' };
  const { g, words, raw } = parsed;
  const method = words.length >= 3 ? words[0]! : undefined;
  const path = raw === null ? '' : utf8(raw);
  const host = utf8(g.host!);
  const instant = referenceInstant(g.time!);
  const size = /^\d{1,15}$/.test(g.bytes!) ? Number(g.bytes) : 0;
  const f = q.filters;
  const statusValue = Number(g.status!.length > 12 ? 'Infinity' : g.status);
  if (
    (f.since !== undefined && instant / 1000 < f.since) ||
    (f.until !== undefined && instant / 1000 >= f.until) ||
    (f.status !== undefined && !f.status.some(([lo, hi]) => statusValue >= lo && statusValue <= hi)) ||
    (f.method !== undefined && (method === undefined || !f.method.includes(utf8(method)))) ||
    (f.pathPrefix !== undefined && !f.pathPrefix.some((p) => path.startsWith(p))) ||
    (f.host !== undefined && !f.host.includes(host))
  ) {
    return { kind: 'filtered', format: parsed.format };
  }
  const parts = path.split('/');
  const excluded = raw === null || !parts.some((p) => p !== '') || parts.some((p) => q.names.includes(p)) || q.extensions.some((x) => parts[parts.length - 1]!.endsWith(x));
  const nonEmpty = parts.filter((p) => p !== '');
  const keys: Partial<Record<ReferencePanel, string>> = {};
  for (const panel of q.panels) {
    let key: string | undefined;
    switch (panel) {
      case 'book-paths':
        if (!excluded && nonEmpty[0] === q.prefix && nonEmpty.length > 1) key = path;
        break;
      case 'robots-hosts':
        if (path === '/robots.txt') key = host;
        break;
      case 'paths':
        if (!excluded) key = path;
        break;
      case 'hosts':
        key = host;
        break;
      case 'status':
        key = g.status!;
        break;
      case 'methods':
        if (method !== undefined) key = utf8(method);
        break;
      case 'referers':
        if (g.referer !== undefined && g.referer !== '' && g.referer !== '-') key = utf8(g.referer);
        break;
      case 'user-agents':
        if (g.agent !== undefined && g.agent !== '' && g.agent !== '-') key = utf8(g.agent);
        break;
      case 'hours':
        key = hourOf(instant);
        break;
      case 'days':
        key = dayOf(instant);
        break;
      case 'vhosts':
        if (g.vhost !== undefined) key = utf8(g.vhost);
        break;
    }
    if (key !== undefined) keys[panel] = key;
  }
  const usesLists = q.panels.includes('book-paths') || q.panels.includes('paths');
  return { kind: 'kept', excluded: usesLists && excluded, size, keys, format: parsed.format };
}
