/**
 * One file's reduction: every line classified (malformed / parsed; excluded / counted) and the
 * analysis key counted. Fed by the line splitter: blocks of whole lines go to the WebAssembly
 * block reader where there is one, which hands back the lines it cannot decide; those (and every
 * line where there is no block reader) are read here.
 */
import type { AnalysisOptions } from '../../../shared/analysis-options';
import { addLineStats, emptyLineStats, type KeyCounts, type LineStats } from '../../../shared/file-result';
import { BLOCK_CAPACITY, blockReaderForFile, releaseBlockReader, type BlockReader } from '../wasm/block-reader';
import { WS as WS_TABLE } from './ascii';

const WS: Uint8Array = WS_TABLE;
import { matchAccessLine, newLineMatch } from './access-line';
import { isValidLogTime } from './log-time';
import { BOOK_PATH, EXCLUDED, compilePathRules, type PathClassifier } from './path-rules';
import { ByteKeyCounter } from './byte-key-counter';
import { MALFORMED, UNDECIDED, readCanonicalLine } from './canonical-line';
import { newByteSlice, requestPath } from './request-path';

const ROBOTS = Buffer.from('/robots.txt');

export class LineAnalyzer {
  /** The lines read here (not by the block reader). */
  private readonly own: LineStats = emptyLineStats();
  private final: LineStats | undefined;
  private reader: BlockReader | null;
  private readonly maxLineBytes: number;
  private readonly undecided = (b: Buffer, s: number, e: number): void => this.line(b, s, e);
  readonly counter = new ByteKeyCounter();
  private readonly match = newLineMatch();
  private readonly path = newByteSlice();
  private readonly host = newByteSlice();
  private readonly rules: PathClassifier;
  private readonly robots: boolean;

  /** `blockReader: false`: read every line here (the tests compare both readers). */
  constructor(options: AnalysisOptions, { blockReader = true }: { blockReader?: boolean } = {}) {
    this.rules = compilePathRules(options);
    this.robots = options.kind === 'robots-hosts';
    this.maxLineBytes = options.maxLineBytes;
    this.reader = blockReader ? blockReaderForFile(options) : null;
  }

  /** Whether blocks are read by the WebAssembly reader. */
  get usesBlockReader(): boolean {
    return this.reader !== null;
  }

  /** The accounting so far (all of it once result() was called). */
  get stats(): LineStats {
    if (this.final !== undefined) return this.final;
    if (this.reader === null) return this.own;
    const sum = this.reader.stats();
    addLineStats(sum, this.own);
    return sum;
  }

  /** b[s, e): whole lines, each ending in '\n' (the line limit not yet applied). */
  lines(b: Buffer, s: number, e: number): void {
    const reader = this.reader;
    while (s < e) {
      let end = e;
      if (reader !== null && e - s > BLOCK_CAPACITY) {
        const nl = b.lastIndexOf(10, s + BLOCK_CAPACITY - 1);
        end = nl >= s ? nl + 1 : b.indexOf(10, s) + 1;
      }
      if (reader !== null && end - s <= BLOCK_CAPACITY) {
        reader.readBlock(b, s, end, this.undecided);
        s = end;
        continue;
      }
      // one line at a time: no block reader, or one line longer than a block
      for (let nl = b.indexOf(10, s); s < end; s = nl + 1, nl = b.indexOf(10, s)) {
        if (nl - s > this.maxLineBytes) this.longLine();
        else this.line(b, s, nl);
      }
    }
  }

  /** A line b[s, e) without its '\n'. */
  line(b: Buffer, s: number, e: number): void {
    const stats = this.own;
    stats.lines++;
    while (e > s && WS[b[e - 1]!] === 1) e--;
    if (e === s) {
      stats.malformed++;
      return;
    }
    const p = this.path;
    const h = this.host;
    let hasPath = true;
    const fast = readCanonicalLine(b, s, e, h, p);
    if (fast === MALFORMED) {
      stats.malformed++;
      return;
    }
    if (fast === UNDECIDED) {
      const m = this.match;
      if (!matchAccessLine(b, s, e, m) || !isValidLogTime(b, m.timeStart, m.timeEnd)) {
        stats.malformed++;
        return;
      }
      h.buf = b;
      h.start = m.hostStart;
      h.end = m.hostEnd;
      hasPath = requestPath(b, m.requestStart, m.requestEnd, p);
    }
    stats.parsed++;
    if (this.robots) {
      if (hasPath && isRobots(p.buf, p.start, p.end)) {
        this.counter.add(h.buf, h.start, h.end);
        stats.counted++;
      }
      return;
    }
    const rules = this.rules;
    const kind = hasPath ? rules.classify(p.buf, p.start, p.end) : EXCLUDED;
    if (kind === EXCLUDED) stats.excluded++;
    else if (kind === BOOK_PATH) {
      this.counter.addHashed(p.buf, p.start, p.end, rules.hash);
      stats.counted++;
    }
  }

  /** A line longer than the limit: a line, not parsed. */
  longLine(): void {
    this.own.lines++;
    this.own.malformed++;
    this.own.longLines++;
  }

  /** The file is done: its keys and counts (stats are final from here on). */
  result(): KeyCounts {
    const stats = this.stats;
    const counts = this.counter.toMap();
    const reader = this.reader;
    if (reader !== null) {
      reader.forEachKey((key, count) => counts.set(key, (counts.get(key) ?? 0) + count));
      this.reader = null;
      releaseBlockReader(reader);
    }
    this.final = { ...stats };
    return { keys: [...counts.keys()], counts: [...counts.values()] };
  }
}

function isRobots(b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== ROBOTS.length) return false;
  for (let k = 0; k < ROBOTS.length; k++) if (b[s + k] !== ROBOTS[k]) return false;
  return true;
}
