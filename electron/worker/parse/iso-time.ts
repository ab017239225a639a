/**
 * RFC 3339 / ISO 8601 times as CPython 3.11's `datetime.fromisoformat` reads them
 * (analysis-semantics.md §12.4), on the string's UTF-8 bytes as its C implementation does:
 * the date forms YYYY-MM-DD, YYYYMMDD and the ISO week forms; any one character between date
 * and time; HH[:MM[:SS[.f…]]] or the basic HHMMSS, a fraction after '.' or ',' (digits past the
 * sixth ignored); then 'Z' or ±HH[:MM[:SS[.f…]]]. Quirks kept on purpose: a NUL ends the string
 * for the checks C makes with `*p != '\0'`, a fraction may follow the hour, and an offset's minutes
 * are not range-checked (only the whole offset, strictly within ±24 h). Also epoch seconds.
 */
import { civilFromDays, daysFromCivil } from '../../../shared/time-buckets';
import type { LogTimeParts } from './log-time';
import { isDigit } from './ascii';

const CORRECTION = [100000, 10000, 1000, 100, 10];
/** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in seconds since 1970 */
const FIRST_SECOND = -62135596800;
const END_SECOND = 253402300800;

class Reader {
  b: Uint8Array = new Uint8Array(0);
  e = 0;
  /** The byte at i, or 0 (C's terminating NUL) past the string's end. */
  at(i: number): number {
    return i < this.e ? this.b[i]! : 0;
  }
  /** n digits from i as a number, or -1. */
  digits(i: number, n: number): number {
    let v = 0;
    for (let k = 0; k < n; k++) {
      const c = this.at(i + k);
      if (!isDigit(c)) return -1;
      v = v * 10 + (c - 0x30);
    }
    return v;
  }
}

const r = new Reader();

/** hh, mm, ss, microseconds and where the parse stopped; rv as C's parse_hh_mm_ss_ff (negative: invalid). */
const comps = { h: 0, m: 0, s: 0, us: 0, rv: 0 };

function parseHhMmSsFf(p: number, pEnd: number): void {
  comps.h = comps.m = comps.s = comps.us = 0;
  let hasSeparator = true;
  for (let i = 0; i < 3; i++) {
    const v = r.digits(p, 2);
    if (v < 0) {
      comps.rv = -3;
      return;
    }
    if (i === 0) comps.h = v;
    else if (i === 1) comps.m = v;
    else comps.s = v;
    p += 2;
    const c = r.at(p++);
    if (i === 0) hasSeparator = c === 0x3a;
    if (p >= pEnd) {
      comps.rv = c !== 0 ? 1 : 0;
      return;
    }
    if (hasSeparator && c === 0x3a) continue;
    if (c === 0x2e || c === 0x2c) break;
    if (!hasSeparator) p--;
    else {
      comps.rv = -4;
      return;
    }
  }
  const remains = pEnd - p;
  const toParse = remains >= 6 ? 6 : remains;
  let us = r.digits(p, toParse);
  if (us < 0 || toParse < 1) {
    comps.rv = -3;
    return;
  }
  if (toParse < 6) us *= CORRECTION[toParse - 1]!;
  comps.us = us;
  p += toParse;
  while (isDigit(r.at(p))) p++;
  comps.rv = r.at(p) !== 0 ? 1 : 0;
}

function separatorAt(len: number): number {
  if (len === 7) return 7;
  if (r.at(4) === 0x2d) {
    if (r.at(5) === 0x57) {
      if (len > 8 && r.at(8) === 0x2d) {
        if (len === 9) return -1;
        if (len > 10 && isDigit(r.at(10))) return 8;
        return 10;
      }
      return 8;
    }
    return 10;
  }
  if (r.at(4) === 0x57) {
    let idx = 7;
    while (idx < len && isDigit(r.at(idx))) idx++;
    if (idx < 9) return idx;
    return idx % 2 === 0 ? 7 : 8;
  }
  return 8;
}

const ymd = { year: 0, month: 0, day: 0 };

function ordinalOfJan1(year: number): number {
  const y = year - 1;
  return y * 365 + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + 1;
}

