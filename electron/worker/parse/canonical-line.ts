/**
 * The fast reading of the one shape nearly every line has:
 *
 *   HOST IDENT USER [DD/Mon/YYYY:HH:MM:SS +ZZZZ] "METHOD /path PROTOCOL" STATUS BYTES ...
 *
 * visiting each byte once. It decides only what it can decide exactly as the general matcher
 * would, and answers UNDECIDED for anything else (another time layout, a quote inside the
 * request, a URI that is not a plain absolute path, ...), which the general reading then takes.
 *
 * Why its answers are the general matcher's: the fixed time layout holds no ']', so its closing
 * ']' is the first candidate; the request holds no '"', so its closing quote is the first
 * candidate; a lone `/path` word between two words is the URI, with no scheme, authority or
 * leading controls, so urlparse's path is the bytes up to '?' or '#', cut at the first ';' after
 * the last '/'. When the time's layout fits but its values do not (31/Feb, 24:00:00, +2400), the
 * line is malformed whether or not the rest matches.
 */
import { WS as WS_TABLE } from './ascii';
import type { LineFields } from './line-fields';

const WS: Uint8Array = WS_TABLE;
const DQUOTE = 0x22;
const SLASH = 0x2f;
const COLON = 0x3a;
const QUESTION = 0x3f;
const HASH = 0x23;
const SEMICOLON = 0x3b;

export const UNDECIDED = 0;
export const MALFORMED = 1;
export const PARSED = 2;
export type CanonicalVerdict = typeof UNDECIDED | typeof MALFORMED | typeof PARSED;

// month + 1 by its three letters' low five bits (case folded): one table read per line
const MONTH_BY_LETTERS = new Int8Array(1 << 15);
['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].forEach((m, i) => {
  MONTH_BY_LETTERS[((m.charCodeAt(0) & 31) << 10) | ((m.charCodeAt(1) & 31) << 5) | (m.charCodeAt(2) & 31)] = i + 1;
});
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function d(b: Uint8Array, i: number): number {
  const c = b[i]! - 0x30;
  // a non-digit is -10000: any weighted sum of up to four digits that includes it is negative
  return c >= 0 && c <= 9 ? c : -10000;
}

/**
 * Read b[s, e) (right-stripped, non-empty). On PARSED, the fields of `f` are set, except the
 * size and the referer / user-agent pair (see readTail); the path lies within b.
 */
