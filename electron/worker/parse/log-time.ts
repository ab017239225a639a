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
import { COLON, SLASH, WS } from './ascii';

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

export function isValidLogTime(b: Uint8Array, s: number, e: number): boolean {
  const at = (i: number): number => (i < e ? b[i]! : -1);
  const dig = (i: number): number => {
    const c = at(i);
    return c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
  };
  let i = s;

  // %d then '/'
  let day: number;
  const d0 = dig(i);
  const d1 = dig(i + 1);
  if (at(i) === 0x20 && d1 >= 1 && at(i + 2) === SLASH) {
    day = d1;
    i += 3;
  } else if (d0 >= 0 && d1 >= 0 && at(i + 2) === SLASH && (d0 === 1 || d0 === 2 || (d0 === 3 && d1 <= 1) || (d0 === 0 && d1 >= 1))) {
    day = d0 * 10 + d1;
    i += 3;
  } else if (d0 >= 1 && at(i + 1) === SLASH) {
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
  let year = 0;
  for (let n = 0; n < 4; n++) {
    const d = dig(i + n);
    if (d < 0) return false;
    year = year * 10 + d;
  }
  if (at(i + 4) !== COLON) return false;
  i += 5;

  // %H then ':'
  const h0 = dig(i);
  const h1 = dig(i + 1);
  if (h0 >= 0 && h1 >= 0 && at(i + 2) === COLON && (h0 <= 1 || (h0 === 2 && h1 <= 3))) i += 3;
  else if (h0 >= 0 && at(i + 1) === COLON) i += 2;
  else return false;

  // %M then ':'
  const m0 = dig(i);
  const m1 = dig(i + 1);
  if (m0 >= 0 && m0 <= 5 && m1 >= 0 && at(i + 2) === COLON) i += 3;
  else if (m0 >= 0 && at(i + 1) === COLON) i += 2;
  else return false;

  // %S then \s+ (60 and 61 pass the pattern but not datetime())
  const s0 = dig(i);
  const s1 = dig(i + 1);
  const isSpace = (j: number): boolean => j < e && WS[b[j]!] === 1;
  if (s0 >= 0 && s0 <= 5 && s1 >= 0 && isSpace(i + 2)) i += 2;
  else if (s0 >= 0 && s1 < 0 && isSpace(i + 1)) i += 1;
  else return false;
  while (i < e && WS[b[i]!] === 1) i++;

  // %z, to the end of the field
  if (at(i) === 0x5a /* Z */ && i + 1 === e) return dateExists(year, month, day);
  const sign = at(i);
  if (sign !== 0x2b && sign !== 0x2d) return false;
  const hh0 = dig(i + 1);
  const hh1 = dig(i + 2);
  if (hh0 < 0 || hh1 < 0) return false;
  i += 3;
  let colon1 = false;
  if (at(i) === COLON) {
    colon1 = true;
    i++;
  }
  const mm0 = dig(i);
  const mm1 = dig(i + 1);
  if (mm0 < 0 || mm0 > 5 || mm1 < 0) return false;
  i += 2;
  let seconds = 0;
  let hasSeconds = false;
  let colon2 = false;
  const c = at(i);
  if (c === COLON && dig(i + 1) >= 0 && dig(i + 1) <= 5 && dig(i + 2) >= 0) {
    colon2 = true;
    hasSeconds = true;
    seconds = dig(i + 1) * 10 + dig(i + 2);
    i += 3;
  } else if (dig(i) >= 0 && dig(i) <= 5 && dig(i + 1) >= 0) {
    hasSeconds = true;
    seconds = dig(i) * 10 + dig(i + 1);
    i += 2;
  }
  if (hasSeconds && at(i) === 0x2e && dig(i + 1) >= 0) {
    i += 1;
    let n = 0;
    while (n < 6 && dig(i) >= 0) {
      i++;
      n++;
    }
  }
  if (i !== e) return false;
  if (hasSeconds && colon1 !== colon2) return false;
  const offset = (hh0 * 10 + hh1) * 3600 + (mm0 * 10 + mm1) * 60 + seconds;
  if (offset >= 86400) return false;
  return dateExists(year, month, day);
}

function dateExists(year: number, month: number, day: number): boolean {
  if (year < 1) return false;
  const max = month === 1 && isLeap(year) ? 29 : DAYS_IN_MONTH[month]!;
  return day <= max;
}
