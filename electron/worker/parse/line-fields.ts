/**
 * The fields of a parsed line (analysis-semantics.md §8) as byte ranges of the line, filled by
 * whichever reading parsed it, plus the readings of the parts that only some panels need: the
 * method, the size, the referer / user-agent pair and the instant.
 */
import { WS as WS_TABLE } from './ascii';
import { newByteSlice, type ByteSlice } from './request-path';
import { daysFromCivil } from '../../../shared/time-buckets';

const WS: Uint8Array = WS_TABLE;
const DQUOTE = 0x22;

export interface LineFields {
  hostStart: number;
  hostEnd: number;
  /** The method's range (-1 when the request has fewer than three words). */
  methodStart: number;
  methodEnd: number;
  statusStart: number;
  statusEnd: number;
  /** Start of the `bytes` token (it ends at the next whitespace or the line's end). */
  bytesStart: number;
  /** The path (§4), possibly in a buffer of its own; `hasPath` false when urlparse would raise. */
  path: ByteSlice;
  hasPath: boolean;
  /** The time: its date, local seconds of the day, and the whole seconds to subtract for UTC. */
  year: number;
  month: number;
  day: number;
  clock: number;
  offset: number;
  /** The referer / user agent (-1 when the optional pair did not match); set by readTail. */
  refererStart: number;
  refererEnd: number;
  agentStart: number;
  agentEnd: number;
  /** The size (§8), set by readTail. */
  size: number;
  /** The virtual host (-1 when the format has none). */
  vhostStart: number;
  vhostEnd: number;
}

export function newLineFields(): LineFields {
  return {
    hostStart: 0, hostEnd: 0, methodStart: -1, methodEnd: -1, statusStart: 0, statusEnd: 0, bytesStart: 0,
    path: newByteSlice(), hasPath: false,
    year: 1970, month: 1, day: 1, clock: 0, offset: 0,
    refererStart: -1, refererEnd: -1, agentStart: -1, agentEnd: -1, size: 0, vhostStart: -1, vhostEnd: -1,
  };
}

/** The instant of the line's time, in whole seconds since the epoch (floored). */
export function instantOf(f: LineFields): number {
  return daysFromCivil(f.year, f.month, f.day) * 86400 + f.clock - f.offset;
}

/** Set the method from the request b[rs, re): its first word when it has at least three. */
export function readMethod(b: Uint8Array, rs: number, re: number, f: LineFields): void {
  f.methodStart = -1;
  f.methodEnd = -1;
  let i = rs;
  let words = 0;
  let firstStart = -1;
  let firstEnd = -1;
  while (i < re && words < 3) {
    while (i < re && WS[b[i]!] === 1) i++;
    if (i >= re) break;
    const w = i;
    while (i < re && WS[b[i]!] === 0) i++;
    if (words === 0) {
      firstStart = w;
      firstEnd = i;
    }
    words++;
  }
  if (words >= 3) {
    f.methodStart = firstStart;
    f.methodEnd = firstEnd;
  }
}

/**
 * From the `bytes` token to the line's end b[.., e) (right-stripped): the size, and the optional
 * `\s+"(?P<referer>.*?)"\s+"(?P<user_agent>.+?)"` that follows it, as `re.match` reads it. The
 * referer ends at the first '"' followed by whitespace and a '"' after which the agent finds a
 * closing '"' at least one byte on; if the first such candidate finds none, no later one can
 * (everything after it would have to be the agent), so the pair is absent.
 */
export function readTail(b: Uint8Array, e: number, f: LineFields, pair: boolean): void {
  let i = f.bytesStart;
  let size = 0;
  let digits = true;
  while (i < e && WS[b[i]!] === 0) {
    const c = b[i]! - 0x30;
    if (c < 0 || c > 9) digits = false;
    else size = size * 10 + c;
    i++;
  }
  const n = i - f.bytesStart;
  f.size = digits && n >= 1 && n <= 15 ? size : 0;
  f.refererStart = f.refererEnd = f.agentStart = f.agentEnd = -1;
  if (!pair) return;
  const w = i;
  while (i < e && WS[b[i]!] === 1) i++;
  if (i === w || i >= e || b[i] !== DQUOTE) return;
  const r0 = i + 1;
  for (let r = r0; r < e; r++) {
    if (b[r] !== DQUOTE) continue;
    let u = r + 1;
    while (u < e && WS[b[u]!] === 1) u++;
    if (u === r + 1 || u >= e || b[u] !== DQUOTE) continue;
    // the agent: at least one byte, then the first '"'
    let v = u + 2;
    while (v < e && b[v] !== DQUOTE) v++;
    if (v >= e) return;
    f.refererStart = r0;
    f.refererEnd = r;
    f.agentStart = u + 1;
    f.agentEnd = v;
    return;
  }
}

/** The size (§8) of the token b[s, e): its value when it is 1 to 15 ASCII digits, else 0. */
export function sizeOf(b: Uint8Array, s: number, e: number): number {
  if (e - s < 1 || e - s > 15) return 0;
  let v = 0;
  for (let k = s; k < e; k++) {
    const c = b[k]! - 0x30;
    if (c < 0 || c > 9) return 0;
    v = v * 10 + c;
  }
  return v;
}
