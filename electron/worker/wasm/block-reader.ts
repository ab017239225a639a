/**
 * The WebAssembly block reader (block-reader.c): reads whole blocks of lines with SIMD, decides
 * every canonical line (parsed, filtered, excluded; counted into every panel) and hands the rest
 * back, so the JavaScript reader only sees the few lines of other shapes.
 *
 * One instance per worker, reused from file to file (its memory is only ever grown, so it is
 * dropped after a file that made it large). LOGPOOL_PARSER=js turns it off (the bench compares).
 */
import type { LineStats, PanelCounts } from '../../../shared/file-result';
import { PANEL_NAMES, type PanelName } from '../../../shared/panels';
import { dayKey, hourKey } from '../../../shared/time-buckets';
import { copyKeyBytes, isValidUtf8, type KeyTotals } from '../../../shared/key-totals';
import type { QueryPlan } from '../parse/query-plan';
import type { LineFields } from '../parse/line-fields';
import { BLOCK_READER_WASM_BASE64 } from './block-reader-binary';
import { jsonKeyTree, type JsonScanner, type JsonSlots } from '../parse/json-line';

/** Largest block read in one call: a longer stretch of lines is read in several. */
export const BLOCK_CAPACITY = 1 << 20;
/** An instance whose memory grew past this is not kept for the next file. */
const KEEP_MEMORY_BYTES = 64 << 20;
/** An entry's header (entry_t); its key's bytes follow it, padded to 8. */
const ENTRY_BYTES = 32;
/** entry_t.kind of a counted key (other entries are remembered classifications, not keys) */
const COUNTED = 3;

interface BlockReaderExports {
  memory: WebAssembly.Memory;
  config_area(size: number): number;
  configure(config: number, capacity: number): number;
  input_area(): number;
  undecided_area(): number;
  stats_area(): number;
  arena_area(panel: number): number;
  key_count(panel: number): number;
  begin_file(): number;
  read_block(n: number): number;
  last_error(): number;
  json_tree_area(): number;
  json_configure(size: number): number;
  json_slots_area(): number;
  json_read(line: number, length: number): number;
  line_fields_area(): number;
  line_numbers_area(): number;
  count_line_fields(): number;
}

/** block-reader.c's line_fields: start and end of host, path, status, method, referer, agent, vhost. */
const LINE_FIELDS = 14;

/** json-scan.c's slot arrays: start and end (u32), then kind and flag (u8), 64 each. */
const JSON_SLOTS = 64;

let compiled: WebAssembly.Module | null | undefined;

function blockReaderModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = null;
    if (process.env.LOGPOOL_PARSER !== 'js' && typeof WebAssembly === 'object') {
      const bytes = Buffer.from(BLOCK_READER_WASM_BASE64, 'base64');
      // validate() is false where SIMD128 is not supported: the JavaScript reader does it all then
      if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    }
  }
  return compiled;
}

/** Whether lines are read by the WebAssembly reader here. */
export function blockReaderAvailable(): boolean {
  return blockReaderModule() !== null;
}

/** The options as block-reader.c's configure() reads them. */
function encodeOptions(plan: QueryPlan): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number): void => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    parts.push(b);
  };
  const f64 = (n: number): void => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(n);
    parts.push(b);
  };
  const word = (s: string): void => {
    const b = Buffer.from(s, 'utf8');
    u32(b.length);
    parts.push(b);
  };
  const words = (list: readonly string[] | null): void => {
    u32(list?.length ?? 0);
    list?.forEach(word);
  };
  const q = plan.query;
  const f = plan.filters;
  u32(Math.min(q.maxLineBytes, 0xffffffff));
  u32([...plan.has].reduce((bits, name) => bits | (1 << PANEL_NAMES.indexOf(name)), 0));
  word(q.prefix);
  words(q.excludedNames);
  words(q.excludedExtensions);
  const flags = [f.since, f.until, f.status, f.method, f.pathPrefix, f.host].reduce<number>((bits, v, i) => (v !== null ? bits | (1 << i) : bits), 0);
  u32(flags);
  f64(f.since ?? 0);
  f64(f.until ?? 0);
  u32(f.status?.length ?? 0);
  for (const r of f.status ?? []) {
    u32(r.lo);
    u32(r.hi);
  }
  words(f.method);
  words(f.pathPrefix);
  words(f.host);
  return Buffer.concat(parts);
}

