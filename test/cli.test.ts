/**
 * The CLI end to end on real files: gzip, plain with CRLF, multi-member gzip, truncated and
 * corrupt gzip, a binary file, an empty file, a last line without newline; JSON, CSV and exit
 * codes checked against the reference reading of the same bytes; all executors identical.
 */
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './support/temp-dir';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { LogGenerator, mulberry32 } from './support/log-generator';
import { referenceReport, referenceRun } from './support/reference-run';
import { ALL_PANELS, referenceQuery } from './support/panel-outcomes';
import { OPTION_SETS } from './support/verdicts';
import { runCli, startCli } from './support/cli';
import { childrenOf } from './support/processes';
import { compareKeyCounts } from '../shared/key-count';
import type { JsonReport } from '../shared/run-report';

let dir: string;
/** Files that must not be inside the scanned folder. */
let outside: string;
/** The text each file holds (what a reader can get out of it before any break). */
const texts = new Map<string, Buffer>();

before(() => {
  dir = tempDir('logpool-cli-');
  outside = tempDir('logpool-cli-out-');
  const put = (name: string, data: Buffer, text: Buffer): void => {
    writeFileSync(path.join(dir, name), data);
    texts.set(name, text);
  };
  const text = (seed: number, n: number, eol = '\n'): Buffer => Buffer.from(new LogGenerator({ seed, malformedRate: 0.01 }).lines(n, eol));
  const a = text(11, 3000);
  put('a.log.gz', gzipSync(a), a);
  const b = text(12, 2000, '\r\n');
  put('b.log', b, b);
  const c1 = text(13, 1500);
  const c2 = text(14, 1500);
  put('c.log.gz', Buffer.concat([gzipSync(c1), gzipSync(c2)]), Buffer.concat([c1, c2]));
  const dWhole = gzipSync(text(15, 4000));
  const dCut = dWhole.subarray(0, Math.floor(dWhole.length / 2));
  put('d.log.gz', dCut, gunzipSync(dCut, { finishFlush: constants.Z_SYNC_FLUSH }));
  const e = Buffer.concat([text(16, 500), Buffer.from('1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/a,b/"q" HTTP/1.1" 200 5')]);
  put('e-access', e, e); // no trailing newline; a key that needs CSV quoting
  const rnd = mulberry32(9);
  const junk = Buffer.from(Array.from({ length: 50_000 }, () => Math.floor(rnd() * 256)));
  junk[0] = 0x00; // not gzip magic
  put('f.log', junk, junk);
  put('empty.log', Buffer.alloc(0), Buffer.alloc(0));
  writeFileSync(path.join(dir, 'notes.txt'), 'not picked up by the default patterns\n');
});

function json(args: string[], env: NodeJS.ProcessEnv = {}): JsonReport {
  const res = runCli(['analyze', dir, '--json', '-', '--quiet', ...args], env);
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout) as JsonReport;
}

const ALL = ALL_PANELS;

