/** Our parser's verdict for single lines, in the reference's terms. */
import { defaultAnalysisOptions, type AnalysisOptions } from '../../shared/analysis-options';
import { LineAnalyzer } from '../../electron/worker/parse/line-analyzer';
import type { ReferenceOptions, Verdict } from './reference-semantics';

export function analysisFor(o: ReferenceOptions): AnalysisOptions {
  return { ...defaultAnalysisOptions(o.analysis), prefix: o.prefix, excludedNames: o.names, excludedExtensions: o.extensions };
}

export function ourVerdicts(lines: readonly Buffer[], o: ReferenceOptions): Verdict[] {
  const analyzer = new LineAnalyzer(analysisFor(o));
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
