/**
 * One file's reduction: every line classified (malformed / parsed; excluded / counted) and the
 * analysis key counted. Fed whole lines by the line splitter.
 */
import type { AnalysisOptions } from '../../../shared/analysis-options';
import { emptyLineStats, type KeyCounts, type LineStats } from '../../../shared/file-result';
import { WS } from './ascii';
import { matchAccessLine, newLineMatch } from './access-line';
import { isValidLogTime } from './log-time';
import { compilePathRules, type PathRules } from './path-rules';
import { newByteSlice, requestPath } from './request-path';

const ROBOTS = Buffer.from('/robots.txt');

export class LineAnalyzer {
  readonly stats: LineStats = emptyLineStats();
  readonly counts = new Map<string, number>();
  private readonly match = newLineMatch();
  private readonly path = newByteSlice();
  private readonly rules: PathRules;
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
    const m = this.match;
    if (e === s || !matchAccessLine(b, s, e, m) || !isValidLogTime(b, m.timeStart, m.timeEnd)) {
      stats.malformed++;
      return;
    }
    stats.parsed++;
    const p = this.path;
    const hasPath = requestPath(b, m.requestStart, m.requestEnd, p);
    if (this.robots) {
      if (hasPath && isRobots(p.buf, p.start, p.end)) this.count(b, m.hostStart, m.hostEnd);
      return;
    }
    if (!hasPath || this.rules.isExcluded(p.buf, p.start, p.end)) {
      stats.excluded++;
      return;
    }
    if (this.rules.isBookPath(p.buf, p.start, p.end)) this.count(p.buf, p.start, p.end);
  }

  /** A line longer than the limit: a line, not parsed. */
  longLine(): void {
    this.stats.lines++;
    this.stats.malformed++;
    this.stats.longLines++;
  }

  result(): KeyCounts {
    return { keys: [...this.counts.keys()], counts: [...this.counts.values()] };
  }

  private count(b: Buffer, s: number, e: number): void {
    const key = b.toString('utf8', s, e);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.stats.counted++;
  }
}

function isRobots(b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== ROBOTS.length) return false;
  for (let k = 0; k < ROBOTS.length; k++) if (b[s + k] !== ROBOTS[k]) return false;
  return true;
}
