/**
 * Our parsers' verdicts for single lines, in the reference's terms: the JavaScript reader alone,
 * and the WebAssembly block reader (with the JavaScript reader for the lines it hands back), as
 * the worker runs them.
 */
import { defaultAnalysisOptions, type AnalysisOptions } from '../../shared/analysis-options';
import { LineAnalyzer } from '../../electron/worker/parse/line-analyzer';
import { BlockReader } from '../../electron/worker/wasm/block-reader';
import type { ReferenceOptions, Verdict } from './reference-semantics';

export const READERS = ['javascript', 'webassembly'] as const;
export type Reader = (typeof READERS)[number];

export function analysisFor(o: ReferenceOptions): AnalysisOptions {
  return { ...defaultAnalysisOptions(o.analysis), prefix: o.prefix, excludedNames: o.names, excludedExtensions: o.extensions };
}

export function ourVerdicts(lines: readonly Buffer[], o: ReferenceOptions, reader: Reader = 'javascript'): Verdict[] {
  return reader === 'javascript' ? javascriptVerdicts(lines, o) : blockVerdicts(lines, o);
}

function javascriptVerdicts(lines: readonly Buffer[], o: ReferenceOptions): Verdict[] {
  const analyzer = new LineAnalyzer(analysisFor(o), { blockReader: false });
  let lastKey: string | undefined;
  for (const method of ['add', 'addHashed'] as const) {
    const original = analyzer.counter[method].bind(analyzer.counter) as (b: Uint8Array, s: number, e: number, h: number) => void;
    analyzer.counter[method] = (b: Uint8Array, s: number, e: number, h?: number) => {
      lastKey = Buffer.from(b.subarray(s, e)).toString('utf8');
      original(b, s, e, h as number);
    };
  }
  return lines.map((line) => {
    const before = { ...analyzer.stats };
    lastKey = undefined;
    analyzer.line(line, 0, line.length);
    const s = analyzer.stats;
    if (s.lines !== before.lines + 1) throw new Error('a line must count once');
    if (s.malformed > before.malformed) return { kind: 'malformed' };
    if (s.excluded > before.excluded) return { kind: 'excluded' };
    if (s.counted > before.counted) return { kind: 'counted', key: lastKey! };
    return { kind: 'other' };
  });
}

/**
 * Each line as a block of its own ("line\n"); a line the block reader hands back is read by the
 * JavaScript reader. (A line holding '\n' cannot be one line of a block: the splitter would have
 * cut it. Those go to the JavaScript reader alone.)
 */
/** Of the lines of the last webassembly run: how many the block reader decided itself. */
export const blockTally = { decided: 0, handedBack: 0 };

function blockVerdicts(lines: readonly Buffer[], o: ReferenceOptions): Verdict[] {
  const options = analysisFor(o);
  blockTally.decided = 0;
  blockTally.handedBack = 0;
  const block = BlockReader.create(options);
  if (block === null) throw new Error('the WebAssembly block reader is not available here');
  return lines.map((line) => {
    if (line.includes(10)) {
      blockTally.handedBack++;
      return javascriptVerdicts([line], o)[0]!;
    }
    block.beginFile();
    let handedBack: Buffer | undefined;
    block.readBlock(Buffer.concat([line, Buffer.from('\n')]), 0, line.length + 1, (b, s, e) => {
      handedBack = b.subarray(s, e);
    });
    const s = block.stats();
    if (handedBack !== undefined) {
      if (s.lines !== 0) throw new Error('a line handed back must not be counted by the block reader');
      blockTally.handedBack++;
      return javascriptVerdicts([handedBack], o)[0]!;
    }
    if (s.lines !== 1) throw new Error('a line must count once');
    blockTally.decided++;
    if (s.malformed === 1) return { kind: 'malformed' };
    if (s.excluded === 1) return { kind: 'excluded' };
    if (s.counted === 1) {
      const keys: string[] = [];
      block.forEachKey((key, count) => {
        if (count !== 1) throw new Error('one line, one count');
        keys.push(key);
      });
      if (keys.length !== 1) throw new Error('a counted line has one key');
      return { kind: 'counted', key: keys[0]! };
    }
    return { kind: 'other' };
  });
}

export const OPTION_SETS: ReferenceOptions[] = [
  {
    analysis: 'book-paths',
    prefix: 'book',
    names: ['favicon.ico', 'robots.txt', 'humans.txt', 'crossdomain.xml', '_images', 'search.html', 'genindex.html', 'searchindex.js', 'modindex.html', 'py-modindex.html'],
    extensions: ['.png', '.js', '.css'],
  },
  { analysis: 'book-paths', prefix: 'blog', names: ['x', 'caf\u00e9', 'post-1.html'], extensions: ['.php', '.xml'] },
  // empty entries: an empty name matches every empty part, an empty ending every path
  { analysis: 'book-paths', prefix: 'book', names: [''], extensions: [''] },
  { analysis: 'robots-hosts', prefix: 'book', names: [], extensions: [] },
];
