/**
 * The desktop package as electron-builder really makes it (`--dir`, Linux), with a stand-in for
 * the Electron binary: electron-builder takes an unpacked Electron from `electronDist`, and the
 * real one cannot be downloaded here. The stand-in carries Electron's fuse wire, so the fuses
 * the config asks for are really flipped and checked. What is checked is what the package
 * holds: the app, the worker and everything it loads inside app.asar, the sample logs beside
 * it, and none of what Vite already bundled (react, react-dom, recharts) or the tests.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './support/temp-dir';

const ROOT = path.join(__dirname, '..', '..');
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse wire version 1, eight fuses, all '0' (off) but the last two '1': they are not configured, so they must stay. */
const STUB_WIRE = '00000011';

interface Asar {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  extractFile(archive: string, filename: string): Buffer;
}

function stubElectronDist(dir: string): void {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const wire = Buffer.from(STUB_WIRE, 'latin1');
  const binary = Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), Buffer.from(FUSE_SENTINEL), Buffer.from([1, wire.length]), wire]);
  writeFileSync(path.join(dir, 'electron'), binary, { mode: 0o755 });
  writeFileSync(path.join(dir, 'version'), electronVersion());
}

function electronVersion(): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The `require`s of a compiled file: tsc's (double quotes) and the worker's own lazy ones (single). */
function requiresOf(source: string): string[] {
  return [...source.matchAll(/require\((["'])([^"']+)\1\)/g)].map((m) => m[2]!);
}

const built = existsSync(path.join(ROOT, 'out', 'renderer', 'index.html'));

test('electron-builder --dir: the package holds the app and the worker, not what Vite bundled', { skip: built ? false : 'the app is not built (npm run build)' }, () => {
  const work = tempDir('logpool-dist-');
  const dist = path.join(work, 'electron-dist');
  stubElectronDist(dist);
  const output = path.join(work, 'out');
  const res = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--dir', '--linux', '--x64', `-c.electronDist=${dist}`, `-c.electronVersion=${electronVersion()}`, `-c.directories.output=${output}`],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
  );
  assert.equal(res.status, 0, `electron-builder failed:\n${res.stdout}\n${res.stderr}`);
  const resources = path.join(output, 'linux-unpacked', 'resources');
  const archive = path.join(resources, 'app.asar');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- electron-builder's own asar reader
  const asar = require(path.join(ROOT, 'node_modules', '@electron', 'asar')) as Asar;
  const files = new Set(asar.listPackage(archive, { isPack: false }).map((f) => f.replace(/^[\\/]/, '').split(path.sep).join('/')));

  // the app: main, preload, worker, the page
  for (const f of ['package.json', 'out/electron/main/index.js', 'out/electron/preload/index.js', 'out/electron/worker/entry.js', 'out/renderer/index.html']) {
    assert.ok(files.has(f), `${f} is in app.asar`);
  }
  // what Vite bundled into the page, and the tests, are not shipped again
  for (const f of files) {
    assert.doesNotMatch(f, /^node_modules\/(react|react-dom|recharts|electron|typescript|vite)\//, `${f} should not be in app.asar`);
    assert.doesNotMatch(f, /^out\/test\//, `${f} should not be in app.asar`);
    assert.doesNotMatch(f, /\.map$/, `${f}: source maps are not shipped`);
  }
  // the worker runs from inside app.asar (Electron's utility processes read asar archives as the
  // main process does): everything it loads, followed require by require, is in the archive
  const seen = new Set<string>();
  const pending = ['out/electron/worker/entry.js'];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    assert.ok(files.has(file), `${file} (loaded by the worker) is in app.asar`);
    for (const spec of requiresOf(asar.extractFile(archive, file).toString('utf8'))) {
      if (spec.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
        pending.push(files.has(`${target}.js`) ? `${target}.js` : files.has(target) ? target : `${target}/index.js`);
      } else if (!spec.startsWith('node:') && !/^(fs|path|os|zlib|stream|util|events|buffer|string_decoder|crypto|worker_threads|child_process|assert|perf_hooks|v8|timers|readline)$/.test(spec)) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        assert.ok(files.has(`node_modules/${name}/package.json`), `the worker's dependency ${name} is in app.asar`);
      }
    }
  }
  assert.ok(seen.size > 10, `the worker's own modules were followed (${seen.size})`);
  assert.ok(!existsSync(path.join(resources, 'app.asar.unpacked')), 'nothing is unpacked');
  // the sample logs beside app.asar, where a packaged app looks for them
  const samples = readdirSync(path.join(resources, 'sample-logs'));
  assert.deepEqual(samples.sort(), readdirSync(path.join(ROOT, 'build', 'sample-logs')).sort());
  const size = statSync(archive).size;
  assert.ok(size < 5 * 1024 * 1024, `app.asar is ${(size / 1e6).toFixed(1)} MB`);

  // the fuses: RunAsNode off, cookie encryption on, NODE_OPTIONS and --inspect off, asar integrity
  // and app-from-asar-only on; the two fuses not configured keep the binary's state
  const binary = readFileSync(path.join(output, 'linux-unpacked', 'logpool'));
  const at = binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  assert.equal(binary.subarray(at + 2, at + 2 + STUB_WIRE.length).toString('latin1'), '01001111');
});