export function readCanonicalLine(b: Buffer, s: number, e: number, f: LineFields): CanonicalVerdict {
  // host, identity, user: maximal non-space runs, each followed by whitespace
  // (whitespace bytes are all <= 0x20, so most bytes pass on one compare)
  let i = s;
  while (i < e && (b[i]! > 0x20 || WS[b[i]!] === 0)) i++;
  if (i === s || i >= e) return UNDECIDED;
  const hostEnd = i;
  for (let field = 0; field < 2; field++) {
    const w = i;
    while (i < e && WS[b[i]!] === 1) i++;
    const t = i;
    while (i < e && (b[i]! > 0x20 || WS[b[i]!] === 0)) i++;
    if (i === w || t === i) return UNDECIDED;
  }
  const w = i;
  while (i < e && WS[b[i]!] === 1) i++;
  if (i === w || e - i < 33 || b[i] !== 0x5b) return UNDECIDED;

  // [DD/Mon/YYYY:HH:MM:SS +ZZZZ]
  const t = i + 1;
  const day = d(b, t) * 10 + d(b, t + 1);
  const year = d(b, t + 7) * 1000 + d(b, t + 8) * 100 + d(b, t + 9) * 10 + d(b, t + 10);
  const hour = d(b, t + 12) * 10 + d(b, t + 13);
  const minute = d(b, t + 15) * 10 + d(b, t + 16);
  const second = d(b, t + 18) * 10 + d(b, t + 19);
  const zh = d(b, t + 22) * 10 + d(b, t + 23);
  const zm0 = d(b, t + 24);
  const zm = zm0 * 10 + d(b, t + 25);
  const sign = b[t + 21];
  if (
    day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || zh < 0 || zm < 0 ||
    b[t + 2] !== SLASH || b[t + 6] !== SLASH || b[t + 11] !== COLON || b[t + 14] !== COLON ||
    b[t + 17] !== COLON || b[t + 20] !== 0x20 || (sign !== 0x2b && sign !== 0x2d) || b[t + 26] !== 0x5d
  ) {
    return UNDECIDED;
  }
  const c3 = b[t + 3]!;
  const c4 = b[t + 4]!;
  const c5 = b[t + 5]!;
  // &31 folds case for letters only: non-letters are left to the general reading
  const month = MONTH_BY_LETTERS[((c3 & 31) << 10) | ((c4 & 31) << 5) | (c5 & 31)]! - 1;
  if (month < 0 || !isLetter(c3) || !isLetter(c4) || !isLetter(c5)) return UNDECIDED;
  let q = t + 27;
  const afterBracket = q;
  while (q < e && WS[b[q]!] === 1) q++;
  if (q === afterBracket || q >= e || b[q] !== DQUOTE) return UNDECIDED;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const valid =
    day >= 1 && day <= (month === 1 && leap ? 29 : DAYS_IN_MONTH[month]!) && year >= 1 &&
    hour <= 23 && minute <= 59 && second <= 59 && zm0 <= 5 && zh * 3600 + zm * 60 < 86400;
  if (!valid) return MALFORMED;

  // "METHOD /path PROTOCOL" with no '"' inside
  let k = q + 1;
  const m0 = k;
  for (; k < e; k++) {
    const c = b[k]!;
    if (c > 0x22) continue;
    if (WS[c] === 1) break;
    if (c === DQUOTE) return UNDECIDED;
  }
  if (k === m0) return UNDECIDED;
  const afterMethod = k;
  while (k < e && WS[b[k]!] === 1) k++;
  if (k === afterMethod || k + 1 >= e || b[k] !== SLASH || b[k + 1] === SLASH) return UNDECIDED;
  const u0 = k;
  let cut = -1;
  let semi = -1;
  for (; k < e; k++) {
    const c = b[k]!;
    if (c > 0x3f) continue; // no delimiter of interest is above '?'
    if (WS[c] === 1) break;
    if (c === DQUOTE) return UNDECIDED;
    if (cut < 0) {
      if (c === QUESTION || c === HASH) cut = k;
      else if (c === SLASH) semi = -1;
      else if (c === SEMICOLON && semi < 0) semi = k;
    }
  }
  const u1 = k;
  while (k < e && WS[b[k]!] === 1) k++;
  if (k === u1) return UNDECIDED;
  const p0 = k;
  for (; k < e; k++) {
    const c = b[k]!;
    if (c > 0x22) continue;
    if (WS[c] === 1 || c === DQUOTE) break;
  }
  if (k === p0) return UNDECIDED;
  while (k < e && WS[b[k]!] === 1) k++;
  if (k >= e || b[k] !== DQUOTE) return UNDECIDED;
  // the closing quote: "\s+\d+\s+\S
  let j = k + 1;
  const a = j;
  while (j < e && WS[b[j]!] === 1) j++;
  if (j === a) return UNDECIDED;
  const digits = j;
  while (j < e && b[j]! >= 0x30 && b[j]! <= 0x39) j++;
  if (j === digits) return UNDECIDED;
  const spaces = j;
  while (j < e && WS[b[j]!] === 1) j++;
  if (j === spaces || j >= e) return UNDECIDED;

  f.hostStart = s;
  f.hostEnd = hostEnd;
  f.methodStart = m0;
  f.methodEnd = afterMethod;
  f.statusStart = digits;
  f.statusEnd = spaces;
  f.bytesStart = j;
  const path = f.path;
  path.buf = b;
  path.start = u0;
  path.end = semi >= 0 ? semi : cut >= 0 ? cut : u1;
  f.hasPath = true;
  f.year = year;
  f.month = month + 1;
  f.day = day;
  f.clock = hour * 3600 + minute * 60 + second;
  f.offset = (sign === 0x2b ? 1 : -1) * (zh * 3600 + zm * 60);
  return PARSED;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