/** A line the block reader left to the JavaScript reader: b[s, e), right-stripped. */
export type UndecidedLine = (b: Buffer, s: number, e: number) => void;

export class BlockReader implements JsonScanner {
  private readonly x: BlockReaderExports;
  /** The memory's buffer as last seen: a new one after the memory grew (the old one is then detached, of length 0). */
  private buffer: ArrayBuffer;
  /** Where the input area is in the memory (it stays there). */
  private inputAt = -1;
  /** Views of json-scan.c's slots in that buffer. */
  private slots: (JsonSlots & { buffer: ArrayBuffer }) | null = null;
  /** Views of count_line_fields()'s fields and numbers in that buffer. */
  private lineFields: { buffer: ArrayBuffer; fields: Uint32Array; numbers: Float64Array } | null = null;

  private constructor(
    instance: WebAssembly.Instance,
    readonly configKey: string,
  ) {
    this.x = instance.exports as unknown as BlockReaderExports;
    this.buffer = this.x.memory.buffer;
  }

  /** A reader for this query, or null where WebAssembly SIMD is not available. */
  static create(plan: QueryPlan): BlockReader | null {
    const module = blockReaderModule();
    if (module === null) return null;
    const reader = new BlockReader(new WebAssembly.Instance(module, {}), plan.key);
    const config = encodeOptions(plan);
    const at = reader.x.config_area(config.length);
    if (at === 0) throw new Error('block reader: out of memory');
    new Uint8Array(reader.x.memory.buffer, at, config.length).set(config);
    reader.check(reader.x.configure(at, BLOCK_CAPACITY));
    reader.inputAt = reader.x.input_area();
    const tree = jsonKeyTree();
    new Uint8Array(reader.x.memory.buffer, reader.x.json_tree_area(), tree.length).set(tree);
    if (reader.x.json_configure(tree.length) !== 0) throw new Error('block reader: the JSON keys do not fit json-scan.c');
    return reader;
  }

  /** Start a file: no lines, no keys. */
  beginFile(): void {
    this.check(this.x.begin_file());
  }

  /**
   * b[s, e): whole lines, the last ending in '\n', at most BLOCK_CAPACITY bytes, copied into the
   * input area and read there. Lines it cannot decide go to `undecided`, in a view of the area
   * (where json-scan.c can read them).
   */
  readBlock(b: Buffer, s: number, e: number, undecided: UndecidedLine): void {
    const n = e - s;
    new Uint8Array(this.memory(), this.inputAt, n).set(b.subarray(s, e));
    this.readInPlace(n, undecided);
  }

  /**
   * The input area, BLOCK_CAPACITY bytes, for a block to be put in place (read into straight
   * from a file: no copy). The view is good until the next block is read (memory may grow).
   */
  inputArea(): Buffer {
    return Buffer.from(this.memory(), this.inputAt, BLOCK_CAPACITY);
  }

  /**
   * Reads the first n bytes of the input area, as readBlock reads its block (whole lines, the
   * last ending in '\n'). The bytes after them in the area are overwritten: keep what is needed
   * first. The undecided lines are handed over in a view of the area.
   */
  readInPlace(n: number, undecided: UndecidedLine): void {
    const count = this.decide(n);
    if (count === 0) return;
    let buffer = this.memory();
    let area = this.inputArea();
    let pairs = this.undecidedPairs(count);
    for (let k = 0; k < 2 * count; k += 2) {
      // a line counted here (countLineFields) may have grown the memory: new views of it then
      if (buffer.byteLength === 0) {
        buffer = this.memory();
        area = this.inputArea();
        pairs = this.undecidedPairs(count);
      }
      undecided(area, pairs[k]!, pairs[k + 1]!);
    }
  }

  /** Whether b is the input area (as the undecided lines are handed over), in the memory as it is now. */
  holds(b: Buffer): boolean {
    return b.byteOffset === this.inputAt && b.buffer === this.memory();
  }

