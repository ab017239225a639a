/**
 * The filters of analysis-semantics.md §9 on a parsed line's fields, compiled once per worker:
 * lists become byte strings compared in place, times whole seconds.
 */
import { hasFilters, type CompiledFilters, type StatusRange } from '../../../shared/filters';
import { instantOf, type LineFields } from './line-fields';

function bytesOf(list: string[] | null): Buffer[] | null {
  return list === null ? null : list.map((s) => Buffer.from(s, 'utf8'));
}

function equalRange(b: Uint8Array, s: number, e: number, word: Buffer): boolean {
  if (e - s !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (b[s + k] !== word[k]) return false;
  return true;
}

function startsWith(b: Uint8Array, s: number, e: number, word: Buffer): boolean {
  if (e - s < word.length) return false;
  for (let k = 0; k < word.length; k++) if (b[s + k] !== word[k]) return false;
  return true;
}

/** The integer value of the status digits b[s, e) (leading zeros allowed), or -1 when it is beyond any code a filter can name. */
export function statusValue(b: Uint8Array, s: number, e: number): number {
  let v = 0;
  for (let k = s; k < e; k++) {
    v = v * 10 + (b[k]! - 0x30);
    if (v > 999_999_999) return -1;
  }
  return v;
}

export class LineFilter {
  readonly since: number;
  readonly until: number;
  private readonly status: StatusRange[] | null;
  private readonly methods: Buffer[] | null;
  private readonly prefixes: Buffer[] | null;
  private readonly hosts: Buffer[] | null;
  readonly usesTime: boolean;
  readonly active: boolean;

  constructor(f: CompiledFilters) {
    this.since = f.since ?? -Infinity;
    this.until = f.until ?? Infinity;
    this.status = f.status;
    this.methods = bytesOf(f.method);
    this.prefixes = bytesOf(f.pathPrefix);
    this.hosts = bytesOf(f.host);
    this.usesTime = f.since !== null || f.until !== null;
    this.active = hasFilters(f);
  }

  /** Whether the parsed line b (fields f) passes every filter set. */
  passes(b: Uint8Array, f: LineFields): boolean {
    if (this.usesTime) {
      const at = instantOf(f);
      if (at < this.since || at >= this.until) return false;
    }
    if (this.status !== null) {
      const v = statusValue(b, f.statusStart, f.statusEnd);
      if (!this.status.some((r) => v >= r.lo && v <= r.hi)) return false;
    }
    if (this.methods !== null) {
      if (f.methodStart < 0 || !this.methods.some((m) => equalRange(b, f.methodStart, f.methodEnd, m))) return false;
    }
    if (this.prefixes !== null) {
      const p = f.path;
      if (!f.hasPath || !this.prefixes.some((x) => startsWith(p.buf, p.start, p.end, x))) return false;
    }
    if (this.hosts !== null) {
      if (!this.hosts.some((h) => equalRange(b, f.hostStart, f.hostEnd, h))) return false;
    }
    return true;
  }
}