test('JSON: every panel, the totals and every file match the reference reading of the same bytes', () => {
  const report = json(['--panels', 'all', '--top', '25']);
  const ref = referenceReport([...texts.values()], referenceQuery({ panels: [...ALL], filters: {} }), 25);
  assert.deepEqual(Object.keys(report.panels), [...ALL], 'panels in the order asked');
  assert.deepEqual(report.panels, ref.panels);
  const { lines, parsed, malformed, filtered } = report.totals;
  assert.deepEqual({ lines, parsed, malformed, filtered }, ref.totals);
  assert.equal(report.totals.files, 7);
  assert.ok(ref.panels['book-paths']!.counted > 1000 && ref.panels.referers!.distinct > 3 && ref.panels.hours!.distinct > 1, 'the folder exercises the panels');
  assert.deepEqual(
    Object.fromEntries(report.files.map((f) => [path.basename(f.path), f.status])),
    { 'a.log.gz': 'ok', 'b.log': 'ok', 'c.log.gz': 'ok', 'd.log.gz': 'partial', 'e-access': 'ok', 'f.log': 'ok', 'empty.log': 'ok' },
  );
  const d = report.files.find((f) => f.path.endsWith('d.log.gz'))!;
  assert.match(d.error!, /truncated/);
  assert.ok(d.lines > 1000);
  // per-file line accounting adds up
  for (const f of report.files) {
    assert.equal(f.malformed, f.lines - f.parsed);
    assert.equal(f.bytes, readFileSync(f.path).length);
    assert.ok(f.worker >= 1);
    assert.deepEqual(Object.keys(f).filter((k) => k !== 'error'), ['path', 'status', 'lines', 'parsed', 'malformed', 'filtered', 'bytes', 'ms', 'worker', 'compression', 'formats']);
    // every parsed line was read by one format, and counted under it
    assert.equal(Object.values(f.formats).reduce((a, n) => a + n, 0), f.parsed);
    assert.equal(f.compression, f.path.endsWith('.gz') ? 'gzip' : 'none');
  }
  assert.deepEqual(report.formats, { combined: report.totals.parsed });
  const f = report.files.find((x) => x.path.endsWith('f.log'))!;
  assert.equal(f.parsed, 0);
  assert.equal(report.executor, 'process');
});

test('filters from the command line: every panel matches the reference, and --analysis X means --panels X', () => {
  const since = '2012-06-30T20:20-04:00';
  const until = '2012-07-01T01:00Z';
  const status = ['2xx', '304', '500-599'];
  const report = json(['--panels', 'all', '--top', '0', '--since', since, '--until', until, '--status', status.join(','), '--method', 'GET,HEAD', '--path-prefix', '/book/', '--path-prefix', '/blog']);
  const given = { since, until, status, method: ['GET', 'HEAD'], pathPrefix: ['/book/', '/blog'] };
  const ref = referenceReport([...texts.values()], referenceQuery({ panels: [...ALL], filters: given }));
  assert.deepEqual(report.panels, ref.panels);
  assert.equal(report.totals.filtered, ref.totals.filtered);
  assert.ok(ref.totals.filtered > 1000 && ref.panels.paths!.counted > 1000, 'the filters keep some lines and drop others');
  assert.deepEqual(report.filters, given);
  assert.deepEqual(json(['--analysis', 'status']).panels, json(['--panels', 'status']).panels);
  // a host filter, alone
  const host = json(['--panels', 'hosts,paths', '--host', '2001:db8::1', '--top', '0']);
  assert.deepEqual(host.panels.hosts!.top.map((k) => k.key), ['2001:db8::1']);
  assert.deepEqual(host.panels, referenceReport([...texts.values()], referenceQuery({ panels: ['hosts', 'paths'], filters: { host: ['2001:db8::1'] } })).panels);
});

test('the default panels: the book\'s top paths first and unchanged, then paths, status, hosts and days', () => {
  const report = json([]);
  assert.deepEqual(Object.keys(report.panels), ['book-paths', 'paths', 'status', 'hosts', 'days']);
  const ref = referenceRun([...texts.values()], OPTION_SETS[0]!);
  const book = report.panels['book-paths']!;
  const expected = [...ref.counter].map(([key, count]) => ({ key, count, bytes: 0 })).sort(compareKeyCounts).slice(0, 20);
  assert.deepEqual(book.top.map(({ key, count }) => ({ key, count })), expected.map(({ key, count }) => ({ key, count })));
  assert.equal(book.counted, ref.totals.counted);
  assert.equal(book.excluded, ref.totals.excluded);
});