  /**
   * Counts into every panel here a line read elsewhere (a JSON line, or one of another shape) that
   * passed the filters, all of whose fields lie in the input area (holds()): where they lie, its
   * instant (whole seconds; read only for the time panels) and size. Its lines, parsed and format
   * are the reader's to count. Returns whether the lists excluded its path. Its keys are then in
   * the reader's tables with the block's, not in a second table of the worker's.
   */
  countLineFields(f: LineFields, instant: number): boolean {
    const buffer = this.memory();
    if (this.lineFields?.buffer !== buffer) {
      this.lineFields = {
        buffer,
        fields: new Uint32Array(buffer, this.x.line_fields_area(), LINE_FIELDS),
        numbers: new Float64Array(buffer, this.x.line_numbers_area(), 2),
      };
    }
    const { fields, numbers } = this.lineFields;
    // -1 (a field the line lacks) is 0xffffffff in a Uint32Array: block-reader.c's NONE
    fields[0] = f.hostStart;
    fields[1] = f.hostEnd;
    fields[2] = f.hasPath ? f.path.start : -1;
    fields[3] = f.hasPath ? f.path.end : -1;
    fields[4] = f.statusStart;
    fields[5] = f.statusEnd;
    fields[6] = f.methodStart;
    fields[7] = f.methodEnd;
    fields[8] = f.refererStart;
    fields[9] = f.refererEnd;
    fields[10] = f.agentStart;
    fields[11] = f.agentEnd;
    fields[12] = f.vhostStart;
    fields[13] = f.vhostEnd;
    numbers[0] = instant;
    numbers[1] = f.size;
    const excluded = this.x.count_line_fields();
    if (excluded < 0) this.check(this.x.last_error() || 1);
    return excluded === 1;
  }

  /**
   * Reads the JSON line b[s, e) with json-scan.c when b is the input area (as the undecided lines
   * are handed over): 1 (its values are in jsonSlots()), 0 (it is not one JSON object), or -1
   * (b is another buffer).
   */
  readJson(b: Buffer, s: number, e: number): number {
    const at = this.inputAt;
    if (b.byteOffset !== at || b.buffer !== this.memory()) return -1;
    return this.x.json_read(at + s, e - s);
  }

  /** The memory's buffer now (memory.buffer is a call into the engine: a line's worth of time, asked for every line). */
  private memory(): ArrayBuffer {
    if (this.buffer.byteLength === 0) this.buffer = this.x.memory.buffer;
    return this.buffer;
  }

  /** Where json-scan.c left the last line's values. */
  jsonSlots(): JsonSlots {
    const buffer = this.memory();
    if (this.slots?.buffer !== buffer) {
      const at = this.x.json_slots_area();
      this.slots = {
        buffer,
        start: new Uint32Array(buffer, at, JSON_SLOTS),
        end: new Uint32Array(buffer, at + 4 * JSON_SLOTS, JSON_SLOTS),
        kind: new Uint8Array(buffer, at + 8 * JSON_SLOTS, JSON_SLOTS),
        flag: new Uint8Array(buffer, at + 9 * JSON_SLOTS, JSON_SLOTS),
      };
    }
    return this.slots;
  }

  /** Reads the block at the input area: how many lines it left undecided. */
  private decide(n: number): number {
    const x = this.x;
    const count = x.read_block(n);
    if (count < 0) this.check(x.last_error() || 1);
    return Math.max(count, 0);
  }

  /** The undecided lines' (start, end) pairs. */
  private undecidedPairs(count: number): Uint32Array {
    return new Uint32Array(this.memory(), this.x.undecided_area(), count * 2);
  }

  /** The accounting of the lines it decided (not those it handed back). */
  stats(): LineStats {
    const v = new Float64Array(this.x.memory.buffer, this.x.stats_area(), 6);
    return { lines: v[0]!, parsed: v[1]!, malformed: v[2]!, filtered: v[3]!, excluded: v[4]!, longLines: v[5]! };
  }

  /** Lines it parsed as combined (§3) and as vhost_combined (§12.3). */
  formatLines(): [number, number] {
    const v = new Float64Array(this.x.memory.buffer, this.x.stats_area(), 8);
    return [v[6]!, v[7]!];
  }

