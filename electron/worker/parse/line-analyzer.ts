/**
 * One file's reduction: every line classified (malformed / parsed; filtered; excluded) and
 * counted into every panel of the query, with its size. Fed by the line splitter: blocks of
 * whole lines go to the WebAssembly block reader where there is one, which hands back the lines
 * it cannot decide; those (and every line where there is no block reader) are read here.
 */
import { MALFORMED_SAMPLE_BYTES, addLineStats, emptyLineStats, type LineStats, type PanelCounts } from '../../../shared/file-result';
import { dayKey, hourKey } from '../../../shared/time-buckets';
import { BLOCK_CAPACITY, blockReaderForFile, releaseBlockReader, type BlockReader } from '../wasm/block-reader';
import { WS as WS_TABLE } from './ascii';
import { matchAccessLine, newLineMatch } from './access-line';
import { readLogTime } from './log-time';
import { BOOK_PATH, EXCLUDED, type PathClassifier } from './path-rules';
import { ByteKeyCounter } from './byte-key-counter';
import { emptyCounts, KeyTotals } from '../../../shared/key-totals';
import { isTimePanel } from '../../../shared/panels';
import { NumberKeyCounter } from './number-key-counter';
import { MALFORMED, PARSED, readCanonicalLine } from './canonical-line';
import { JsonLineReader } from './json-line';
import { NO_MATCH, UserFormatReader } from './user-format-line';
import { FIRST_USER_FORMAT, FORMAT_COMBINED, FORMAT_VHOST_COMBINED, formatCounts } from '../../../shared/line-formats';
import { requestPath } from './request-path';
import { instantOf, newLineFields, readMethod, readTail, type LineFields } from './line-fields';
import type { QueryPlan } from './query-plan';

const WS: Uint8Array = WS_TABLE;
const ROBOTS = Buffer.from('/robots.txt');
const LBRACE = 0x7b;
/** general(): §3's pattern does not match at all */
const NO_PATTERN = 0;

export class LineAnalyzer {
  /** The lines read here (not by the block reader). */
  private readonly own: LineStats = emptyLineStats();
  private final: LineStats | undefined;
  private reader: BlockReader | null;
  private readonly maxLineBytes: number;
  private readonly undecided = (b: Buffer, s: number, e: number): void => this.line(b, s, e);
  private readonly match = newLineMatch();
  private readonly f = newLineFields();
  private readonly rules: PathClassifier;
  private readonly plan: QueryPlan;
  private readonly bookPaths: ByteKeyCounter | null;
  private readonly robotsHosts: ByteKeyCounter | null;
  private readonly paths: ByteKeyCounter | null;
  private readonly hosts: ByteKeyCounter | null;
  private readonly status: ByteKeyCounter | null;
  private readonly methods: ByteKeyCounter | null;
  private readonly referers: ByteKeyCounter | null;
  private readonly agents: ByteKeyCounter | null;
  private readonly vhosts: ByteKeyCounter | null;
  private json: JsonLineReader | null = null;
  private readonly user: UserFormatReader | null;
  /** Parsed lines per format (line-formats.ts), read here. */
  private readonly formatLines: Float64Array;
  private sample: string | undefined;
  private readonly hours: NumberKeyCounter | null;
  private readonly days: NumberKeyCounter | null;

  /** `blockReader: false`: read every line here (the tests compare both readers). */
  constructor(plan: QueryPlan, { blockReader = true }: { blockReader?: boolean } = {}) {
    this.plan = plan;
    const q = plan.query;
    this.rules = plan.rules;
    this.maxLineBytes = q.maxLineBytes;
    const has = plan.has;
    const bytes = (name: Parameters<typeof has.has>[0]): ByteKeyCounter | null => (has.has(name) ? new ByteKeyCounter() : null);
    this.bookPaths = bytes('book-paths');
    this.robotsHosts = bytes('robots-hosts');
    this.paths = bytes('paths');
    this.hosts = bytes('hosts');
    this.status = bytes('status');
    this.methods = bytes('methods');
    this.referers = bytes('referers');
    this.agents = bytes('user-agents');
    this.vhosts = bytes('vhosts');
    this.user = q.logFormats.length > 0 ? new UserFormatReader(q.logFormats) : null;
    this.formatLines = new Float64Array(FIRST_USER_FORMAT + q.logFormats.length);
    this.hours = has.has('hours') ? new NumberKeyCounter() : null;
    this.days = has.has('days') ? new NumberKeyCounter() : null;
    // the user's formats are tried before the book's pattern: every line is read here then
    this.reader = blockReader && this.user === null ? blockReaderForFile(plan) : null;
  }

  /** Whether blocks are read by the WebAssembly reader. */
  get usesBlockReader(): boolean {
    return this.reader !== null;
  }

