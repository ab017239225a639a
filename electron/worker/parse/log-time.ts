/**
 * Is a time field accepted by Python's datetime.strptime(time, "%d/%b/%Y:%H:%M:%S %z")?
 *
 * Mirrors CPython 3.11 _strptime: the format compiles (IGNORECASE) to
 *   (3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9]) / (jan|...|dec) / \d\d\d\d : (2[0-3]|[0-1]\d|\d) :
 *   ([0-5]\d|\d) : (6[0-1]|[0-5]\d|\d) \s+ ([+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|Z)
 * which must consume the whole string; then the date must exist (no 31/Feb, no year 0), the
 * second must be 0-59 (datetime rejects 60 and 61), a ':' in the offset must be used
 * consistently, and the offset must lie strictly within ±24 h.
 *
 * The field is bytes and is read with ASCII rules (whitespace = the six ASCII bytes, digits 0-9,
 * month names in ASCII letters of any case); any other byte makes the time invalid.
 */
import { WS as WS_TABLE } from './ascii';

const WS: Uint8Array = WS_TABLE;
// byte values kept module-local: hot loops compare against constants, not imports
const COLON = 0x3a;
const SLASH = 0x2f;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map(
  (m) => (m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2),
);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The digit at b[i] (0-9), or -1 when b[i] is not a digit or i is past the field. */
function dig(b: Uint8Array, i: number, e: number): number {
  if (i >= e) return -1;
  const c = b[i]! - 0x30;
  return c >= 0 && c <= 9 ? c : -1;
}

function byteAt(b: Uint8Array, i: number, e: number): number {
  return i < e ? b[i]! : -1;
}

function spaceAt(b: Uint8Array, i: number, e: number): boolean {
  return i < e && WS[b[i]!] === 1;
}

/** The parts of a valid time: its date, local seconds of the day, and the whole seconds to subtract for UTC. */
export interface LogTimeParts {
  year: number;
  month: number;
  day: number;
  clock: number;
  offset: number;
}

const scratch: LogTimeParts = { year: 0, month: 0, day: 0, clock: 0, offset: 0 };

export function isValidLogTime(b: Uint8Array, s: number, e: number): boolean {
  return readLogTime(b, s, e, scratch);
}

/**
 * Read the time b[s, e) into `out`; false when strptime would reject it. `offset` is what makes
 * the local time UTC when subtracted, rounded so that the result is the instant floored to a
 * whole second (an offset may carry seconds and microseconds).
 */
