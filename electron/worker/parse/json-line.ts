/**
 * JSON lines (analysis-semantics.md §12.4): the line must be exactly one JSON object (RFC 8259,
 * strict UTF-8; of duplicate keys the last counts), and its fields come from the first map —
 * Caddy, Traefik, nginx's names — under which it has both a host and a time key.
 *
 * One pass over the bytes validates the whole line and keeps only the values the maps name
 * (simdjson's "on demand" idea, without the SIMD): strings are decoded into a scratch buffer that
 * the line's fields then point into; numbers are kept as their text, so that a status is shown
 * with its own digits and `200.0` is told from `200`. Everything else is validated and skipped,
 * nesting of any depth without recursion.
 *
 * Where the line lies in the WebAssembly block reader's memory, that pass is json-scan.c's: it
 * walks the bytes with the same grammar and the same tree of keys (jsonKeyTree), and leaves
 * where each kept value lies; only those are taken here (takeSlots). Both passes are checked
 * against each other and against CPython's json.loads.
 */
import { isUtf8 } from 'node:buffer';
import { FORMAT_JSON_CADDY, FORMAT_JSON_NGINX, FORMAT_JSON_TRAEFIK } from '../../../shared/line-formats';
import type { LineFields } from './line-fields';
import { readLogTime } from './log-time';
import { readEpochTime, readIsoTime } from './iso-time';
import { readMethod, sizeOf } from './line-fields';
import { requestPath, uriPath } from './request-path';

const ABSENT = 0;
const STRING = 1;
const NUMBER = 2;
const OBJECT = 3;
const ARRAY = 4;
const LITERAL = 5;

/** The values the maps read: a tree of keys; `item` nodes are an array's first element. */
interface Node {
  readonly slot: number;
  readonly children: KeyTable | null;
  readonly item: Node | null;
  /** Slots below this one (cleared when the key appears again: the last one counts). */
  readonly below: number[];
}

/**
 * An object's keys by a hash of their UTF-8 bytes (open addressing): a line's keys are looked up
 * where they lie in the line, with no string made per key.
 */
interface KeyTable {
  readonly mask: number;
  readonly keys: Array<Uint8Array | undefined>;
  readonly nodes: Array<Node | undefined>;
}

const FNV_OFFSET = 0x811c9dc5;
const fnv = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);

function keyTable(children: Record<string, Node>): KeyTable {
  const entries = Object.entries(children);
  let size = 8;
  while (size < entries.length * 4) size *= 2;
  const table: KeyTable = { mask: size - 1, keys: new Array(size).fill(undefined), nodes: new Array(size).fill(undefined) };
  for (const [name, child] of entries) {
    const bytes = Buffer.from(name);
    let h = FNV_OFFSET;
    for (const c of bytes) h = fnv(h, c);
    let at = h & table.mask;
    while (table.keys[at] !== undefined) at = (at + 1) & table.mask;
    table.keys[at] = bytes;
    table.nodes[at] = child;
  }
  return table;
}

/** The node of the key b[s, e) with hash h, or undefined. */
function lookUp(table: KeyTable, h: number, b: Uint8Array, s: number, e: number): Node | undefined {
  for (let at = h & table.mask; ; at = (at + 1) & table.mask) {
    const key = table.keys[at];
    if (key === undefined) return undefined;
    if (key.length === e - s) {
      let k = 0;
      while (k < key.length && key[k] === b[s + k]) k++;
      if (k === key.length) return table.nodes[at];
    }
  }
}

/** Every node, by its slot. */
const NODES: Node[] = [];
function node(children: Record<string, Node> | null = null, item: Node | null = null): Node {
  const below: number[] = [];
  for (const c of children === null ? [] : Object.values(children)) below.push(c.slot, ...c.below);
  if (item !== null) below.push(item.slot, ...item.below);
  const made: Node = { slot: NODES.length, children: children === null ? null : keyTable(children), item, below };
  NODES.push(made);
  return made;
}