test('CSV: every key of every panel with its count and bytes, header, RFC 4180 quoting', () => {
  const csv = path.join(outside, 'out.csv');
  const res = runCli(['analyze', dir, '--csv', csv, '--quiet', '--panels', 'book-paths,status,days']);
  assert.equal(res.status, 0, res.stderr);
  const ref = referenceReport([...texts.values()], referenceQuery({ panels: ['book-paths', 'status', 'days'], filters: {} }));
  const field = (k: string): string => (/[",\r\n]/.test(k) ? `"${k.replace(/"/g, '""')}"` : k);
  const expected = ['panel,key,count,bytes', ...Object.entries(ref.panels).flatMap(([name, p]) => p.top.map((e) => `${name},${field(e.key)},${e.count},${e.bytes}`)), ''];
  const body = readFileSync(csv, 'utf8');
  assert.deepEqual(body.split('\r\n'), expected);
  assert.ok(body.includes('book-paths,"/book/a,b/""q""",1,5'), 'a key with a comma and quotes is quoted');
  // the tables still go to stdout
  assert.match(res.stdout, /Top book paths/);
  assert.match(res.stdout, /Lines per day \(UTC\)/);
});

test('the three executors, and the JavaScript reader alone, give identical results for every panel', () => {
  const strip = (r: JsonReport) => ({
    ...r,
    elapsedMs: 0,
    executor: '',
    workers: 0,
    files: r.files.map((f) => ({ ...f, ms: 0, worker: 0 })).sort((x, y) => x.path.localeCompare(y.path)),
  });
  const all = ['--panels', 'all', '--top', '0'];
  const process = strip(json(['--executor', 'process', ...all]));
  assert.deepEqual(strip(json(['--executor', 'thread', ...all])), process);
  assert.deepEqual(strip(json(['--executor', 'serial', ...all])), process);
  assert.deepEqual(strip(json(['--executor', 'process', '--workers', '3', '--chunksize', '2', ...all])), process);
  // and the JavaScript reader alone (LOGPOOL_PARSER=js, which workers inherit) gives the same
  assert.deepEqual(strip(json(all, { LOGPOOL_PARSER: 'js' })), process);
});

test('a re-run reads only the lines appended to a log, in its own process, and says so; the result is a fresh run\'s', () => {
  const logs = tempDir('logpool-cli-rerun-');
  const cacheHome = tempDir('logpool-cli-rerun-cache-');
  const log = path.join(logs, 'access.log');
  writeFileSync(log, new LogGenerator({ seed: 31 }).lines(3000));
  writeFileSync(path.join(logs, 'old.log.gz'), gzipSync(new LogGenerator({ seed: 32 }).lines(3000)));
  const analyze = (...more: string[]) => {
    const res = runCli(['analyze', logs, '--json', '-', '--panels', 'all', '--top', '0', ...more], { XDG_CACHE_HOME: cacheHome });
    assert.equal(res.status, 0, res.stderr);
    const report = JSON.parse(res.stdout) as JsonReport;
    return { report, said: res.stderr, fields: { ...report, elapsedMs: 0, executor: '', workers: 0, cache: undefined, files: report.files.map((f) => ({ ...f, ms: 0, worker: 0, cache: undefined })).sort((x, y) => x.path.localeCompare(y.path)) } };
  };
  assert.match(analyze().said, /· 2 workers \(process\)/);
  appendFileSync(log, new LogGenerator({ seed: 33 }).lines(400));
  const rerun = analyze();
  assert.match(rerun.said, /· read in this process\n/);
  assert.match(rerun.said, /from the cache: 1 unchanged file not read again, 1 read only where they grew/);
  assert.equal(rerun.report.executor, 'serial');
  assert.deepEqual(rerun.fields, analyze('--no-cache').fields);
});

test('robots-hosts and a custom prefix and exclusion lists reach the workers', () => {
  const robots = json(['--analysis', 'robots-hosts', '--top', '0']);
  const refRobots = referenceRun([...texts.values()], OPTION_SETS.find((o) => o.analysis === 'robots-hosts')!);
  assert.equal(robots.panels['robots-hosts']!.counted, refRobots.totals.counted);
  assert.equal(robots.panels['robots-hosts']!.distinct, refRobots.counter.size);
  const blogOptions = OPTION_SETS[1]!;
  const blog = json(['--panels', 'book-paths', '--prefix', 'blog', '--exclude-names', blogOptions.names.join(','), '--exclude-ext', blogOptions.extensions.join(','), '--top', '0']);
  const refBlog = referenceRun([...texts.values()], blogOptions);
  const panel = blog.panels['book-paths']!;
  assert.equal(panel.counted, refBlog.totals.counted);
  assert.equal(panel.excluded, refBlog.totals.excluded);
  const expected = [...refBlog.counter].map(([key, count]) => ({ key, count, bytes: 0 })).sort(compareKeyCounts);
  assert.deepEqual(panel.top.map(({ key, count }) => ({ key, count })), expected.map(({ key, count }) => ({ key, count })));
});

test('a corrupt gzip file is partial with the reason; the run goes on', () => {
  const whole = gzipSync(new LogGenerator({ seed: 21 }).lines(20_000));
  const bad = Buffer.from(whole);
  for (let i = 0; i < 64; i++) bad[Math.floor(whole.length / 2) + i]! ^= 0x5a;
  const file = path.join(outside, 'out-corrupt.log.gz');
  writeFileSync(file, bad);
  const res = runCli(['analyze', file, path.join(dir, 'b.log'), '--json', '-', '--quiet']);
  assert.equal(res.status, 0);
  const report = JSON.parse(res.stdout) as JsonReport;
  const corrupt = report.files.find((f) => f.path === file)!;
  assert.equal(corrupt.status, 'partial');
  assert.match(corrupt.error!, /gzip data corrupt/);
  assert.ok(corrupt.lines > 0 && corrupt.lines < 20_000);
  assert.match(res.stderr, /partial .*corrupt\.log\.gz: gzip data corrupt/);
});

test('exit codes and messages: bad usage is 2 with a clear message; --help is 0', () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /no command given/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['analyze'], /needs at least one folder or file/],
    [['analyze', 'x', '--workers', '0'], /--workers must be at least 1/],
    [['analyze', 'x', '--workers', 'two'], /--workers takes a whole number/],
    [['analyze', 'x', '--executor', 'gpu'], /--executor must be one of process, thread, serial/],
    [['analyze', 'x', '--analysis', 'statuses'], /--analysis: "statuses" is not a panel \(panels: book-paths, .*, or all\)/],
    [['analyze', 'x', '--panels', 'paths,nope'], /--panels: "nope" is not a panel/],
    [['analyze', 'x', '--panels', ','], /--panels needs at least one panel/],
    [['analyze', 'x', '--status', '7xx'], /--status "7xx" is not a status: give a code \(404\), a class 1xx to 5xx/],
    [['analyze', 'x', '--status', '500-400'], /--status "500-400" is not a status/],
    [['analyze', 'x', '--since', 'yesterday'], /--since "yesterday" is not a time: give a date \(2012-06-01/],
    [['analyze', 'x', '--until', '2012-02-30'], /--until "2012-02-30" is not a time/],
    [['analyze', 'x', '--since', '2012-06-02', '--until', '2012-06-01'], /is not before --until/],
    [['analyze', 'x', '--method', ''], /--method needs at least one method/],
    [['analyze', 'x', '--host', ','], /--host needs at least one host/],
    [['analyze', 'x', '--path-prefix', ''], /--path-prefix needs at least one path prefix/],
    [['analyze', 'x', '--bogus'], /unknown option --bogus/],
    [['analyze', 'x', '--json'], /--json needs a value/],
    [['analyze', '/no/such/folder'], /no input exists \(\/no\/such\/folder: ENOENT/],
    [['analyze', 'x', '--workers', '64'], /--workers: 64 workers is more than \d+ \(4 per core/],
    [['analyze', 'x', '--stall-timeout', 'soon'], /--stall-timeout takes a whole number/],
  ];
  for (const [args, message] of cases) {
    const res = runCli(args);
    assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, message);
  }
  const help = runCli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /logpool analyze <folder\|file>\.\.\. \[options\]/);
  assert.match(help.stdout, /--executor KIND/);
});

test('a 200 MB line does not blow up a worker: counted as a long line, the rest parsed', async () => {
  const { runAnalysis } = await import('../electron/engine/run-analysis.js');
  const { defaultQuery } = await import('../shared/query.js');
  const good = '1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/a/b HTTP/1.1" 200 5\n';
  const huge = Buffer.alloc(200 * 1024 * 1024, 'a');
  const file = path.join(outside, 'out-huge.log.gz');
  writeFileSync(file, Buffer.concat([gzipSync(good), gzipSync(huge, { level: 1 }), gzipSync(`\n${good}`)]));
  const result = await runAnalysis({ roots: [file], query: defaultQuery(), patterns: ['*'], workers: 1, executor: 'process', chunksize: 1 });
  const f = result.files[0]!;
  assert.equal(f.status, 'ok');
  assert.deepEqual([f.lines, f.parsed, f.malformed, f.longLines, result.panels[0]!.counted], [3, 2, 1, 1, 2]);
  assert.ok(result.peakWorkerRss < 150 * 1024 * 1024, `worker peak RSS ${(result.peakWorkerRss / 2 ** 20).toFixed(0)} MB`);
});

test('Ctrl-C: exit 130 promptly, every worker stopped', async () => {
  // a large, quick-to-make gzip file: the same line many times
  const line = '1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/a/b HTTP/1.1" 200 5 "-" "UA"\n';
  const file = path.join(outside, 'out-big.log.gz');
  const member = gzipSync(Buffer.from(line.repeat(400_000)), { level: 1 });
  // 100 members: 40 million lines, several seconds even at this engine's speed
  writeFileSync(file, Buffer.concat(Array.from({ length: 100 }, () => member)));
  const child = startCli(['analyze', file, '--workers', '2']);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  // interrupt once a worker is reading
  const started = performance.now();
  while (childrenOf(child.pid!).length === 0 || performance.now() - started < 500) {
    assert.ok(performance.now() - started < 10_000, 'no worker started');
    await new Promise((r) => setTimeout(r, 50));
  }
  const workers = childrenOf(child.pid!);
  assert.ok(workers.length >= 1, 'workers were running');
  const sentAt = performance.now();
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 130, stderr);
  assert.ok(performance.now() - sentAt < 2000);
  assert.match(stderr, /interrupted: the result holds the \d+ of \d+ files finished before Ctrl-C/);
  for (const pid of workers) assert.throws(() => process.kill(pid, 0), /ESRCH/);
});

test('--follow: lines appended while it runs are counted, and Ctrl-C ends it with every line ended before it counted and the result written (exit 0)', async () => {
  const dir = tempDir('logpool-cli-follow-');
  const line = (n: number): string => `1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/follow/${n} HTTP/1.1" 200 5 "-" "UA"\n`;
  const log = path.join(dir, 'access.log');
  writeFileSync(log, line(1) + line(2));
  const out = path.join(dir, 'out.json');
  const child = startCli(['analyze', dir, '--follow', '--json', out, '--top', '0']);
  let stderr = '';
  const said = (what: RegExp): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => void (what.test(stderr) && resolve());
      child.stderr.on('data', check);
      check();
    });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // the first run is over when it says it follows (stderr is no terminal: one line)
  await said(/logpool: following 1 files: 2 lines/);
  appendFileSync(log, line(3) + line(3).slice(0, 20));
  appendFileSync(log, line(3).slice(20));
  // Ctrl-C looks once more: every line ended before it is counted
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 0, stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { totals: { lines: number }; panels: Record<string, { top: Array<{ key: string; count: number }> }> };
  assert.equal(report.totals.lines, 4);
  assert.match(stderr, /followed: 2 lines counted after the first run, 0 files appeared/);
  assert.deepEqual(report.panels['book-paths']!.top.map((k) => [k.key, k.count]), [['/book/follow/3', 2], ['/book/follow/1', 1], ['/book/follow/2', 1]]);
});
