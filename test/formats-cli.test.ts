/**
 * The logs people have, end to end through the CLI (analysis-semantics.md §12): a folder mixing
 * every format — combined, vhost_combined, Caddy, Traefik and nginx JSON lines, the user's own
 * formats — with compressed copies of it (gzip, bzip2, xz, zstd, each with several streams or
 * frames), gives the panels CPython gives for the same lines, and each file's lines by format;
 * a truncated stream is partial; standard input reads like a file; a format that cannot be used
 * is refused (exit 2) with the reason.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempDir } from './support/temp-dir';
import { CLI, TEST_CACHE_HOME, runCli } from './support/cli';
import { formatLines, USER_FORMATS } from './support/format-lines';
import { linesOf, ourQuery, textOf } from './support/panel-outcomes';
import { cpythonOutcomes, cpythonSkip } from './support/cpython-panels';
import { sumOutcomes } from './support/reference-run';
import { ALL_PANELS } from './support/reference-semantics';
import type { JsonReport } from '../shared/run-report';

const has = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
const missing = ['bzip2', 'xz', 'zstd'].filter((t) => !has(t));
const skip = cpythonSkip() || (missing.length > 0 ? `${missing.join(', ')} not installed here (.ci/run installs them): cannot make the compressed files` : false);

function compress(tool: string, data: Buffer): Buffer {
  const res = spawnSync(tool, ['-c'], { input: data, maxBuffer: 256 << 20 });
  assert.equal(res.status, 0, String(res.stderr));
  return res.stdout;
}

/** Two streams (or members, or frames) back to back, of the two halves of the text. */
function twoStreams(tool: string, text: Buffer): Buffer {
  const half = text.indexOf(10, text.length >> 1) + 1;
  const pack = (b: Buffer): Buffer => (tool === 'gzip' ? gzipSync(b) : compress(tool, b));
  return Buffer.concat([pack(text.subarray(0, half)), pack(text.subarray(half))]);
}

test('a folder of every format and its compressed copies: the panels CPython gives, and each file\'s lines by format', { skip }, () => {
  const lines = linesOf(textOf(formatLines(6_000, 7)));
  const text = textOf(lines);
  const dir = tempDir('logpool-formats-');
  writeFileSync(path.join(dir, 'mixed.log'), text);
  for (const [tool, ext] of [['gzip', 'gz'], ['bzip2', 'bz2'], ['xz', 'xz'], ['zstd', 'zst']] as const) writeFileSync(path.join(dir, `mixed.log.${ext}`), twoStreams(tool, text));
  const outcomes = cpythonOutcomes(ourQuery({ panels: [...ALL_PANELS], filters: {}, logFormats: USER_FORMATS }), lines);
  const one = sumOutcomes(outcomes, ALL_PANELS);

  const args = ['analyze', dir, '--panels', 'all', '--top', '0', '--json', '-', '--quiet', '--pattern', 'mixed*', ...USER_FORMATS.flatMap((f) => ['--log-format', f])];
  const run = runCli(args);
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout) as JsonReport;
  assert.equal(report.files.length, 5);
  for (const f of report.files) {
    assert.equal(f.status, 'ok', `${f.path}: ${f.error}`);
    assert.deepEqual(f.formats, one.formats, f.path);
  }
  assert.deepEqual(report.files.map((f) => f.compression).sort(), ['bzip2', 'gzip', 'none', 'xz', 'zstd']);
  assert.deepEqual({ lines: report.totals.lines, parsed: report.totals.parsed, filtered: report.totals.filtered }, { lines: one.totals.lines * 5, parsed: one.totals.parsed * 5, filtered: 0 });
  for (const panel of ALL_PANELS) {
    const expected = [...one.keys.get(panel)!.values()].map((k) => `${k.key}\t${k.count * 5}\t${k.bytes * 5}`).sort();
    const got = report.panels[panel]!.top.map((k) => `${k.key}\t${k.count}\t${k.bytes}`).sort();
    assert.deepEqual(got, expected, panel);
  }
  for (const f of ['json-caddy', 'json-traefik', 'json-nginx', 'combined', 'vhost_combined', 'user-1', 'user-2', 'user-3', 'user-4', 'user-5']) assert.ok(one.formats[f]! > 0, `no line read as ${f}`);

  // the same bytes piped in: one file named -
  const piped = spawnSync(process.execPath, [CLI, 'analyze', '-', '--panels', 'all', '--top', '0', '--json', '-', '--quiet', ...USER_FORMATS.flatMap((f) => ['--log-format', f])], { input: twoStreams('zstd', text), encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, XDG_CACHE_HOME: TEST_CACHE_HOME } });
  assert.equal(piped.status, 0, piped.stderr);
  const fromStdin = JSON.parse(piped.stdout) as JsonReport;
  assert.deepEqual(fromStdin.files.map((f) => [f.path, f.status, f.compression, f.lines]), [['-', 'ok', 'zstd', one.totals.lines]]);
  assert.deepEqual(fromStdin.formats, one.formats);
});