const S = {
  clientIp: node(), remoteIp: node(), method: node(), uri: node(), proto: node(), host: node(),
  referer: node(null, node()), agent: node(null, node()),
  ts: node(), status: node(), size: node(),
  ClientHost: node(), StartUTC: node(), RequestMethod: node(), RequestPath: node(), RequestProtocol: node(),
  DownstreamStatus: node(), DownstreamContentSize: node(), request_Referer: node(), 'request_User-Agent': node(), RequestHost: node(),
  remote_addr: node(), time_iso8601: node(), time_local: node(), msec: node(), request_method: node(), request_uri: node(),
  server_protocol: node(), body_bytes_sent: node(), http_referer: node(), http_user_agent: node(), nginxHost: node(),
};
const headers = node({ Referer: S.referer, 'User-Agent': S.agent });
const request = node({ client_ip: S.clientIp, remote_ip: S.remoteIp, method: S.method, uri: S.uri, proto: S.proto, host: S.host, headers });
const ROOT = node({
  request,
  ts: S.ts, status: S.status, size: S.size,
  ClientHost: S.ClientHost, StartUTC: S.StartUTC, RequestMethod: S.RequestMethod, RequestPath: S.RequestPath,
  RequestProtocol: S.RequestProtocol, DownstreamStatus: S.DownstreamStatus, DownstreamContentSize: S.DownstreamContentSize,
  request_Referer: S.request_Referer, 'request_User-Agent': S['request_User-Agent'], RequestHost: S.RequestHost,
  remote_addr: S.remote_addr, time_iso8601: S.time_iso8601, time_local: S.time_local, msec: S.msec,
  request_method: S.request_method, request_uri: S.request_uri, server_protocol: S.server_protocol,
  body_bytes_sent: S.body_bytes_sent, http_referer: S.http_referer, http_user_agent: S.http_user_agent, host: S.nginxHost,
});
const SLOT_COUNT = NODES.length;

/**
 * The tree of keys as json-scan.c's json_configure reads it: u32 LE words, the slot count and
 * the root's slot, then per slot its item's slot (or 0xffffffff), whether it has children, their
 * count and each as key (length, UTF-8 bytes) and slot, then the count of the slots below it and
 * each of them.
 */
export function jsonKeyTree(): Buffer {
  const words: Buffer[] = [];
  const u32 = (n: number): void => {
    const w = Buffer.alloc(4);
    w.writeUInt32LE(n);
    words.push(w);
  };
  u32(SLOT_COUNT);
  u32(ROOT.slot);
  for (const n of NODES) {
    u32(n.item === null ? 0xffffffff : n.item.slot);
    const table = n.children;
    u32(table === null ? 0 : 1);
    // the key table's entries, in its (the hash's) order
    const at = table === null ? [] : table.keys.flatMap((key, i) => (key === undefined ? [] : [i]));
    u32(at.length);
    for (const i of at) {
      u32(table!.keys[i]!.length);
      words.push(Buffer.from(table!.keys[i]!));
      u32(table!.nodes[i]!.slot);
    }
    u32(n.below.length);
    for (const k of n.below) u32(k);
  }
  return Buffer.concat(words);
}

/** Where json-scan.c left a line's values, slot by slot (positions from the line's start). */
export interface JsonSlots {
  readonly kind: Uint8Array;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  /** A string: it has escapes. A number: it is an integer. */
  readonly flag: Uint8Array;
}

/** json-scan.c, where a line lies in its memory (the block reader's). */
export interface JsonScanner {
  /** Reads the line b[s, e): 1 (its values are in jsonSlots()), 0 (it is not one JSON object in strict UTF-8), -1 (b is not where it reads: read it here). */
  readJson(b: Buffer, s: number, e: number): number;
  jsonSlots(): JsonSlots;
}

interface TimeKey {
  node: Node;
  layout: 'epoch' | 'iso' | 'clf';
}

