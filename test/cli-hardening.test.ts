/**
 * The CLI around the engine, as an unlucky user meets it: names that are not UTF-8, folders it
 * may not enter, paths too long, links into /proc, missing inputs, outputs that cannot be written,
 * Ctrl-C mid-run, hostile text in keys and names. Real files, real processes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempDir } from './support/temp-dir';
import { CLI, runCli, startCli } from './support/cli';
import { childrenOf } from './support/processes';
import { emptyTotals, reportTotals, type JsonReport } from '../shared/run-report';
import { defaultQuery } from '../shared/query';

const line = (p: string): string => `1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET ${p} HTTP/1.1" 200 5 "-" "UA"\n`;

function json(res: ReturnType<typeof runCli>): JsonReport {
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout) as JsonReport;
}

test('names that are not UTF-8: folders walked, files read, given by name too; shown with U+FFFD', () => {
  const root = tempDir('logpool-bytes-');
  const badDir = Buffer.concat([Buffer.from(`${root}/logs-`), Buffer.from([0xff, 0xfe])]);
  mkdirSync(badDir);
  writeFileSync(Buffer.concat([badDir, Buffer.from('/a.log')]), line('/book/a/1').repeat(3));
  const badFile = Buffer.concat([Buffer.from(`${root}/b-`), Buffer.from([0xe9]), Buffer.from('.log')]);
  writeFileSync(badFile, line('/book/b/2').repeat(2));
  const report = json(runCli([root, '--json', '-', '--quiet'].flatMap((a, i) => (i === 0 ? ['analyze', a] : [a]))));
  assert.deepEqual(report.files.map((f) => [path.relative(root, f.path), f.status]).sort(), [['b-\uFFFD.log', 'ok'], ['logs-\uFFFD\uFFFD/a.log', 'ok']]);
  assert.equal(report.panels['book-paths']!.counted, 5);
  // named on the command line: the bytes reach the engine (Node alone would pass U+FFFD: ENOENT)
  // (spawn would pass the name through a string: bash puts the bytes in argv as a shell would)
  const res = spawnSync('bash', ['-c', 'exec "$0" "$1" analyze "$(printf "%s/b-\\351.log" "$2")" --json - --quiet', process.execPath, CLI, root], { encoding: 'utf8' });
  const named = json(res);
  assert.equal(named.files[0]!.status, 'ok', named.files[0]!.error);
  assert.equal(named.panels['book-paths']!.counted, 2);
});

test('a folder that cannot be entered, and a path longer than the OS allows, are reported with the reason', () => {
  const root = tempDir('logpool-perm-');
  chmodSync(root, 0o755);
  writeFileSync(path.join(root, 'ok.log'), line('/book/a/1'));
  // r-- parent: its names can be listed, but nothing under it can be looked at
  mkdirSync(path.join(root, 'locked', 'inner'), { recursive: true });
  writeFileSync(path.join(root, 'locked', 'inner', 'x.log'), line('/book/x/1'));
  writeFileSync(path.join(root, 'locked', 'y.log'), line('/book/y/1'));
  chmodSync(path.join(root, 'locked'), 0o744);
  // deeper than PATH_MAX (4096 bytes), made one relative step at a time
  const long = 'd'.repeat(250);
  spawnSync('bash', ['-c', `cd "$1" && mkdir deep && cd deep && for i in $(seq 20); do mkdir ${long} && cd ${long}; done && echo x > bottom.log`, '_', root]);
  // as root every permission passes: run as nobody where this runs as root
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  // --no-cache: the user nobody has no cache folder to write to
  const res = spawnSync(process.execPath, [CLI, 'analyze', root, '--json', '-', '--quiet', '--no-cache'], { encoding: 'utf8', ...asNobody });
  const report = json(res);
  const byPath = new Map(report.files.map((f) => [path.relative(root, f.path), f]));
  assert.equal(byPath.get('ok.log')?.status, 'ok');
  const inner = byPath.get(path.join('locked', 'inner'));
  assert.equal(inner?.status, 'failed');
  assert.match(inner!.error!, /folder not readable: EACCES/);
  const y = byPath.get(path.join('locked', 'y.log'));
  assert.equal(y?.status, 'failed');
  assert.match(y!.error!, /EACCES/);
  spawnSync('rm', ['-rf', path.join(root, 'deep')]); // rm walks it relatively; Node's rmSync cannot
  const tooLong = report.files.find((f) => /ENAMETOOLONG/.test(f.error ?? ''));
  assert.ok(tooLong, `the path too long is reported: ${JSON.stringify(report.files.map((f) => [f.status, f.error]))}`);
  assert.equal(tooLong.status, 'failed');
  assert.equal(report.totals.files, report.files.length);
});

test('a link into /proc is not walked (it would reach the whole root file system); the report says so', () => {
  const root = tempDir('logpool-proc-');
  writeFileSync(path.join(root, 'a.log'), line('/book/a/1'));
  symlinkSync('/proc', path.join(root, 'proc-link'));
  symlinkSync('/sys', path.join(root, 'sys-link'));
  symlinkSync('/dev', path.join(root, 'dev-link'));
  const started = performance.now();
  const report = json(runCli(['analyze', root, '--pattern', '*', '--json', '-', '--quiet']));
  assert.ok(performance.now() - started < 10_000);
  const byName = new Map(report.files.map((f) => [path.basename(f.path), f]));
  assert.equal(byName.get('a.log')?.status, 'ok');
  assert.match(byName.get('proc-link')?.error ?? '', /pseudo file system \(proc\), not walked/);
  assert.match(byName.get('sys-link')?.error ?? '', /pseudo file system \(sysfs\), not walked/);
  assert.match(byName.get('dev-link')?.error ?? '', /pseudo file system \(devtmpfs\), not walked/);
  assert.equal(report.files.length, 4);
});

test('a missing input among others is failed with the reason and the rest is analysed (exit 0)', () => {
  const root = tempDir('logpool-missing-');
  writeFileSync(path.join(root, 'a.log'), line('/book/a/1').repeat(4));
  const report = json(runCli(['analyze', path.join(root, 'a.log'), path.join(root, 'gone.log'), '--json', '-', '--quiet']));
  assert.equal(report.panels['book-paths']!.counted, 4);
  const gone = report.files.find((f) => f.path.endsWith('gone.log'));
  assert.equal(gone?.status, 'failed');
  assert.match(gone!.error!, /ENOENT/);
});

test('outputs: a path that cannot be written is refused before the run; each output says where it went', () => {
  const root = tempDir('logpool-out-');
  writeFileSync(path.join(root, 'a.log'), line('/book/a/1'));
  const cases: Array<[string[], RegExp]> = [
    [['--csv', path.join(root, 'no', 'such', 'x.csv')], /cannot write --csv .*x\.csv: the folder .*such does not exist/],
    [['--json', root], /cannot write --json .*: it is a folder/],
  ];
  for (const [extra, message] of cases) {
    const res = runCli(['analyze', root, ...extra]);
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, message);
    assert.equal(res.stdout, '', 'nothing was analysed');
  }
  const out = path.join(root, 'r.json');
  const csv = path.join(root, 'r.csv');
  const res = runCli(['analyze', root, '--json', out, '--csv', csv, '--panels', 'paths,status']);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /wrote the JSON report to .*r\.json \([\d.]+ K?B, 2 panels\)/);
  assert.match(res.stderr, /wrote the CSV of every key to .*r\.csv \(\d+ B, 2 keys\)/);
  assert.deepEqual(readdirSync(root).filter((n) => n.endsWith('.tmp')), [], 'no temporary file left');
});

test('control characters in keys and file names never reach the terminal raw', () => {
  const root = tempDir('logpool-esc-');
  writeFileSync(path.join(root, 'a.log'), line('/book/\x1b[2J/\x07x').repeat(2));
  // a broken link, so that its name is listed among the problem files
  symlinkSync(path.join(root, 'nowhere'), path.join(root, 'evil\nok      fake.log: forged.log'));
  const res = runCli(['analyze', root, '--pattern', '*', '--csv', path.join(root, 'k.csv')]);
  assert.equal(res.status, 0, res.stderr);
  // eslint-disable-next-line no-control-regex -- looking for raw control characters
  assert.doesNotMatch(res.stdout + res.stderr, /[\x00-\x09\x0b-\x1f\x7f]/, 'no raw control character but newlines');
  assert.match(res.stderr, /evil\\nok {6}fake\.log: forged\.log/, 'the name with a newline stays on one line');
  assert.match(res.stdout, /\/book\/\\x1b\[2J\/\\x07x/);
  // the exact key is kept in the outputs
  assert.ok(readFileSync(path.join(root, 'k.csv'), 'utf8').includes('/book/\x1b[2J/\x07x,2'));
});

test('Ctrl-C keeps what was finished: the result is printed and written, marked interrupted (exit 130)', async () => {
  const root = tempDir('logpool-int-');
  for (let i = 0; i < 3; i++) writeFileSync(path.join(root, `small-${i}.log`), line(`/book/s/${i}`).repeat(10));
  const member = gzipSync(Buffer.from(line('/book/big/x').repeat(400_000)), { level: 1 });
  writeFileSync(path.join(root, 'zz-big.log.gz'), Buffer.concat(Array.from({ length: 100 }, () => member)));
  const out = path.join(root, 'report.json');
  const child = startCli(['analyze', root, '--workers', '1', '--json', out]);
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stdout += d));
  const started = performance.now();
  // the three small files (sorted first) are done well within a second; the big one takes many
  while (childrenOf(child.pid!).length === 0 || performance.now() - started < 1000) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 130, stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  assert.equal(report.interrupted, true);
  assert.equal(report.panels['book-paths']!.counted, 30, 'the finished files are counted');
  const big = report.files.find((f) => f.path.endsWith('zz-big.log.gz'));
  assert.equal(big?.status, 'skipped');
  assert.match(big!.error!, /interrupted while being read: not counted/);
  assert.match(stdout, /Top book paths \(\/book\/…\)\n {2}3 keys · 30 lines/);
  assert.match(stderr, /interrupted: the result holds the 3 of 4 files finished before Ctrl-C/);
  assert.ok(existsSync(out));
});

test('a second Ctrl-C leaves at once', async () => {
  const root = tempDir('logpool-int2-');
  const member = gzipSync(Buffer.from(line('/book/big/x').repeat(400_000)), { level: 1 });
  writeFileSync(path.join(root, 'big.log.gz'), Buffer.concat(Array.from({ length: 100 }, () => member)));
  const child = startCli(['analyze', root, '--workers', '1']);
  while (childrenOf(child.pid!).length === 0) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGINT');
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 130);
});

test('zip and other archives are failed with their kind, never read as text; a broken bzip2, xz or zstd stream is partial with the reason', () => {
  const root = tempDir('logpool-kinds-');
  const kinds: Array<[string, number[], RegExp]> = [
    ['d.log', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], /a zip archive: not read/],
    ['e.log', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00], /a 7-Zip archive/],
    ['f.log.1', [0x04, 0x22, 0x4d, 0x18, 0x64], /an lz4-compressed file/],
  ];
  const broken: Array<[string, number[], RegExp]> = [
    ['a.log.gz', [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59], /^bzip2 data (corrupt|truncated)/],
    ['b.log.gz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00], /^xz data (corrupt|truncated)/],
    ['c.log.gz', [0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x04], /^zstd data (corrupt|truncated)/],
  ];
  for (const [name, bytes] of [...kinds, ...broken]) writeFileSync(path.join(root, name), Buffer.concat([Buffer.from(bytes), Buffer.from('\n1.2.3.4 garbage\n')]));
  // a tar archive: its mark is at byte 257
  const tar = Buffer.alloc(1024);
  tar.write('access.log', 0);
  tar.write('ustar', 257);
  writeFileSync(path.join(root, 'g.log.tar'), tar);
  writeFileSync(path.join(root, 'h.log'), line('/book/a/1')); // and a plain one, read
  writeFileSync(path.join(root, 'BZh.log'), 'BZh is not bzip2 without its block size\n');
  const report = json(runCli(['analyze', root, '--json', '-', '--quiet']));
  const byName = new Map(report.files.map((f) => [path.basename(f.path), f]));
  for (const [name, , reason] of kinds) {
    assert.equal(byName.get(name)?.status, 'failed', name);
    assert.match(byName.get(name)!.error!, reason);
    assert.equal(byName.get(name)!.lines, 0);
  }
  for (const [name, , reason] of broken) {
    assert.equal(byName.get(name)?.status, 'partial', name);
    assert.match(byName.get(name)!.error!, reason);
    assert.equal(byName.get(name)!.parsed, 0, 'none of the garbage is read as log lines');
  }
  assert.match(byName.get('g.log.tar')?.error ?? '', /a tar archive/);
  assert.equal(byName.get('h.log')?.status, 'ok');
  assert.equal(byName.get('BZh.log')?.status, 'ok');
  assert.equal(report.totals.failed, 4);
});

test('a JSON report larger than any JavaScript string is written whole, exactly as JSON.stringify lays it out, and read back whole by logpool merge', async () => {
  const { writeJsonReport } = await import('../electron/engine/json-report.js');
  const { jsonPieces } = await import('../electron/engine/json-stream.js');
  const small = { analysis: 'book-paths', top: [{ key: 'a"\\\u2028é', count: 1 }], distinct: 1, nested: { empty: [], o: {}, n: null, u: undefined, f: 1.5 }, files: [] };
  assert.equal([...jsonPieces(small)].join(''), JSON.stringify(small, null, 2));
  // arrays that stand for elements produced as they are written (a panel's every key): laid out the same
  const rows = [{ key: 'b', count: 2, bytes: 3, deep: [1, { x: [] }] }, { key: 'c', count: 1, bytes: 0, deep: [] }];
  const none: unknown[] = [];
  const some: unknown[] = [];
  const expanded = { a: some, b: none, c: [some, none] };
  const expand = (v: unknown): Iterable<unknown> | undefined => (v === some ? rows.values() : v === none ? [].values() : undefined);
  assert.equal([...jsonPieces(expanded, '', expand)].join(''), JSON.stringify({ a: rows, b: [], c: [rows, []] }, null, 2));
  // 1.1 M keys of 500 characters: 550 M characters of keys alone, past V8's limit for one string
  // (2^29 - 24); JSON.stringify of this fails with "Invalid string length"
  const top = Array.from({ length: 1_100_000 }, (_, i) => ({ key: `/book/${String(i).padStart(494, '0')}`, count: 1 }));
  // a slice's partial (the only slice of one), as `analyze --shard 1/1 --json` writes it
  const partial = { shard: { index: 1, count: 1 }, query: defaultQuery(['paths']), version: 'test' };
  const report: JsonReport = { panels: { paths: { top: top.map((k) => ({ ...k, bytes: 0 })), distinct: top.length, counted: top.length, bytes: 0, excluded: 0 } }, totals: reportTotals(emptyTotals()), formats: {}, files: [], workers: 1, executor: 'process', elapsedMs: 0, partial };
  const out = path.join(tempDir('logpool-bigjson-'), 'big.json');
  const bytes = await writeJsonReport(out, report);
  assert.ok(bytes > 2 ** 29, `${bytes} bytes`);
  const fd = await import('node:fs').then((fs) => fs.openSync(out, 'r'));
  const fs = await import('node:fs');
  const tail = Buffer.alloc(4000);
  fs.readSync(fd, tail, 0, 4000, bytes - 4000);
  fs.closeSync(fd);
  assert.match(tail.toString(), /"distinct": 1100000,[\s\S]*"elapsedMs": 0,\n {2}"partial": \{[\s\S]*\n}\n$/);
  // read as bytes by the merge (as text it would be past the same limit): every key, once
  const { mergePartials } = await import('../electron/engine/merge-partials.js');
  const merged = await mergePartials([out]);
  assert.equal(merged.panels[0]!.distinct, top.length);
  assert.deepEqual(merged.panels[0]!.top(2), top.slice(0, 2).map((k) => ({ ...k, bytes: 0 })));
  fs.rmSync(out);
});