  /**
   * Calls `each` with every key it counted for a panel: where its bytes are in `memory` (a view of
   * the reader's memory, good until the next block), its count and bytes.
   */
  private eachCounted(panel: PanelName, each: (memory: Buffer, s: number, e: number, count: number, bytes: number) => void): void {
    const x = this.x;
    const p = PANEL_NAMES.indexOf(panel);
    const n = x.key_count(p);
    if (n === 0) return;
    const buffer = this.memory();
    const memory = Buffer.from(buffer);
    const words = new Uint32Array(buffer);
    const numbers = new Float64Array(buffer);
    // the entries, one after another from the arena's start (8-aligned): hash, length, kind, 0,
    // count, bytes, then the key
    let at = x.arena_area(p);
    for (let k = 0; k < n; k++) {
      const length = words[(at >> 2) + 1]!;
      if (words[(at >> 2) + 2] === COUNTED) each(memory, at + ENTRY_BYTES, at + ENTRY_BYTES + length, numbers[(at >> 3) + 2]!, numbers[(at >> 3) + 3]!);
      at += ENTRY_BYTES + ((length + 7) & ~7);
    }
  }

  /**
   * A key panel's counts (not a time panel's) as they leave the worker, straight from the reader's
   * table (its keys are distinct there): no table of the worker's own to hash every key into and
   * copy out of again. A file of 36,000 keys took 12-15 ms that way, once per part of a file read
   * in parts. Null when a key is not valid UTF-8 (addKeysTo makes it valid, which can make two
   * keys one).
   */
  countsOf(panel: PanelName): PanelCounts | null {
    let keys = 0;
    let length = 0;
    let valid = true;
    this.eachCounted(panel, (memory, s, e) => {
      valid &&= isValidUtf8(memory, s, e);
      keys++;
      length += e - s;
    });
    if (!valid) return null;
    const keyBytes = new Uint8Array(length);
    const keyEnds = new Uint32Array(keys);
    const counts = new Float64Array(keys);
    const bytes = new Float64Array(keys);
    let i = 0;
    let end = 0;
    this.eachCounted(panel, (memory, s, e, count, size) => {
      copyKeyBytes(memory, s, e, keyBytes, end);
      keyEnds[i] = end += e - s;
      counts[i] = count;
      bytes[i++] = size;
    });
    return { keyBytes, keyEnds, counts, bytes };
  }

  /** Every key it counted for a panel (decoded as UTF-8, invalid sequences as U+FFFD), with its count and bytes, added into `into`. */
  addKeysTo(panel: PanelName, into: KeyTotals): void {
    // room for them all at once, not a rehash at every doubling (key_count counts a few entries that are not keys)
    const n = this.x.key_count(PANEL_NAMES.indexOf(panel));
    if (n > 0) into.reserve(into.distinct + n);
    const time = panel === 'hours' ? hourKey : panel === 'days' ? dayKey : null;
    this.eachCounted(panel, (memory, s, e, count, bytes) => {
      // a time key is an hour or day number, 8 bytes little-endian
      if (time !== null) into.add(time(Number(memory.readBigInt64LE(s))), count, bytes);
      else into.addBytes(memory, s, e, count, bytes);
    });
  }

  /** Whether to keep this instance for the next file (its memory does not shrink). */
  get small(): boolean {
    return this.x.memory.buffer.byteLength <= KEEP_MEMORY_BYTES;
  }

  private check(code: number): void {
    if (code !== 0) throw new Error(code === 1 ? 'block reader: out of memory' : `block reader: error ${code}`);
  }
}

let kept: BlockReader | null = null;

/** This worker's reader for this query, started on a new file; null without WebAssembly SIMD. */
export function blockReaderForFile(plan: QueryPlan): BlockReader | null {
  const reader = kept !== null && kept.configKey === plan.key ? kept : BlockReader.create(plan);
  kept = null;
  if (reader === null) return null;
  reader.beginFile();
  return reader;
}

/** A file is done with its reader: keep it for the next one unless it grew large. */
export function releaseBlockReader(reader: BlockReader): void {
  kept = reader.small ? reader : null;
}
