/**
 * Our parsers' verdicts for single lines, in the reference's terms: the JavaScript reader alone,
 * and the WebAssembly block reader (with the JavaScript reader for the lines it hands back), as
 * the worker runs them.
 */
import { unpackCounts } from '../../shared/key-totals';
import type { Query } from '../../shared/query';
import { LineAnalyzer } from '../../electron/worker/parse/line-analyzer';
import { planQuery } from '../../electron/worker/parse/query-plan';
import { blockReaderAvailable } from '../../electron/worker/wasm/block-reader';
import type { ReferenceOptions, Verdict } from './reference-semantics';

export const READERS = ['javascript', 'webassembly'] as const;
export type Reader = (typeof READERS)[number];

const queries = new Map<string, Query>();

/** The book's analysis (or robots-hosts) as a one-panel query; the same object for the same options (plans are cached by it). */
export function queryFor(o: ReferenceOptions): Query {
  const key = JSON.stringify(o);
  let q = queries.get(key);
  if (q === undefined) {
    q = { panels: [o.analysis], filters: {}, prefix: o.prefix, excludedNames: o.names, excludedExtensions: o.extensions, maxLineBytes: 1 << 20, logFormats: [] };
    queries.set(key, q);
  }
  return q;
}

/** Of the lines of the last webassembly run: how many the block reader decided itself. */
export const blockTally = { decided: 0, handedBack: 0 };

/**
 * Each line read on its own, as a file of one line would be: by the JavaScript reader alone, or
 * by the block reader (with the JavaScript reader for the lines it hands back). A line holding
 * '\n' cannot be one line of a block (the splitter would have cut it): the JavaScript reader
 * alone reads those.
 */
export function ourVerdicts(lines: readonly Buffer[], o: ReferenceOptions, reader: Reader = 'javascript'): Verdict[] {
  if (reader === 'webassembly' && !blockReaderAvailable()) throw new Error('the WebAssembly block reader is not available here');
  const plan = planQuery(queryFor(o));
  blockTally.decided = 0;
  blockTally.handedBack = 0;
  return lines.map((line) => {
    const block = reader === 'webassembly' && !line.includes(10);
    const analyzer = new LineAnalyzer(plan, { blockReader: block });
    if (block) {
      analyzer.lines(Buffer.concat([line, Buffer.from('\n')]), 0, line.length + 1);
      if (analyzer.blockReaderLines === 1) blockTally.decided++;
      else blockTally.handedBack++;
    } else {
      analyzer.line(line, 0, line.length);
    }
    const [panel] = analyzer.result();
    const s = analyzer.stats;
    if (s.lines !== 1) throw new Error('a line must count once');
    if (s.malformed === 1) return { kind: 'malformed' };
    if (s.excluded === 1) return { kind: 'excluded' };
    const keys = unpackCounts(panel!);
    if (keys.length > 1 || (keys.length === 1 && keys[0]![1] !== 1)) throw new Error('one line, one count');
    if (keys.length === 1) return { kind: 'counted', key: keys[0]![0] };
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