/** parse_isoformat_date over [0, len): false when C answers an error. */
function parseDate(len: number): boolean {
  const year = r.digits(0, 4);
  if (year < 0) return false;
  const sep = r.at(4) === 0x2d;
  let p = sep ? 5 : 4;
  if (r.at(p) === 0x57) {
    p++;
    const week = r.digits(p, 2);
    if (week < 0) return false;
    p += 2;
    let weekday = 1;
    if (p < len) {
      if (sep && r.at(p++) !== 0x2d) return false;
      weekday = r.digits(p, 1);
      if (weekday < 0) return false;
    }
    // iso_to_ymd
    if (week <= 0 || week >= 53) {
      const first = ordinalOfJan1(year) % 7;
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      if (!(week === 53 && (first === 4 || (first === 3 && leap)))) return false;
    }
    if (weekday <= 0 || weekday >= 8) return false;
    if (year < 1) return false;
    const jan1 = daysFromCivil(year, 1, 1);
    const weekday1 = (ordinalOfJan1(year) + 6) % 7;
    let monday = jan1 - weekday1;
    if (weekday1 > 3) monday += 7;
    const [y, m, d] = civilFromDays(monday + (week - 1) * 7 + weekday - 1);
    ymd.year = y;
    ymd.month = m;
    ymd.day = d;
    return true;
  }
  const month = r.digits(p, 2);
  if (month < 0) return false;
  p += 2;
  if (sep && r.at(p++) !== 0x2d) return false;
  const day = r.digits(p, 2);
  if (day < 0) return false;
  ymd.year = year;
  ymd.month = month;
  ymd.day = day;
  return true;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/**
 * Read the ISO time in the UTF-8 bytes b[s, e) into `out` (clock and offset set so that the
 * instant, floored to a whole second, is date + clock - offset). False unless fromisoformat
 * accepts it *with* an offset.
 */
export function readIsoTime(b: Uint8Array, s: number, e: number, out: LogTimeParts): boolean {
  r.b = b.subarray(s, e);
  r.e = e - s;
  const len = e - s;
  let codePoints = 0;
  for (let k = 0; k < len; k++) if ((r.b[k]! & 0xc0) !== 0x80) codePoints++;
  if (codePoints < 7) return false;
  const sepAt = separatorAt(len);
  if (sepAt < 0 || !parseDate(sepAt)) return false;
  // the separator is one character, of any length in UTF-8; no time: no offset
  if (len <= sepAt) return false;
  const lead = r.at(sepAt);
  let p = sepAt + ((lead & 0x80) === 0 ? 1 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf0) === 0xf0 ? 4 : 2);
  if (p >= len) return false;
  let tz = p;
  do {
    const c = r.at(tz);
    if (c === 0x5a || c === 0x2b || c === 0x2d) break;
  } while (++tz < len);
  parseHhMmSsFf(p, tz);
  if (comps.rv < 0 || tz === len) return false;
  const { h, m, s: sec, us } = comps;
  let tzSeconds = 0;
  let tzMicros = 0;
  if (r.at(tz) === 0x5a) {
    if (r.at(tz + 1) !== 0) return false;
  } else {
    const sign = r.at(tz) === 0x2d ? -1 : 1;
    p = tz + 1;
    parseHhMmSsFf(p, len);
    if (comps.rv !== 0) return false;
    tzSeconds = sign * (comps.h * 3600 + comps.m * 60 + comps.s);
    tzMicros = sign * comps.us;
    if (Math.abs(tzSeconds * 1e6 + tzMicros) >= 86400e6) return false;
  }
  if (!validDate(ymd.year, ymd.month, ymd.day) || h > 23 || m > 59 || sec > 59) return false;
  out.year = ymd.year;
  out.month = ymd.month;
  out.day = ymd.day;
  out.clock = h * 3600 + m * 60 + sec + Math.floor((us - tzMicros) / 1e6);
  out.offset = tzSeconds;
  return true;
}

/** Epoch seconds given as text b[s, e): digits with at most one '.', or (json) a JSON number's text. */
/**
 * The whole seconds of b[s, e) when it is plain decimal text (`1699999999.123`) whose value
 * rounded to a double has the same floor as the text, read without making a string: at most 12
 * digits before the point (below 2^40, where a double is exact to 2^-12) and a fraction below
 * .999 (so rounding cannot carry it to the next second). Otherwise -1: read it as a number.
 */
function plainSeconds(b: Uint8Array, s: number, e: number): number {
  let t = 0;
  let k = s;
  while (k < e && isDigit(b[k]!)) t = t * 10 + b[k++]! - 0x30;
  const whole = k - s;
  if (whole === 0 || whole > 12) return -1;
  if (k === e) return t;
  if (b[k] !== 0x2e) return -1;
  let nines = 0;
  for (let x = k + 1; x < e; x++) {
    if (!isDigit(b[x]!)) return -1;
    if (x - k <= 3 && b[x] === 0x39) nines++;
  }
  return nines === 3 ? -1 : t;
}

export function readEpochTime(b: Uint8Array, s: number, e: number, jsonNumber: boolean, out: LogTimeParts): boolean {
  let digits = 0;
  let dots = 0;
  if (!jsonNumber) {
    for (let k = s; k < e; k++) {
      const c = b[k]!;
      if (isDigit(c)) digits++;
      else if (c === 0x2e) dots++;
      else return false;
    }
    if (digits === 0 || dots > 1) return false;
  }
  let t = plainSeconds(b, s, e);
  if (t < 0) {
    let text = '';
    for (let k = s; k < e; k++) text += String.fromCharCode(b[k]!);
    t = Number(text);
  }
  if (!(t >= FIRST_SECOND && t < END_SECOND)) return false;
  out.year = 1970;
  out.month = 1;
  out.day = 1;
  out.clock = Math.floor(t);
  out.offset = 0;
  return true;
}