  /** Lines the block reader decided itself so far (the tests check it decides most). */
  get blockReaderLines(): number {
    return this.reader?.stats().lines ?? 0;
  }

  /** Parsed lines by the format that read them (final once result() was called). */
  get formats(): Record<string, number> {
    const counts = Float64Array.from(this.formatLines);
    const fromReader = this.reader?.formatLines();
    if (fromReader) {
      counts[FORMAT_COMBINED] = counts[FORMAT_COMBINED]! + fromReader[0];
      counts[FORMAT_VHOST_COMBINED] = counts[FORMAT_VHOST_COMBINED]! + fromReader[1];
    }
    return formatCounts(counts);
  }

  /** The first non-empty malformed line (its first MALFORMED_SAMPLE_BYTES, as UTF-8). */
  get firstMalformed(): string | undefined {
    return this.sample;
  }

  /** The accounting so far (all of it once result() was called). */
  get stats(): LineStats {
    if (this.final !== undefined) return this.final;
    if (this.reader === null) return this.own;
    const sum = this.reader.stats();
    addLineStats(sum, this.own);
    return sum;
  }

  /**
   * Where whole lines can be put to be read in place (the block reader's input area,
   * BLOCK_CAPACITY bytes; good until the next linesInPlace), or null without a block reader.
   */
  blockArea(): Buffer | null {
    return this.reader?.inputArea() ?? null;
  }

  /** blockArea()[0, n): whole lines, the last ending in '\n'. What follows them in the area is overwritten. */
  linesInPlace(n: number): void {
    this.reader!.readInPlace(n, this.undecided);
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
    while (s < e && WS[b[s]!] === 1) s++;
    if (e === s) {
      stats.malformed++;
      return;
    }
    const f = this.f;
    let buf = b;
    let format: number;
    if (b[s] === LBRACE) {
      // a JSON line is read as JSON and by nothing else (§12.2)
      this.json ??= new JsonLineReader();
      format = this.json.read(b, s, e, f, this.reader);
      buf = this.json.text;
    } else {
      format = this.user === null ? NO_MATCH : this.user.read(b, s, e, f);
      if (format >= 0) format += FIRST_USER_FORMAT;
      else if (format === NO_MATCH) {
        format = this.readCombined(b, s, e, f);
        if (format >= 0) readTail(b, e, f, this.plan.needPair);
      }
    }
    if (format < 0) {
      stats.malformed++;
      this.sample ??= b.toString('utf8', s, Math.min(e, s + MALFORMED_SAMPLE_BYTES));
      return;
    }
    stats.parsed++;
    this.formatLines[format] = this.formatLines[format]! + 1;
    if (this.plan.filter.active && !this.plan.filter.passes(buf, f)) {
      stats.filtered++;
      return;
    }
    this.count(buf);
  }

  /** §3's pattern, then vhost_combined (§12.3): the format's index, or -1 (malformed). */
  private readCombined(b: Buffer, s: number, e: number, f: LineFields): number {
    f.vhostStart = f.vhostEnd = -1;
    const fast = readCanonicalLine(b, s, e, f);
    if (fast === PARSED) return FORMAT_COMBINED;
    // the time's layout fit and its values did not: §3 matches (with an invalid time) or, if it
    // does not, vhost_combined cannot either (its '[' would have to open the fifth token, which
    // here starts with the zone's sign)
    if (fast === MALFORMED) return -1;
    const general = this.general(b, s, e, f);
    if (general !== NO_PATTERN) return general === PARSED ? FORMAT_COMBINED : -1;
    let t = s;
    while (t < e && WS[b[t]!] === 0) t++;
    const vhostEnd = t;
    while (t < e && WS[b[t]!] === 1) t++;
    if (t >= e) return -1;
    const verdict = readCanonicalLine(b, t, e, f) === PARSED ? PARSED : this.general(b, t, e, f);
    if (verdict !== PARSED) return -1;
    f.vhostStart = s;
    f.vhostEnd = vhostEnd;
    return FORMAT_VHOST_COMBINED;
  }

  /** §3's pattern read from s, by the general matcher: PARSED, MALFORMED (it matches, its time is invalid) or NO_PATTERN. */
  private general(b: Buffer, s: number, e: number, f: LineFields): number {
    const m = this.match;
    if (!matchAccessLine(b, s, e, m)) return NO_PATTERN;
    if (!readLogTime(b, m.timeStart, m.timeEnd, f)) return MALFORMED;
    f.hostStart = m.hostStart;
    f.hostEnd = m.hostEnd;
    f.statusStart = m.statusStart;
    f.statusEnd = m.statusEnd;
    f.bytesStart = m.bytesStart;
    f.hasPath = requestPath(b, m.requestStart, m.requestEnd, f.path);
    readMethod(b, m.requestStart, m.requestEnd, f);
    return PARSED;
  }