test('a truncated bzip2, xz or zstd file is partial: the lines before the break are counted, the reason given', { skip }, () => {
  const text = textOf(formatLines(20_000, 8));
  const dir = tempDir('logpool-truncated-');
  for (const [tool, ext] of [['bzip2', 'bz2'], ['xz', 'xz'], ['zstd', 'zst']] as const) {
    const whole = compress(tool, text);
    writeFileSync(path.join(dir, `cut.log.${ext}`), whole.subarray(0, Math.floor(whole.length * 0.6)));
  }
  const report = JSON.parse(runCli(['analyze', dir, '--json', '-', '--quiet']).stdout) as JsonReport;
  assert.equal(report.files.length, 3);
  for (const f of report.files) {
    assert.equal(f.status, 'partial', f.path);
    assert.match(f.error!, /^(bzip2|xz|zstd) data (truncated|corrupt) .*lines before the break are counted/);
    assert.ok(f.lines > 1000 && f.lines < 20_000, `${f.path}: ${f.lines} lines`);
  }
});

test('--log-format: a format without a host, time, status or request is refused with the reason (exit 2); the help says how', () => {
  const res = runCli(['analyze', '.', '--log-format', '%h %t "%r"']);
  assert.equal(res.status, 2);
  assert.match(res.stderr, /--log-format "%h %t \\"%r\\"": read as an Apache LogFormat, it has no status \(%>s or %s\)/);
  const ngx = runCli(['analyze', '.', '--log-format', '$remote_addr [$time_local] $status']);
  assert.equal(ngx.status, 2);
  assert.match(ngx.stderr, /nginx log_format, it has no request/);
  assert.match(runCli(['--help']).stdout, /--log-format FORMAT/);
});

test('a file of another layout: the summary shows its first malformed line (control characters escaped) and names --log-format; given the format, it is read', () => {
  const dir = tempDir('logpool-hint-');
  const lines = Array.from({ length: 50 }, (_, i) => `2012-06-01T10:00:${String(i).padStart(2, '0')}+00:00 1.2.3.4 GET /book/a/${i} 200 \x1b[31m\n`).join('');
  writeFileSync(path.join(dir, 'other.log'), lines);
  const res = runCli(['analyze', dir]);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /malformed .*other\.log: 50 of 50 lines; the first: "2012-06-01T10:00:00\+00:00 1\.2\.3\.4 GET \/book\/a\/0 200 \\u001b\[31m"/);
  assert.match(res.stderr, /give it with --log-format/);
  assert.ok(!res.stderr.includes("\u001b"), "no raw escape reaches the terminal");
  const read = JSON.parse(runCli(['analyze', dir, '--json', '-', '--quiet', '--panels', 'book-paths', '--log-format', '$time_iso8601 $remote_addr $request_method $request_uri $status']).stdout) as JsonReport;
  assert.deepEqual({ parsed: read.totals.parsed, formats: read.formats }, { parsed: 50, formats: { 'user-1': 50 } });
  assert.equal(read.panels['book-paths']!.counted, 50);
});
