/**
 * `analyze --shard K/N` and `logpool merge`: the N slices of a folder, merged, are exactly one
 * run over everything — every panel, every total, every file — and a merge that would not be
 * (a slice missing or given twice, another query, not a partial) is refused with the reason.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from './support/cli';
import { tempDir } from './support/temp-dir';
import { LogGenerator } from './support/log-generator';
import type { JsonReport } from '../shared/run-report';

function logsFolder(): string {
  const dir = tempDir('logpool-shard-');
  mkdirSync(path.join(dir, 'old'));
  for (let i = 0; i < 9; i++) {
    const text = new LogGenerator({ seed: 700 + i }).lines(800 + i * 50);
    if (i % 3 === 0) writeFileSync(path.join(dir, 'old', `access-${i}.log.gz`), gzipSync(text));
    else writeFileSync(path.join(dir, `access-${i}.log`), text);
  }
  const cut = gzipSync(new LogGenerator({ seed: 799 }).lines(3000));
  writeFileSync(path.join(dir, 'access-cut.log.gz'), cut.subarray(0, cut.length >> 1));
  writeFileSync(path.join(dir, 'scan.log'), '%PDF-1.4\n\x00\x01');
  writeFileSync(path.join(dir, 'vhost.log'), 'example.com:443 1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/x HTTP/1.1" 404 7 "-" "UA"\nnot a line\n');
  return dir;
}

/** What a run counted: everything but timings and who read what. */
function counted(report: JsonReport): unknown {
  const files = report.files.map(({ ms: _m, worker: _w, cache: _c, ...f }) => f).sort((a, b) => (a.path < b.path ? -1 : 1));
  return { panels: report.panels, totals: report.totals, formats: report.formats, filters: report.filters, files };
}

const QUERY = ['--panels', 'all', '--status', '2xx,404', '--no-cache'];

test('N slices merged equal one run over everything, for every panel', () => {
  const dir = logsFolder();
  const out = tempDir('logpool-shard-out-');
  const whole = runCli(['analyze', dir, ...QUERY, '--top', '0', '--json', '-', '--quiet']);
  assert.equal(whole.status, 0, whole.stderr);
  const expected = JSON.parse(whole.stdout) as JsonReport;
  for (const n of [1, 3, 7]) {
    const parts: string[] = [];
    const owners = new Map<string, number>();
    for (let k = 1; k <= n; k++) {
      const part = path.join(out, `part-${k}-of-${n}.json`);
      const res = runCli(['analyze', dir, ...QUERY, '--shard', `${k}/${n}`, '--json', part, '--quiet']);
      assert.equal(res.status, 0, res.stderr);
      const report = JSON.parse(readFileSync(part, 'utf8')) as JsonReport;
      assert.deepEqual(report.partial?.shard, { index: k, count: n });
      for (const f of report.files) {
        assert.equal(owners.get(f.path), undefined, `${f.path} is in one slice only`);
        owners.set(f.path, k);
      }
      parts.push(part);
    }
    assert.equal(owners.size, expected.files.length, 'every entry is in some slice');
    const merged = runCli(['merge', ...parts.reverse(), '--top', '0', '--json', '-']);
    assert.equal(merged.status, 0, merged.stderr);
    assert.deepEqual(counted(JSON.parse(merged.stdout) as JsonReport), counted(expected), `${n} slices`);
    // the table and the CSV too, as for any run
    const csv = path.join(out, `merged-${n}.csv`);
    assert.equal(runCli(['merge', ...parts, '--csv', csv, '--quiet']).status, 0);
    const wholeCsv = path.join(out, `whole-${n}.csv`);
    assert.equal(runCli(['analyze', dir, ...QUERY, '--csv', wholeCsv, '--quiet']).status, 0);
    assert.equal(readFileSync(csv, 'utf8'), readFileSync(wholeCsv, 'utf8'));
  }
});

test('a merge that would not be the whole run is refused, saying why', () => {
  const dir = logsFolder();
  const out = tempDir('logpool-shard-bad-');
  const part = (k: number, n: number, extra: string[] = []): string => {
    const file = path.join(out, `p${k}-${n}-${extra.length}.json`);
    assert.equal(runCli(['analyze', dir, ...QUERY, ...extra, '--shard', `${k}/${n}`, '--json', file, '--quiet']).status, 0);
    return file;
  };
  const [a, b, c] = [part(1, 3), part(2, 3), part(3, 3)];
  const refused = (args: string[], message: RegExp): void => {
    const res = runCli(['merge', ...args]);
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, message);
  };
  refused([a, b], /slices missing: 3 of 3/);
  refused([a, b, b, c], /slice 2\/3 is given twice/);
  refused([a, b, part(3, 3, ['--top', '5', '--prefix', 'other'])], /counted another query/);
  refused([a, b, part(3, 4)], /not slices of one run/);
  const notPartial = path.join(out, 'whole.json');
  assert.equal(runCli(['analyze', dir, '--json', notPartial, '--quiet', '--no-cache']).status, 0);
  refused([notPartial], /is not a partial result/);
  const garbage = path.join(out, 'garbage.json');
  writeFileSync(garbage, '{"panels": ');
  refused([garbage], /is not JSON/);
  refused([path.join(out, 'nowhere.json')], /cannot read .*ENOENT/);
  // usage: a slice needs a file to write its partial to, and a valid K/N
  for (const [args, message] of [
    [['analyze', dir, '--shard', '1/2'], /give it --json FILE/],
    [['analyze', dir, '--shard', '3/2', '--json', path.join(out, 'x.json')], /--shard must be K\/N/],
    [['analyze', '-', '--shard', '1/2', '--json', path.join(out, 'x.json')], /standard input/],
    [['merge'], /merge needs the partial results/],
  ] as Array<[string[], RegExp]>) {
    const res = runCli(args);
    assert.equal(res.status, 2);
    assert.match(res.stderr, message);
  }
});
