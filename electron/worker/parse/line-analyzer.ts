/**
 * One file's reduction: every line classified (malformed / parsed; excluded / counted) and the
 * analysis key counted. Fed whole lines by the line splitter.
 */
import type { AnalysisOptions } from '../../../shared/analysis-options';
import { emptyLineStats, type KeyCounts, type LineStats } from '../../../shared/file-result';
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
  readonly stats: LineStats = emptyLineStats();
  readonly counter = new ByteKeyCounter();
  private readonly match = newLineMatch();
  private readonly path = newByteSlice();
  private readonly host = newByteSlice();
  private readonly rules: PathClassifier;
  private readonly robots: boolean;

  constructor(options: AnalysisOptions) {
    this.rules = compilePathRules(options);
    this.robots = options.kind === 'robots-hosts';
  }

  /** A line b[s, e) without its '\n'. */
  line(b: Buffer, s: number, e: number): void {
    const stats = this.stats;
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
    this.stats.lines++;
    this.stats.malformed++;
    this.stats.longLines++;
  }

  result(): KeyCounts {
    const counts = this.counter.toMap();
    return { keys: [...counts.keys()], counts: [...counts.values()] };
  }
}

function isRobots(b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== ROBOTS.length) return false;
  for (let k = 0; k < ROBOTS.length; k++) if (b[s + k] !== ROBOTS[k]) return false;
  return true;
}