export function readLogTime(b: Uint8Array, s: number, e: number, out: LogTimeParts): boolean {
  let i = s;

  // %d then '/'
  let day: number;
  const d0 = dig(b, i, e);
  const d1 = dig(b, i + 1, e);
  if (byteAt(b, i, e) === 0x20 && d1 >= 1 && byteAt(b, i + 2, e) === SLASH) {
    day = d1;
    i += 3;
  } else if (d0 >= 0 && d1 >= 0 && byteAt(b, i + 2, e) === SLASH && (d0 === 1 || d0 === 2 || (d0 === 3 && d1 <= 1) || (d0 === 0 && d1 >= 1))) {
    day = d0 * 10 + d1;
    i += 3;
  } else if (d0 >= 1 && byteAt(b, i + 1, e) === SLASH) {
    day = d0;
    i += 2;
  } else return false;

  // %b then '/'
  if (i + 3 >= e || b[i + 3] !== SLASH) return false;
  const code = (lower(b[i]!) << 16) | (lower(b[i + 1]!) << 8) | lower(b[i + 2]!);
  const month = MONTHS.indexOf(code);
  if (month < 0) return false;
  i += 4;

  // %Y then ':'
  const y0 = dig(b, i, e);
  const y1 = dig(b, i + 1, e);
  const y2 = dig(b, i + 2, e);
  const y3 = dig(b, i + 3, e);
  if (y0 < 0 || y1 < 0 || y2 < 0 || y3 < 0 || byteAt(b, i + 4, e) !== COLON) return false;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  i += 5;

  // %H then ':'
  const h0 = dig(b, i, e);
  const h1 = dig(b, i + 1, e);
  let hour: number;
  if (h0 >= 0 && h1 >= 0 && byteAt(b, i + 2, e) === COLON && (h0 <= 1 || (h0 === 2 && h1 <= 3))) {
    hour = h0 * 10 + h1;
    i += 3;
  } else if (h0 >= 0 && byteAt(b, i + 1, e) === COLON) {
    hour = h0;
    i += 2;
  } else return false;

  // %M then ':'
  const m0 = dig(b, i, e);
  const m1 = dig(b, i + 1, e);
  let minute: number;
  if (m0 >= 0 && m0 <= 5 && m1 >= 0 && byteAt(b, i + 2, e) === COLON) {
    minute = m0 * 10 + m1;
    i += 3;
  } else if (m0 >= 0 && byteAt(b, i + 1, e) === COLON) {
    minute = m0;
    i += 2;
  } else return false;

  // %S then \s+ (60 and 61 pass the pattern but not datetime())
  const s0 = dig(b, i, e);
  const s1 = dig(b, i + 1, e);
  let second: number;
  if (s0 >= 0 && s0 <= 5 && s1 >= 0 && spaceAt(b, i + 2, e)) {
    second = s0 * 10 + s1;
    i += 2;
  } else if (s0 >= 0 && s1 < 0 && spaceAt(b, i + 1, e)) {
    second = s0;
    i += 1;
  } else return false;
  while (spaceAt(b, i, e)) i++;
  out.year = year;
  out.month = month + 1;
  out.day = day;
  out.clock = hour * 3600 + minute * 60 + second;
  out.offset = 0;

  // %z, to the end of the field
  if (byteAt(b, i, e) === 0x5a /* Z */ && i + 1 === e) return dateExists(year, month, day);
  const sign = byteAt(b, i, e);
  if (sign !== 0x2b && sign !== 0x2d) return false;
  const hh0 = dig(b, i + 1, e);
  const hh1 = dig(b, i + 2, e);
  if (hh0 < 0 || hh1 < 0) return false;
  i += 3;
  let colon1 = false;
  if (byteAt(b, i, e) === COLON) {
    colon1 = true;
    i++;
  }
  const mm0 = dig(b, i, e);
  const mm1 = dig(b, i + 1, e);
  if (mm0 < 0 || mm0 > 5 || mm1 < 0) return false;
  i += 2;
  let seconds = 0;
  let hasSeconds = false;
  let colon2 = false;
  if (byteAt(b, i, e) === COLON && dig(b, i + 1, e) >= 0 && dig(b, i + 1, e) <= 5 && dig(b, i + 2, e) >= 0) {
    colon2 = true;
    hasSeconds = true;
    seconds = dig(b, i + 1, e) * 10 + dig(b, i + 2, e);
    i += 3;
  } else if (dig(b, i, e) >= 0 && dig(b, i, e) <= 5 && dig(b, i + 1, e) >= 0) {
    hasSeconds = true;
    seconds = dig(b, i, e) * 10 + dig(b, i + 1, e);
    i += 2;
  }
  let fraction = false;
  if (hasSeconds && byteAt(b, i, e) === 0x2e && dig(b, i + 1, e) >= 0) {
    i += 1;
    let n = 0;
    while (n < 6 && dig(b, i, e) >= 0) {
      if (b[i] !== 0x30) fraction = true;
      i++;
      n++;
    }
  }
  if (i !== e) return false;
  if (hasSeconds && colon1 !== colon2) return false;
  const offset = (hh0 * 10 + hh1) * 3600 + (mm0 * 10 + mm1) * 60 + seconds;
  if (offset >= 86400) return false;
  // east of UTC: subtract the offset, and a second more when it has a fraction (the floor);
  // west: add it (the fraction only raises the instant within the same second)
  out.offset = sign === 0x2b ? offset + (fraction ? 1 : 0) : -offset;
  return dateExists(year, month, day);
}

function dateExists(year: number, month: number, day: number): boolean {
  if (year < 1) return false;
  const max = month === 1 && isLeap(year) ? 29 : DAYS_IN_MONTH[month]!;
  return day <= max;
}
