/**
 * The byte-level parser against an independent reading of the spec (the spec's regex run as a
 * regex, _strptime's pattern and checks, urlparse statement by statement), line by line, over
 * generated, adversarial and mutated lines, and the spec's worked examples.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { adversarialLines } from './support/adversarial-lines';
import { LogGenerator } from './support/log-generator';
import { referenceVerdict, referenceTimeIsValid, type Verdict } from './support/reference-semantics';
import { OPTION_SETS, READERS, blockTally, ourVerdicts } from './support/verdicts';
import { isValidLogTime } from '../electron/worker/parse/log-time';

const book = OPTION_SETS[0]!;

test('the spec\'s worked examples', () => {
  const full = (time: string, req: string, tail = ' "-" "UA"'): string => `1.2.3.4 - - [${time}] "${req}" 200 5${tail}`;
  const t = '01/Jun/2012:22:17:54 -0400';
  const cases: Array<[string, Verdict]> = [
    [full(t, 'GET /book/fp/ch1.html HTTP/1.1'), { kind: 'counted', key: '/book/fp/ch1.html' }],
    [full(t, 'GET /book/fp/ch1.html HTTP/1.1', ''), { kind: 'counted', key: '/book/fp/ch1.html' }],
    [`2001:db8::1 - - [${t}] "GET /book/fp/ch1.html HTTP/1.1" 200 5`, { kind: 'counted', key: '/book/fp/ch1.html' }],
    [`crawl-1.googlebot.com - - [${t}] "GET /book/fp/ch1.html HTTP/1.1" 200 5`, { kind: 'counted', key: '/book/fp/ch1.html' }],
    [full(t, 'GET /book/fp/ch1.html?utm=x HTTP/1.1'), { kind: 'counted', key: '/book/fp/ch1.html' }],
    [full(t, 'GET /book/fp/ch1.html;jsessionid=AB HTTP/1.1'), { kind: 'counted', key: '/book/fp/ch1.html' }],
    [full(t, 'GET http://example.com/book/fp/ HTTP/1.1'), { kind: 'counted', key: '/book/fp/' }],
    [full(t, 'GET /book/ HTTP/1.1'), { kind: 'other' }],
    [full(t, 'GET /book/_images/f.png HTTP/1.1'), { kind: 'excluded' }],
    [full(t, 'GET /book/fp/searchindex.js HTTP/1.1'), { kind: 'excluded' }],
    [full('31/Feb/2012:10:00:00 -0400', 'GET /book/a/b HTTP/1.1'), { kind: 'malformed' }],
    [full('01/Jun/2012:23:59:60 +0000', 'GET /book/a/b HTTP/1.1'), { kind: 'malformed' }],
    [full('1/jun/2012:1:2:3 -0400', 'GET /book/a/b HTTP/1.1'), { kind: 'counted', key: '/book/a/b' }],
    [`1.2.3.4 - - [${t}] "-" 408 -`, { kind: 'excluded' }],
    [`1.2.3.4 - - [${t}] "GET /book/fp/ch1.html" 200 5`, { kind: 'excluded' }],
    [full(t, 'GET /book/with space/x.html HTTP/1.1'), { kind: 'counted', key: '/book/with space/x.html' }],
    ['', { kind: 'malformed' }],
    ['garbage', { kind: 'malformed' }],
    // an escaped quote stays inside the request
    [full(t, 'GET /book/a\\"b HTTP/1.1'), { kind: 'counted', key: '/book/a\\"b' }],
    // trailing slash kept, CR stripped
    [`${full(t, 'GET /book/x/ HTTP/1.1')}\r`, { kind: 'counted', key: '/book/x/' }],
  ];
  const lines = cases.map(([l]) => Buffer.from(l, 'latin1'));
  for (const reader of READERS) {
    const ours = ourVerdicts(lines, book, reader);
    cases.forEach(([line, expected], i) => {
      assert.deepEqual(ours[i], expected, `ours (${reader}): ${JSON.stringify(line)}`);
      assert.deepEqual(referenceVerdict(lines[i]!, book), expected, `reference: ${JSON.stringify(line)}`);
    });
  }
});

test('robots.txt hosts: exact path before exclusion, key = host', () => {
  const robots = OPTION_SETS.find((o) => o.analysis === 'robots-hosts')!;
  const lines = [
    '66.249.66.1 - - [01/Jun/2012:22:17:54 -0400] "GET /robots.txt HTTP/1.1" 200 5',
    'crawl.example - - [01/Jun/2012:22:17:54 -0400] "GET /robots.txt?x=1 HTTP/1.1" 200 5 "-" "bot"',
    '1.1.1.1 - - [01/Jun/2012:22:17:54 -0400] "GET /x/robots.txt HTTP/1.1" 200 5',
  ].map((l) => Buffer.from(l));
  for (const reader of READERS) {
    assert.deepEqual(ourVerdicts(lines, robots, reader), [
      { kind: 'counted', key: '66.249.66.1' },
      { kind: 'counted', key: 'crawl.example' },
      { kind: 'other' },
    ], reader);
  }
});

test('time field: every accept/reject rule of strptime agrees with the reference', () => {
  const samples: string[] = [];
  const days = ['1', '01', ' 1', '0', '00', '09', '10', '29', '30', '31', '32', '3', ' 0', '  1', '001'];
  const months = ['Jan', 'jan', 'FEB', 'fEb', 'Sep', 'sept', 'Jun', 'Xyz'];
  const years = ['2012', '2011', '2000', '1900', '0000', '0001', '9999', '12', '20121'];
  const clocks = ['0:0:0', '00:00:00', '23:59:59', '24:00:00', '9:5:7', '19:60:00', '23:59:60', '23:59:61', '2:03:4', '07:5:09'];
  const zones = ['+0000', '-0400', '+2359', '+2400', '-2400', '+9959', 'Z', 'z', '+01:00', '+01:00:30', '+0100:30', '+01:0030', '+010030', '+010030.123456', '+010030.1234567', '+0160', '+01', '-00:00', '+0000 '];
  for (const d of days) for (const m of months.slice(0, 3)) samples.push(`${d}/${m}/2012:10:00:00 +0000`);
  for (const m of months) for (const y of years) samples.push(`29/${m}/${y}:10:00:00 -0400`);
  for (const c of clocks) for (const z of zones) samples.push(`01/Jun/2012:${c} ${z}`);
  for (const sep of [' ', '  ', '\t', '\x0b', '\r\n', '']) samples.push(`01/Jun/2012:10:00:00${sep}+0000`);
  for (const s of samples) {
    const b = Buffer.from(s, 'latin1');
    assert.equal(isValidLogTime(b, 0, b.length), referenceTimeIsValid(s), JSON.stringify(s));
  }
});

for (const options of OPTION_SETS) for (const reader of READERS) {
  test(`differential (${reader} reader): ${options.analysis} prefix=${options.prefix} names=${options.names.length} endings=${JSON.stringify(options.extensions)}, 60,000 adversarial and generated lines`, () => {
    const lines = [...adversarialLines(40_000, 7 + options.prefix.length), ...Buffer.from(new LogGenerator({ seed: 3, malformedRate: 0.02 }).lines(20_000)).toString('latin1').split('\n').map((l) => Buffer.from(l, 'latin1'))];
    const ours = ourVerdicts(lines, options, reader);
    if (reader === 'webassembly') {
      // the block reader must decide most lines itself, or the comparison proves little about it
      assert.ok(blockTally.decided > 20_000, `the block reader decided only ${blockTally.decided} lines`);
    }
    let mismatches = 0;
    const kinds = new Map<string, number>();
    for (let i = 0; i < lines.length; i++) {
      const expected = referenceVerdict(lines[i]!, options);
      kinds.set(expected.kind, (kinds.get(expected.kind) ?? 0) + 1);
      if (JSON.stringify(ours[i]) !== JSON.stringify(expected)) {
        mismatches++;
        if (mismatches <= 5) assert.fail(`${reader}: line ${i} ${JSON.stringify(lines[i]!.toString('latin1'))}: ours ${JSON.stringify(ours[i])}, reference ${JSON.stringify(expected)}`);
      }
    }
    assert.equal(mismatches, 0);
    // the corpus must exercise every outcome, or the comparison proves little
    const everythingExcluded = options.extensions.includes('');
    const expectedKinds = everythingExcluded ? ['malformed', 'excluded'] : ['malformed', 'counted', 'other', ...(options.analysis === 'book-paths' ? ['excluded'] : [])];
    for (const kind of expectedKinds) {
      assert.ok((kinds.get(kind) ?? 0) > 100, `too few ${kind} lines: ${kinds.get(kind) ?? 0}`);
    }
  });
}