/** The maps of §12.4, in the order they are tried: a line takes the first whose host and time keys it has. */
interface JsonMap {
  format: number;
  /** The first present is the host (Caddy: client_ip, else remote_ip). */
  hosts: ReadonlyArray<{ node: Node }>;
  /** The first present is the time, in its layout. */
  times: readonly TimeKey[];
  status: Node;
  size: Node;
  method: Node;
  uri: Node;
  referer: Node;
  agent: Node;
  vhost: Node;
}

const MAPS: readonly JsonMap[] = [
  {
    format: FORMAT_JSON_CADDY, hosts: [{ node: S.clientIp }, { node: S.remoteIp }], times: [{ node: S.ts, layout: 'epoch' }],
    status: S.status, size: S.size, method: S.method, uri: S.uri, referer: S.referer.item!, agent: S.agent.item!, vhost: S.host,
  },
  {
    format: FORMAT_JSON_TRAEFIK, hosts: [{ node: S.ClientHost }], times: [{ node: S.StartUTC, layout: 'iso' }],
    status: S.DownstreamStatus, size: S.DownstreamContentSize, method: S.RequestMethod, uri: S.RequestPath,
    referer: S.request_Referer, agent: S['request_User-Agent'], vhost: S.RequestHost,
  },
  {
    format: FORMAT_JSON_NGINX, hosts: [{ node: S.remote_addr }],
    times: [{ node: S.time_iso8601, layout: 'iso' }, { node: S.time_local, layout: 'clf' }, { node: S.msec, layout: 'epoch' }],
    status: S.status, size: S.body_bytes_sent, method: S.request_method, uri: S.request_uri,
    referer: S.http_referer, agent: S.http_user_agent, vhost: S.nginxHost,
  },
];

const WS = new Uint8Array(256);
WS[0x20] = WS[0x09] = WS[0x0a] = WS[0x0d] = 1;
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) HEX[0x41 + c] = HEX[0x61 + c] = 10 + c;

export class JsonLineReader {
  /** Decoded strings (and a status's digits) of the current line. */
  scratch = Buffer.alloc(4096);
  /**
   * Where the line's strings are, and the fields point: scratch, or the line's own buffer when
   * json-scan.c read it and no string kept has an escape (then nothing is copied).
   */
  text: Buffer = this.scratch;
  private used = 0;
  private readonly kind = new Uint8Array(SLOT_COUNT);
  private readonly start = new Int32Array(SLOT_COUNT);
  private readonly end = new Int32Array(SLOT_COUNT);
  /** A number slot: its text has no fraction or exponent. */
  private readonly integer = new Uint8Array(SLOT_COUNT);
  private b: Buffer = Buffer.alloc(0);
  private e = 0;
  private stack = new Uint8Array(64);
  /** The node of the key read last (see key()). */
  private found: Node | undefined = undefined;

  /**
   * Read the line b[s, e) (stripped; b[s] is '{'). Returns the format index (FORMAT_JSON_*) with
   * the fields of `f` set, pointing into `text` — or -1: malformed.
   */
  read(b: Buffer, s: number, e: number, f: LineFields, scanner: JsonScanner | null = null): number {
    this.b = b;
    this.e = e;
    this.used = 0;
    // json-scan.c checks the UTF-8 too (in strings: a byte above 0x7f anywhere else is not JSON)
    const scanned = scanner === null ? -1 : scanner.readJson(b, s, e);
    if (scanned === 0) return -1;
    if (scanned === 1) this.takeSlots(scanner!.jsonSlots(), s);
    else {
      if (!isUtf8(b.subarray(s, e))) return -1;
      this.text = this.scratch;
      this.kind.fill(ABSENT);
      const end = this.object(s, ROOT);
      if (end !== e) return -1;
    }
    return this.fields(f);
  }