  /** Count a parsed line that passed the filters into every panel. */
  private count(b: Buffer): void {
    const f = this.f;
    const size = f.size;
    const p = f.path;
    // a line whose fields all lie in the block reader's input area (a JSON line with no escapes
    // in its values, say) is counted there, in its tables: in JavaScript, counting was a third of
    // a JSON line's time
    const reader = this.reader;
    if (reader !== null && (!f.hasPath || p.buf === b) && reader.holds(b)) {
      const time = this.hours !== null || this.days !== null;
      if (reader.countLineFields(f, time ? instantOf(f) : 0)) this.own.excluded++;
      return;
    }
    if (this.plan.needClass) {
      const rules = this.rules;
      const kind = f.hasPath ? rules.classify(p.buf, p.start, p.end) : EXCLUDED;
      if (kind === EXCLUDED) this.own.excluded++;
      else {
        if (kind === BOOK_PATH) this.bookPaths?.addHashed(p.buf, p.start, p.end, rules.hash, size);
        this.paths?.addHashed(p.buf, p.start, p.end, rules.hash, size);
      }
    }
    if (this.robotsHosts !== null && f.hasPath && isRobots(p.buf, p.start, p.end)) this.robotsHosts.add(b, f.hostStart, f.hostEnd, size);
    this.hosts?.add(b, f.hostStart, f.hostEnd, size);
    this.status?.add(b, f.statusStart, f.statusEnd, size);
    if (this.methods !== null && f.methodStart >= 0) this.methods.add(b, f.methodStart, f.methodEnd, size);
    if (this.referers !== null && isShown(b, f.refererStart, f.refererEnd)) this.referers.add(b, f.refererStart, f.refererEnd, size);
    if (this.agents !== null && isShown(b, f.agentStart, f.agentEnd)) this.agents.add(b, f.agentStart, f.agentEnd, size);
    if (this.vhosts !== null && f.vhostStart >= 0) this.vhosts.add(b, f.vhostStart, f.vhostEnd, size);
    if (this.hours !== null || this.days !== null) {
      const at = instantOf(f);
      this.hours?.add(Math.floor(at / 3600), size);
      this.days?.add(Math.floor(at / 86400), size);
    }
  }

  /** A line longer than the limit: a line, not parsed. */
  longLine(): void {
    this.own.lines++;
    this.own.malformed++;
    this.own.longLines++;
  }

  /** The file is done: each panel's keys, counts and bytes, in the query's order (stats are final from here on). */
  result(): PanelCounts[] {
    const stats = this.stats;
    const reader = this.reader;
    const out = this.plan.query.panels.map((name) => {
      // a panel the run reads off another one: not counted here
      if (!this.plan.has.has(name)) return emptyCounts();
      const counter = isTimePanel(name) ? null : this.byteCounter(name);
      // the reader's keys alone go out as they are
      const alone = counter?.size === 0 ? reader?.countsOf(name) : null;
      if (alone) return alone;
      const totals = new KeyTotals();
      if (counter !== null) counter.addTo(totals);
      else if (name === 'hours') this.hours!.addTo(totals, hourKey);
      else this.days!.addTo(totals, dayKey);
      reader?.addKeysTo(name, totals);
      return totals.toCounts();
    });
    if (reader !== null) {
      const [combined, vhost] = reader.formatLines();
      this.formatLines[FORMAT_COMBINED] = this.formatLines[FORMAT_COMBINED]! + combined;
      this.formatLines[FORMAT_VHOST_COMBINED] = this.formatLines[FORMAT_VHOST_COMBINED]! + vhost;
      this.reader = null;
      releaseBlockReader(reader);
    }
    this.final = { ...stats };
    return out;
  }

  private byteCounter(name: string): ByteKeyCounter {
    const c = {
      'book-paths': this.bookPaths,
      'robots-hosts': this.robotsHosts,
      paths: this.paths,
      hosts: this.hosts,
      status: this.status,
      methods: this.methods,
      referers: this.referers,
      'user-agents': this.agents,
      vhosts: this.vhosts,
    }[name];
    if (!c) throw new Error(`no counter for panel ${name}`);
    return c;
  }
}

function isRobots(b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== ROBOTS.length) return false;
  for (let k = 0; k < ROBOTS.length; k++) if (b[s + k] !== ROBOTS[k]) return false;
  return true;
}

/** A referer or agent that gets a key: present, neither empty nor "-". */
function isShown(b: Uint8Array, s: number, e: number): boolean {
  return s >= 0 && e > s && !(e - s === 1 && b[s] === 0x2d);
}
