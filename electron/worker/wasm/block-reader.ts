/**
 * The WebAssembly block reader (block-reader.c): reads whole blocks of lines with SIMD, decides
 * every canonical line (parsed or malformed, excluded or counted) and hands the rest back, so the
 * JavaScript reader only sees the few lines of other shapes.
 *
 * One instance per worker, reused from file to file (its memory is only ever grown, so it is
 * dropped after a file that made it large). LOGPOOL_PARSER=js turns it off (the bench compares).
 */
import type { AnalysisOptions } from '../../../shared/analysis-options';
import type { LineStats } from '../../../shared/file-result';
import { BLOCK_READER_WASM_BASE64 } from './block-reader-binary';

/** Largest block read in one call: a longer stretch of lines is read in several. */
export const BLOCK_CAPACITY = 1 << 20;
/** An instance whose memory grew past this is not kept for the next file. */
const KEEP_MEMORY_BYTES = 64 << 20;
const ENTRY_BYTES = 24;
/** entry_t.kind of a counted key (other entries are remembered classifications, not keys) */
const COUNTED = 3;

interface BlockReaderExports {
  memory: WebAssembly.Memory;
  config_area(size: number): number;
  configure(config: number, capacity: number): number;
  input_area(): number;
  undecided_area(): number;
  stats_area(): number;
  entries_area(): number;
  arena_area(): number;
  key_count(): number;
  begin_file(): number;
  read_block(n: number): number;
  last_error(): number;
}

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

function encodeOptions(options: AnalysisOptions): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number): void => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    parts.push(b);
  };
  const word = (s: string): void => {
    const b = Buffer.from(s, 'utf8');
    u32(b.length);
    parts.push(b);
  };
  u32(options.kind === 'robots-hosts' ? 1 : 0);
  u32(Math.min(options.maxLineBytes, 0xffffffff));
  word(options.prefix);
  u32(options.excludedNames.length);
  options.excludedNames.forEach(word);
  u32(options.excludedExtensions.length);
  options.excludedExtensions.forEach(word);
  return Buffer.concat(parts);
}

/** A line the block reader left to the JavaScript reader: b[s, e), right-stripped. */
export type UndecidedLine = (b: Buffer, s: number, e: number) => void;

export class BlockReader {
  private readonly x: BlockReaderExports;

  private constructor(
    instance: WebAssembly.Instance,
    readonly configKey: string,
  ) {
    this.x = instance.exports as unknown as BlockReaderExports;
  }

  /** A reader for these options, or null where WebAssembly SIMD is not available. */
  static create(options: AnalysisOptions): BlockReader | null {
    const module = blockReaderModule();
    if (module === null) return null;
    const reader = new BlockReader(new WebAssembly.Instance(module, {}), JSON.stringify(options));
    const config = encodeOptions(options);
    const at = reader.x.config_area(config.length);
    if (at === 0) throw new Error('block reader: out of memory');
    new Uint8Array(reader.x.memory.buffer, at, config.length).set(config);
    reader.check(reader.x.configure(at, BLOCK_CAPACITY));
    return reader;
  }

  /** Start a file: no lines, no keys. */
  beginFile(): void {
    this.check(this.x.begin_file());
  }

  /**
   * b[s, e): whole lines, the last ending in '\n', at most BLOCK_CAPACITY bytes. Lines it cannot
   * decide go to `undecided`.
   */
  readBlock(b: Buffer, s: number, e: number, undecided: UndecidedLine): void {
    const x = this.x;
    const n = e - s;
    new Uint8Array(x.memory.buffer, x.input_area(), n).set(b.subarray(s, e));
    const count = x.read_block(n);
    if (count < 0) this.check(x.last_error() || 1);
    if (count === 0) return;
    const pairs = new Uint32Array(x.memory.buffer, x.undecided_area(), count * 2);
    for (let k = 0; k < pairs.length; k += 2) undecided(b, s + pairs[k]!, s + pairs[k + 1]!);
  }

  /** The accounting of the lines it decided (not those it handed back). */
  stats(): LineStats {
    const v = new Float64Array(this.x.memory.buffer, this.x.stats_area(), 6);
    return { lines: v[0]!, parsed: v[1]!, malformed: v[2]!, excluded: v[3]!, counted: v[4]!, longLines: v[5]! };
  }

  /** Every key it counted (decoded as UTF-8, invalid sequences as U+FFFD) with its count. */
  forEachKey(visit: (key: string, count: number) => void): void {
    const x = this.x;
    const n = x.key_count();
    if (n === 0) return;
    const memory = Buffer.from(x.memory.buffer);
    const at = x.entries_area();
    const words = new Uint32Array(x.memory.buffer, at, n * (ENTRY_BYTES / 4));
    const counts = new Float64Array(x.memory.buffer, at, n * (ENTRY_BYTES / 8));
    const arena = x.arena_area();
    for (let k = 0; k < n; k++) {
      if (words[k * 6 + 3] !== COUNTED) continue;
      const off = arena + words[k * 6 + 1]!;
      visit(memory.toString('utf8', off, off + words[k * 6 + 2]!), counts[k * 3 + 2]!);
    }
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

/** This worker's reader for these options, started on a new file; null without WebAssembly SIMD. */
export function blockReaderForFile(options: AnalysisOptions): BlockReader | null {
  const key = JSON.stringify(options);
  const reader = kept !== null && kept.configKey === key ? kept : BlockReader.create(options);
  kept = null;
  if (reader === null) return null;
  reader.beginFile();
  return reader;
}

/** A file is done with its reader: keep it for the next one unless it grew large. */
export function releaseBlockReader(reader: BlockReader): void {
  kept = reader.small ? reader : null;
}
