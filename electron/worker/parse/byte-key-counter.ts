/**
 * A Counter keyed by byte strings, with the bytes (sizes) of each key's lines summed beside the
 * count: open addressing over an arena, so counting a line allocates nothing. Keys are made
 * valid UTF-8 (invalid sequences as U+FFFD) once, at the end, as KeyTotals takes them; distinct
 * byte keys that decode to the same string are merged then.
 */
import type { KeyTotals } from '../../../shared/key-totals';

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;
/** Hashes are kept to 30 bits so that they stay small integers (no boxing when stored). */
export const HASH_MASK = 0x3fffffff;

function fnv1a(b: Uint8Array, s: number, e: number): number {
  let h = FNV_OFFSET;
  for (let k = s; k < e; k++) h = Math.imul(h ^ b[k]!, FNV_PRIME);
  return h & HASH_MASK;
}

export class ByteKeyCounter {
  private slots = new Int32Array(1024); // entry index + 1; 0 = empty
  private hashes = new Int32Array(256);
  private offsets = new Int32Array(256);
  private lengths = new Int32Array(256);
  private counts = new Float64Array(256);
  private sums = new Float64Array(256);
  private arena = Buffer.allocUnsafe(1 << 12);
  private arenaUsed = 0;
  size = 0;

  add(b: Uint8Array, s: number, e: number, size: number): void {
    this.addHashed(b, s, e, fnv1a(b, s, e), size);
  }

  /** add() when the caller already has fnv1a(b, s, e). */
  addHashed(b: Uint8Array, s: number, e: number, h: number, size: number): void {
    const len = e - s;
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (;;) {
      const slot = this.slots[i]!;
      if (slot === 0) break;
      const entry = slot - 1;
      if (this.hashes[entry] === h && this.lengths[entry] === len && this.equal(entry, b, s, len)) {
        this.counts[entry]! += 1;
        this.sums[entry]! += size;
        return;
      }
      i = (i + 1) & mask;
    }
    this.insert(i, h, b, s, len, size);
  }

  private equal(entry: number, b: Uint8Array, s: number, len: number): boolean {
    const arena = this.arena;
    const off = this.offsets[entry]!;
    for (let k = 0; k < len; k++) if (arena[off + k] !== b[s + k]) return false;
    return true;
  }

  private insert(at: number, h: number, b: Uint8Array, s: number, len: number, size: number): void {
    const entry = this.size;
    if (entry === this.hashes.length) this.growEntries();
    if (this.arenaUsed + len > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaUsed + len));
      this.arena.copy(bigger, 0, 0, this.arenaUsed);
      this.arena = bigger;
    }
    this.arena.set(b.subarray(s, s + len), this.arenaUsed);
    this.hashes[entry] = h;
    this.offsets[entry] = this.arenaUsed;
    this.lengths[entry] = len;
    this.counts[entry] = 1;
    this.sums[entry] = size;
    this.arenaUsed += len;
    this.slots[at] = entry + 1;
    this.size++;
    if (this.size * 2 > this.slots.length) this.rehash();
  }

  private growEntries(): void {
    const n = this.hashes.length * 2;
    const grow = <A extends Int32Array | Float64Array>(a: A, make: (n: number) => A): A => {
      const out = make(n);
      out.set(a);
      return out;
    };
    this.hashes = grow(this.hashes, (k) => new Int32Array(k));
    this.offsets = grow(this.offsets, (k) => new Int32Array(k));
    this.lengths = grow(this.lengths, (k) => new Int32Array(k));
    this.counts = grow(this.counts, (k) => new Float64Array(k));
    this.sums = grow(this.sums, (k) => new Float64Array(k));
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.size; entry++) {
      let i = this.hashes[entry]! & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = entry + 1;
    }
    this.slots = slots;
  }

  /** Every key with its count and bytes, added into `into` as bytes (made valid UTF-8 there when they are not). */
  addTo(into: KeyTotals): void {
    for (let entry = 0; entry < this.size; entry++) {
      const off = this.offsets[entry]!;
      into.addBytes(this.arena, off, off + this.lengths[entry]!, this.counts[entry]!, this.sums[entry]!);
    }
  }
}