  /**
   * The values json-scan.c found in the line at s: numbers where they lie, and strings too, unless
   * one has escapes: then every string is decoded into scratch.
   */
  private takeSlots(slots: JsonSlots, s: number): void {
    let escaped = false;
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const kind = slots.kind[slot]!;
      this.kind[slot] = kind;
      if (kind === STRING && slots.flag[slot] !== 0) escaped = true;
      if (kind === STRING || kind === NUMBER) {
        this.start[slot] = s + slots.start[slot]!;
        this.end[slot] = s + slots.end[slot]!;
        this.integer[slot] = slots.flag[slot]!;
      }
    }
    if (!escaped) {
      this.text = this.b;
      return;
    }
    this.text = this.scratch;
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (slots.kind[slot] === STRING) {
        const at = this.used;
        const from = s + slots.start[slot]!;
        // from the opening quote, as a value is read here
        if (slots.flag[slot] !== 0) this.string(from - 1, true);
        else this.put(this.b, from, s + slots.end[slot]!);
        this.start[slot] = at;
        this.end[slot] = this.used;
      }
    }
  }

  // ---- parsing: each returns the position after what it read, or -1 ----

  private skipWs(i: number): number {
    const b = this.b;
    while (i < this.e && WS[b[i]!] === 1) i++;
    return i;
  }

  private object(i: number, at: Node): number {
    const b = this.b;
    i = this.skipWs(i + 1);
    if (i < this.e && b[i] === 0x7d) return i + 1;
    for (;;) {
      if (i >= this.e || b[i] !== 0x22) return -1;
      const after = this.key(i, at.children!);
      if (after < 0) return -1;
      const child = this.found;
      i = this.skipWs(after);
      if (i >= this.e || b[i] !== 0x3a) return -1;
      i = this.skipWs(i + 1);
      i = child === undefined ? this.skip(i) : this.value(i, child);
      if (i < 0) return -1;
      i = this.skipWs(i);
      if (i >= this.e) return -1;
      if (b[i] === 0x2c) {
        i = this.skipWs(i + 1);
        continue;
      }
      return b[i] === 0x7d ? i + 1 : -1;
    }
  }

  /** A value the maps may read, at node n: kept (strings decoded, numbers as text). */
  private value(i: number, n: Node): number {
    for (const k of n.below) this.kind[k] = ABSENT;
    const c = this.b[i];
    const slot = n.slot;
    if (c === 0x22) {
      const s0 = this.used;
      const after = this.string(i, true);
      if (after < 0) return -1;
      this.kind[slot] = STRING;
      this.start[slot] = s0;
      this.end[slot] = this.used;
      return after;
    }
    if (c === 0x7b && n.children !== null) {
      this.kind[slot] = OBJECT;
      return this.object(i, n);
    }
    if (c === 0x5b && n.item !== null) {
      this.kind[slot] = ARRAY;
      const b = this.b;
      i = this.skipWs(i + 1);
      if (i < this.e && b[i] === 0x5d) return i + 1;
      i = this.value(i, n.item);
      for (;;) {
        if (i < 0) return -1;
        i = this.skipWs(i);
        if (i >= this.e) return -1;
        if (b[i] === 0x5d) return i + 1;
        if (b[i] !== 0x2c) return -1;
        i = this.skip(this.skipWs(i + 1));
      }
    }
    if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) {
      const after = this.number(i);
      if (after < 0) return -1;
      this.kind[slot] = NUMBER;
      this.start[slot] = i;
      this.end[slot] = after;
      let integer = 1;
      for (let k = i; k < after; k++) {
        const d = this.b[k]!;
        if (d === 0x2e || d === 0x65 || d === 0x45) integer = 0;
      }
      this.integer[slot] = integer;
      return after;
    }
    this.kind[slot] = c === 0x7b ? OBJECT : c === 0x5b ? ARRAY : LITERAL;
    return this.skip(i);
  }

  /** Validate and pass over any value (no recursion: containers on a stack of their kinds). */
  private skip(i: number): number {
    const b = this.b;
    let depth = 0;
    for (;;) {
      // a value at i
      if (i >= this.e) return -1;
      const c = b[i]!;
      if (c === 0x22) i = this.string(i, false);
      else if (c === 0x7b || c === 0x5b) {
        const close = c === 0x7b ? 0x7d : 0x5d;
        i = this.skipWs(i + 1);
        if (i < this.e && b[i] === close) {
          i++;
        } else {
          if (depth === this.stack.length) {
            const grown = new Uint8Array(depth * 2);
            grown.set(this.stack);
            this.stack = grown;
          }
          this.stack[depth++] = close;
          if (close === 0x7d) {
            i = this.memberKey(i);
            if (i < 0) return -1;
          }
          continue;
        }
      } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) i = this.number(i);
      else i = this.literal(i);
      if (i < 0) return -1;
      // after a value: close containers, or go on to the next member
      for (;;) {
        if (depth === 0) return i;
        i = this.skipWs(i);
        if (i >= this.e) return -1;
        const close = this.stack[depth - 1]!;
        if (b[i] === close) {
          depth--;
          i++;
          continue;
        }
        if (b[i] !== 0x2c) return -1;
        i = this.skipWs(i + 1);
        if (close === 0x7d) {
          i = this.memberKey(i);
          if (i < 0) return -1;
        }
        break;
      }
    }
  }

  /** `"key" :` then whitespace: where the member's value starts. */
  private memberKey(i: number): number {
    if (i >= this.e || this.b[i] !== 0x22) return -1;
    i = this.string(i, false);
    if (i < 0) return -1;
    i = this.skipWs(i);
    if (i >= this.e || this.b[i] !== 0x3a) return -1;
    return this.skipWs(i + 1);
  }

  private literal(i: number): number {
    const b = this.b;
    const word = b[i] === 0x74 ? 'true' : b[i] === 0x66 ? 'false' : b[i] === 0x6e ? 'null' : null;
    if (word === null || i + word.length > this.e) return -1;
    for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return -1;
    return i + word.length;
  }

  /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
  private number(i: number): number {
    const b = this.b;
    const e = this.e;
    const digit = (k: number): boolean => k < e && b[k]! >= 0x30 && b[k]! <= 0x39;
    if (b[i] === 0x2d) i++;
    if (!digit(i)) return -1;
    if (b[i] === 0x30) i++;
    else while (digit(i)) i++;
    if (i < e && b[i] === 0x2e) {
      i++;
      if (!digit(i)) return -1;
      while (digit(i)) i++;
    }
    if (i < e && (b[i] === 0x65 || b[i] === 0x45)) {
      i++;
      if (i < e && (b[i] === 0x2b || b[i] === 0x2d)) i++;
      if (!digit(i)) return -1;
      while (digit(i)) i++;
    }
    return i;
  }

  /**
   * A member's key at b[i] = '"': its node in `table` (or undefined) left in `found`. A key with
   * no escape is hashed where it lies; one with escapes is decoded first, and its bytes hashed.
   */
  private key(i: number, table: KeyTable): number {
    const b = this.b;
    const e = this.e;
    let h = FNV_OFFSET;
    let k = i + 1;
    while (k < e) {
      const c = b[k]!;
      if (c === 0x22) {
        this.found = lookUp(table, h, b, i + 1, k);
        return k + 1;
      }
      if (c === 0x5c || c < 0x20) break;
      h = fnv(h, c);
      k++;
    }
    const at = this.used;
    const after = this.string(i, true);
    if (after < 0) return -1;
    h = FNV_OFFSET;
    const sc = this.scratch;
    for (let x = at; x < this.used; x++) h = fnv(h, sc[x]!);
    this.found = lookUp(table, h, sc, at, this.used);
    this.used = at;
    return after;
  }

  /** The string at b[i] = '"'; decoded into scratch when `keep`. */
  private string(i: number, keep: boolean): number {
    const b = this.b;
    const e = this.e;
    let k = i + 1;
    for (;;) {
      const run = k;
      while (k < e) {
        const c = b[k]!;
        if (c === 0x22 || c === 0x5c || c < 0x20) break;
        k++;
      }
      if (keep && k > run) this.put(b, run, k);
      if (k >= e) return -1;
      const c = b[k]!;
      if (c === 0x22) return k + 1;
      if (c < 0x20) return -1;
      // an escape
      const x = b[k + 1];
      k += 2;
      if (k > e) return -1;
      let out = -1;
      switch (x) {
        case 0x22: out = 0x22; break;
        case 0x5c: out = 0x5c; break;
        case 0x2f: out = 0x2f; break;
        case 0x62: out = 0x08; break;
        case 0x66: out = 0x0c; break;
        case 0x6e: out = 0x0a; break;
        case 0x72: out = 0x0d; break;
        case 0x74: out = 0x09; break;
        case 0x75: {
          let u = this.hex4(k);
          if (u < 0) return -1;
          k += 4;
          if (u >= 0xd800 && u <= 0xdbff && b[k] === 0x5c && b[k + 1] === 0x75) {
            const low = this.hex4(k + 2);
            if (low >= 0xdc00 && low <= 0xdfff) {
              u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
              k += 6;
            }
          }
          // a lone surrogate becomes U+FFFD
          if (keep) this.putCodePoint(u >= 0xd800 && u <= 0xdfff ? 0xfffd : u);
          continue;
        }
        default:
          return -1;
      }
      if (keep) this.putByte(out);
    }
  }

  private hex4(k: number): number {
    if (k + 4 > this.e) return -1;
    const b = this.b;
    const a = HEX[b[k]!]!, c = HEX[b[k + 1]!]!, d = HEX[b[k + 2]!]!, g = HEX[b[k + 3]!]!;
    if ((a | c | d | g) < 0) return -1;
    return (a << 12) | (c << 8) | (d << 4) | g;
  }

  private room(n: number): void {
    if (this.used + n <= this.scratch.length) return;
    const grown = Buffer.alloc(Math.max(this.scratch.length * 2, this.used + n));
    this.scratch.copy(grown, 0, 0, this.used);
    if (this.text === this.scratch) this.text = grown;
    this.scratch = grown;
  }

  private put(b: Buffer, s: number, e: number): void {
    this.room(e - s);
    // a byte loop: most runs are a few dozen bytes, where Buffer#copy's call costs more
    const o = this.scratch;
    let u = this.used;
    for (let k = s; k < e; k++) o[u++] = b[k]!;
    this.used = u;
  }

  private putByte(c: number): void {
    this.room(1);
    this.scratch[this.used++] = c;
  }

  private putCodePoint(u: number): void {
    this.room(4);
    const o = this.scratch;
    if (u < 0x80) o[this.used++] = u;
    else if (u < 0x800) {
      o[this.used++] = 0xc0 | (u >> 6);
      o[this.used++] = 0x80 | (u & 63);
    } else if (u < 0x10000) {
      o[this.used++] = 0xe0 | (u >> 12);
      o[this.used++] = 0x80 | ((u >> 6) & 63);
      o[this.used++] = 0x80 | (u & 63);
    } else {
      o[this.used++] = 0xf0 | (u >> 18);
      o[this.used++] = 0x80 | ((u >> 12) & 63);
      o[this.used++] = 0x80 | ((u >> 6) & 63);
      o[this.used++] = 0x80 | (u & 63);
    }
  }

  // ---- the maps ----

  private has(n: Node): boolean {
    return this.kind[n.slot] !== ABSENT;
  }

  /** Point f's range at a string slot; false when the slot holds no string. */
  private str(n: Node): boolean {
    return this.kind[n.slot] === STRING;
  }

  /** The first of the slots that is present, or undefined. */
  private first<T extends { node: Node }>(xs: readonly T[]): T | undefined {
    for (const x of xs) if (this.kind[x.node.slot] !== ABSENT) return x;
    return undefined;
  }

  /** A string slot's start in text, or -1 when the slot holds no string (then its end is too). */
  private startOf(n: Node): number {
    return this.str(n) ? this.start[n.slot]! : -1;
  }

  private endOf(n: Node): number {
    return this.str(n) ? this.end[n.slot]! : -1;
  }

  private fields(f: LineFields): number {
    let map: JsonMap | undefined;
    let host: { node: Node } | undefined;
    let time: TimeKey | undefined;
    for (const m of MAPS) {
      host = this.first(m.hosts);
      time = this.first(m.times);
      if (host !== undefined && time !== undefined) {
        map = m;
        break;
      }
    }
    if (map === undefined || !this.str(host!.node)) return -1;
    f.hostStart = this.startOf(host!.node);
    f.hostEnd = this.endOf(host!.node);

    const sc = this.text;
    const t = time!.node;
    if (time!.layout === 'epoch') {
      if (!this.epoch(t, f)) return -1;
    } else if (!this.str(t)) return -1;
    else if (!(time!.layout === 'iso' ? readIsoTime : readLogTime)(sc, this.start[t.slot]!, this.end[t.slot]!, f)) return -1;

    // status: a non-negative integer, or a string of digits
    if (!this.statusField(map.status, f)) return -1;
    f.size = this.sizeField(map.size);

    // method, uri (the path), protocol: nginx's `request` is split as §4 and §8 split a request
    f.methodStart = f.methodEnd = -1;
    f.hasPath = false;
    if (map.format === FORMAT_JSON_NGINX && this.has(request)) {
      if (this.str(request)) {
        const rs = this.start[request.slot]!;
        const re = this.end[request.slot]!;
        readMethod(sc, rs, re, f);
        // fewer than three words: the URI is empty (§4)
        f.hasPath = requestPath(sc, rs, re, f.path);
      }
    } else {
      f.methodStart = this.startOf(map.method);
      f.methodEnd = this.endOf(map.method);
      if (this.str(map.uri)) f.hasPath = uriPath(sc, this.start[map.uri.slot]!, this.end[map.uri.slot]!, f.path);
    }
    f.refererStart = this.startOf(map.referer);
    f.refererEnd = this.endOf(map.referer);
    f.agentStart = this.startOf(map.agent);
    f.agentEnd = this.endOf(map.agent);
    f.vhostStart = this.startOf(map.vhost);
    f.vhostEnd = this.endOf(map.vhost);
    return map.format;
  }

  private epoch(n: Node, f: LineFields): boolean {
    const k = this.kind[n.slot];
    if (k === NUMBER) return readEpochTime(this.b, this.start[n.slot]!, this.end[n.slot]!, true, f);
    if (k === STRING) return readEpochTime(this.text, this.start[n.slot]!, this.end[n.slot]!, false, f);
    return false;
  }

  private statusField(n: Node, f: LineFields): boolean {
    const k = this.kind[n.slot];
    let s = this.start[n.slot]!;
    const e = this.end[n.slot]!;
    if (k === STRING) {
      if (e === s) return false;
      const t = this.text;
      for (let i = s; i < e; i++) if (t[i]! < 0x30 || t[i]! > 0x39) return false;
      f.statusStart = s;
      f.statusEnd = e;
      return true;
    }
    if (k !== NUMBER || this.integer[n.slot] === 0) return false;
    const b = this.b;
    if (b[s] === 0x2d) {
      // -0 is the integer 0; any other negative is not a status
      if (e - s !== 2 || b[s + 1] !== 0x30) return false;
      s++;
    }
    if (this.text === b) {
      f.statusStart = s;
      f.statusEnd = e;
      return true;
    }
    // the fields are read from scratch: the digits go there too
    const at = this.used;
    this.put(b, s, e);
    f.statusStart = at;
    f.statusEnd = this.used;
    return true;
  }

  private sizeField(n: Node): number {
    const k = this.kind[n.slot];
    const s = this.start[n.slot]!;
    const e = this.end[n.slot]!;
    if (k === STRING) return sizeOf(this.text, s, e);
    if (k !== NUMBER || this.integer[n.slot] === 0 || this.b[s] === 0x2d) return 0;
    // digits only: up to 15 of them are exact in a double, added up here (no string made per line)
    if (e - s > 15) return Number(this.b.toString('latin1', s, e));
    const b = this.b;
    let v = 0;
    for (let i = s; i < e; i++) v = v * 10 + b[i]! - 0x30;
    return v;
  }
}
