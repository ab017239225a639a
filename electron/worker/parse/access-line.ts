/**
 * Does a line parse? A byte-level equivalent of Python's `re.match` with the spec's pattern
 * (analysis-semantics.md §3):
 *
 *   (?P<host>\S+)\s+(?P<identity>\S+)\s+(?P<user>\S+)\s+\[(?P<time>.+?)\]\s+
 *   "(?P<request>.+?)"\s+(?P<status>\d+)\s+(?P<bytes>\S+)(?:\s+"(?P<referer>.*?)"\s+"(?P<user_agent>.+?)")?
 *
 * Why this is exact without backtracking:
 * - host, identity, user are maximal \S runs (a shorter run would leave \S where \s+ must start).
 * - The optional referer/agent group can always match empty, so it never decides whether the line
 *   parses nor changes what time and request are: it is not examined at all.
 * - A request end k is "good" when b[k] is '"' followed by \s+\d+\s+\S (the line is right-stripped,
 *   so a whitespace run after the digits is always followed by a non-space). The lazy request is
 *   the first good k at or after its start + 1.
 * - The lazy time ends at the first ']' (at least one byte in) that is followed by \s+" — *provided*
 *   a good k exists after that quote. If none does, none exists after any later candidate either
 *   (later candidates put the quote further right), so the line does not parse.
 */
import { WS as WS_TABLE, isDigit } from './ascii';

const WS: Uint8Array = WS_TABLE;
// byte values kept module-local: hot loops compare against constants, not imports
const DQUOTE = 0x22;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

export interface LineMatch {
  hostStart: number;
  hostEnd: number;
  timeStart: number;
  timeEnd: number;
  requestStart: number;
  requestEnd: number;
  statusStart: number;
  statusEnd: number;
  /** Start of the `bytes` token. */
  bytesStart: number;
}

export function newLineMatch(): LineMatch {
  return { hostStart: 0, hostEnd: 0, timeStart: 0, timeEnd: 0, requestStart: 0, requestEnd: 0, statusStart: 0, statusEnd: 0, bytesStart: 0 };
}

/** Skip a maximal run of non-space bytes starting at i; returns its end (== i when empty). */
function skipToken(b: Uint8Array, i: number, e: number): number {
  while (i < e && WS[b[i]!] === 0) i++;
  return i;
}

function skipSpace(b: Uint8Array, i: number, e: number): number {
  while (i < e && WS[b[i]!] === 1) i++;
  return i;
}

/** Is b[k] a request-closing quote: '"' \s+ \d+ \s+ \S ? */
function isRequestEnd(b: Uint8Array, k: number, e: number): boolean {
  let i = k + 1;
  const a = i;
  i = skipSpace(b, i, e);
  if (i === a) return false;
  const d = i;
  while (i < e && isDigit(b[i]!)) i++;
  if (i === d) return false;
  const w = i;
  i = skipSpace(b, i, e);
  return i > w && i < e;
}

/**
 * Match b[s, e) (a right-stripped line without its newline). Fills `m` and returns true when the
 * pattern matches a prefix of the line.
 */
export function matchAccessLine(b: Uint8Array, s: number, e: number, m: LineMatch): boolean {
  // host \s+ identity \s+ user \s+
  let i = skipToken(b, s, e);
  if (i === s) return false;
  const hostEnd = i;
  for (let field = 0; field < 2; field++) {
    const w = i;
    i = skipSpace(b, i, e);
    if (i === w) return false;
    const t = i;
    i = skipToken(b, i, e);
    if (i === t) return false;
  }
  const w = i;
  i = skipSpace(b, i, e);
  if (i === w || i >= e || b[i] !== LBRACKET) return false;
  const timeStart = i + 1;

  // time: first ']' (>= 1 byte in) followed by \s+ '"'
  let j = timeStart + 1;
  let quote = -1;
  for (;;) {
    while (j < e && b[j] !== RBRACKET) j++;
    if (j >= e) return false;
    const after = skipSpace(b, j + 1, e);
    if (after > j + 1 && after < e && b[after] === DQUOTE) {
      quote = after;
      break;
    }
    j++;
  }

  // request: first good closing quote at >= quote + 2
  let k = quote + 2;
  for (;;) {
    while (k < e && b[k] !== DQUOTE) k++;
    if (k >= e) return false;
    if (isRequestEnd(b, k, e)) break;
    k++;
  }

  m.hostStart = s;
  m.hostEnd = hostEnd;
  m.timeStart = timeStart;
  m.timeEnd = j;
  m.requestStart = quote + 1;
  m.requestEnd = k;
  // the status is the whole digit run after the quote (isRequestEnd checked its shape)
  let d = skipSpace(b, k + 1, e);
  m.statusStart = d;
  while (d < e && isDigit(b[d]!)) d++;
  m.statusEnd = d;
  m.bytesStart = skipSpace(b, d, e);
  return true;
}
