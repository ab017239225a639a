/**
 * The main process's own logic, with Electron's pieces injected: IPC sender checks, validation of
 * renderer input, the event throttle, the controller on real files and real worker processes
 * (message rate, exports, a second start refused) and quitting mid-run.
 */
import { test, mock } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './support/temp-dir';
import { gzipSync } from 'node:zlib';
import { isTrustedSender } from '../electron/main/trusted-sender';
import { makeQuitGuard } from '../electron/main/quit-guard';
import { EventThrottle } from '../electron/main/event-throttle';
import { AppController, type ExportSink } from '../electron/main/app-controller';
import { memoryStore } from '../electron/main/recent-folders';
import { checkRequest } from '../shared/validate-request';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from '../shared/ipc-channels';
import type { AppEvent, ExportOutcome, RunSettings } from '../shared/app-contract';
import { defaultQuery } from '../shared/query';
import { LogGenerator } from './support/log-generator';
import { runCli } from './support/cli';
import { childrenOf } from './support/processes';

const PAGE = 'file:///opt/logpool/out/renderer/index.html';

test('IPC sender check: only our window\'s main frame showing our page', () => {
  const ok = { webContentsId: 7, frameUrl: PAGE, isMainFrame: true };
  assert.equal(isTrustedSender(ok, 7, PAGE), true);
  assert.equal(isTrustedSender({ ...ok, frameUrl: `${PAGE}#x` }, 7, PAGE), true);
  assert.equal(isTrustedSender({ ...ok, webContentsId: 8 }, 7, PAGE), false, 'another webContents');
  assert.equal(isTrustedSender({ ...ok, isMainFrame: false }, 7, PAGE), false, 'a subframe');
  assert.equal(isTrustedSender({ ...ok, frameUrl: 'https://evil.example/' }, 7, PAGE), false, 'navigated away');
  assert.equal(isTrustedSender({ ...ok, frameUrl: 'file:///tmp/other.html' }, 7, PAGE), false, 'another local page');
  assert.equal(isTrustedSender({ ...ok, frameUrl: null }, 7, PAGE), false, 'frame gone');
  assert.equal(isTrustedSender(ok, undefined, PAGE), false, 'no window');
});

const settings = (folder: string, over: Partial<RunSettings> = {}): RunSettings => ({
  folder,
  query: { ...defaultQuery(['book-paths']), excludedNames: ['favicon.ico'], excludedExtensions: ['.png'] },
  cache: false,
  follow: false,
  top: 10,
  workers: 2,
  executor: 'process',
  patterns: ['*.log', '*.gz'],
  ...over,
});
const withQuery = (over: Record<string, unknown>): Partial<RunSettings> => ({ query: { ...settings('/x').query, ...over } as RunSettings['query'] });

const LIMITS = { cores: 2, maxWorkers: 8 };

test('renderer input is validated field by field', () => {
  assert.ok(checkRequest({ type: 'start-run', settings: settings('/x') }, LIMITS).ok);
  assert.ok(checkRequest({ type: 'start-run', settings: settings('C:\\logs') }, LIMITS).ok, 'a Windows path is absolute');
  const bad: Array<[unknown, RegExp]> = [
    [null, /object with a type/],
    [{ type: 'rm-rf' }, /unknown request type/],
    [{ type: 'start-run', settings: settings('/x', { workers: 0 }) }, /workers must be a whole number from 1/],
    [{ type: 'start-run', settings: settings('/x', { workers: 2.5 }) }, /workers/],
    [{ type: 'start-run', settings: settings('/x', withQuery({ panels: ['statuses'] })) }, /panels\[0\] must be one of/],
    [{ type: 'start-run', settings: settings('/x', withQuery({ panels: [] })) }, /at least one panel/],
    [{ type: 'start-run', settings: settings('/x', withQuery({ panels: ['paths', 'paths'] })) }, /must not repeat/],
    [{ type: 'start-run', settings: settings('/x', withQuery({ filters: { status: ['7xx'] } })) }, /--status "7xx" is not a status/],
    [{ type: 'start-run', settings: settings('/x', withQuery({ filters: { since: 'yesterday' } })) }, /--since "yesterday" is not a time/],
    [{ type: 'start-run', settings: settings('/x', withQuery({ filters: { nope: 1 } })) }, /no field "nope"/],
    [{ type: 'start-run', settings: settings('/x', withQuery({ filters: { host: [] } })) }, /--host needs at least one host/],
    [{ type: 'start-run', settings: { ...settings('/x'), executor: 'gpu' } }, /executor must be one of/],
    [{ type: 'start-run', settings: settings('/x', withQuery({ prefix: 'a/b' })) }, /one path segment/],
    [{ type: 'start-run', settings: settings('') }, /folder must be a non-empty string/],
    [{ type: 'start-run', settings: settings('/x\0y') }, /folder/],
    [{ type: 'start-run', settings: settings('x'.repeat(5000)) }, /at most 4096/],
    [{ type: 'start-run', settings: { ...settings('/x'), patterns: 'all' } }, /patterns must be a list/],
    [{ type: 'start-run', settings: settings('/x', { patterns: [] }) }, /at least one/],
    [{ type: 'cancel-run', runId: '1' }, /runId must be a whole number/],
    [{ type: 'export', runId: 1, format: 'xlsx' }, /format must be csv or json/],
    [{ type: 'export-image', runId: 1, panel: 'paths', format: 'png', data: '<svg/>' }, /data:image\/png;base64/],
    [{ type: 'export-image', runId: 1, panel: 'paths', format: 'svg', data: 'javascript:alert(1)' }, /<svg> markup/],
    [{ type: 'export-image', runId: 1, panel: 'nope', format: 'svg', data: '<svg/>' }, /panel must be one of/],
    // resolved against main's working directory, which the user never sees
    [{ type: 'start-run', settings: settings('logs') }, /folder must be an absolute path/],
    [{ type: 'start-run', settings: settings('./logs') }, /absolute path/],
    [{ type: 'start-run', settings: settings('../../etc') }, /absolute path/],
    [{ type: 'start-run', settings: settings('/x', { workers: 9 }) }, /9 workers is more than 8 \(4 per core on this machine's 2 cores\)/],
    [{ type: 'start-run', settings: settings('/x', { workers: 64 }) }, /more than 8/],
    [{ type: 'start-run', settings: { ...settings('/x'), cache: 'yes' } }, /cache must be true or false/],
    [{ type: 'start-run', settings: { ...settings('/x'), follow: 'yes' } }, /follow must be true or false/],
    [{ type: 'list-folder', path: 'logs' }, /path must be an absolute path/],
    [{ type: 'list-folder', path: '/x\0' }, /path must be a non-empty string/],
    [{ type: 'get-keys', runId: 1 }, /panel must be one of/],
    [{ type: 'get-keys', runId: 1, panel: 'paths' }, /offset must be a whole number/],
    [{ type: 'get-keys', runId: 1, panel: 'paths', offset: 0, limit: 1e9 }, /limit must be a whole number from 1 to 100000/],
  ];
  for (const [request, message] of bad) {
    const r = checkRequest(request, LIMITS);
    assert.ok(!r.ok, JSON.stringify(request).slice(0, 80));
    assert.match(r.ok ? '' : r.error, message);
  }
});

test('the event throttle: a burst of changes becomes at most one message per interval, and the last change is never lost', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    let now = 0;
    let flushes = 0;
    const throttle = new EventThrottle(50, () => flushes++, () => now);
    for (let ms = 0; ms < 1000; ms++) {
      for (let k = 0; k < 20; k++) throttle.poke(); // 20,000 changes in a second
      now++;
      mock.timers.tick(1);
    }
    mock.timers.tick(100);
    assert.ok(flushes <= 21 && flushes >= 19, `${flushes} flushes for 20,000 changes in 1 s`);
    const before = flushes;
    throttle.poke();
    now += 10;
    mock.timers.tick(100);
    assert.equal(flushes, before + 1, 'a lone change after quiet is flushed');
  } finally {
    mock.timers.reset();
  }
});

function controllerFor(events: AppEvent[], exportsDir: string): AppController {
  const exports: ExportSink = {
    async deliver(fileName, _format, write): Promise<ExportOutcome> {
      const file = path.join(exportsDir, fileName);
      await write(file);
      return { kind: 'saved', path: file };
    },
  };
  return new AppController({ emit: (e) => events.push(e), host: 'electron', version: 't', cores: 2, sampleFolder: '/nowhere', recent: memoryStore(), exports });
}

function finished(events: AppEvent[], runId: number): Promise<Extract<AppEvent, { type: 'run-finished' }>> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const e = events.find((x) => x.type === 'run-finished' && x.runId === runId);
      if (e) {
        clearInterval(poll);
        resolve(e as Extract<AppEvent, { type: 'run-finished' }>);
      }
    }, 10);
  });
}

test('2,000 small files: ~20 progress messages a second at most, never the whole key set; exports match the CLI', async () => {
  const folder = tempDir('logpool-many-');
  for (let i = 0; i < 2000; i++) writeFileSync(path.join(folder, `f${i}.log`), new LogGenerator({ seed: i }).lines(20));
  const events: AppEvent[] = [];
  const out = tempDir('logpool-exports-');
  const controller = controllerFor(events, out);
  const started = performance.now();
  const r = await controller.handle({ type: 'start-run', settings: settings(folder) });
  assert.ok('runId' in r);
  const end = await finished(events, r.runId);
  const seconds = (performance.now() - started) / 1000;
  assert.equal(end.outcome, 'completed');
  assert.equal(end.totals.files, 2000);
  const progress = events.filter((e) => e.type === 'run-progress');
  assert.ok(progress.length <= Math.ceil(seconds * 20) + 2, `${progress.length} progress messages in ${seconds.toFixed(2)} s`);
  assert.ok(progress.length >= 2, 'progress was streamed');
  for (const e of progress) if (e.type === 'run-progress') assert.ok(e.panels[0]!.top.length <= 10);
  // every file reported once, across the batches
  const files = [...progress.flatMap((e) => (e.type === 'run-progress' ? e.newFiles : [])), ...end.newFiles];
  assert.equal(new Set(files.map((f) => f.path)).size, 2000);
  assert.equal(files.length, 2000);

  const csv = await controller.handle({ type: 'export', runId: r.runId, format: 'csv' });
  assert.ok('kind' in csv && csv.kind === 'saved');
  const cliCsv = path.join(out, 'cli.csv');
  assert.equal(runCli(['analyze', folder, '--panels', 'book-paths', '--csv', cliCsv, '--quiet', '--exclude-names', 'favicon.ico', '--exclude-ext', '.png', '--pattern', '*.log,*.gz']).status, 0);
  assert.equal(readFileSync(csv.path, 'utf8'), readFileSync(cliCsv, 'utf8'));
  const json = await controller.handle({ type: 'export', runId: r.runId, format: 'json' });
  assert.ok('kind' in json && json.kind === 'saved' && json.path.endsWith('.json'));
  const keys = await controller.handle({ type: 'get-keys', runId: r.runId, panel: 'book-paths', offset: 0, limit: 100_000 });
  const distinct = end.panels[0]!.distinct;
  assert.ok('keys' in keys && keys.keys.length === distinct && keys.total === distinct && keys.next === null);
});

test('a second start is refused while a run is going; a missing folder is a clear error; quitting mid-run stops every worker first', async () => {
  const folder = tempDir('logpool-long-');
  const line = '1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/a/b HTTP/1.1" 200 5\n';
  const member = gzipSync(Buffer.from(line.repeat(300_000)), { level: 1 });
  for (let i = 0; i < 3; i++) writeFileSync(path.join(folder, `big-${i}.log.gz`), Buffer.concat(Array.from({ length: 10 }, () => member)));
  const events: AppEvent[] = [];
  const controller = controllerFor(events, tempDir('logpool-exports-'));
  const missing = await controller.handle({ type: 'start-run', settings: settings('/no/such/folder') });
  assert.ok('error' in missing && /cannot read \/no\/such\/folder: ENOENT/.test(missing.error));
  const r = await controller.handle({ type: 'start-run', settings: settings(folder) });
  assert.ok('runId' in r);
  const again = await controller.handle({ type: 'start-run', settings: settings(folder) });
  assert.ok('error' in again && /in progress/.test(again.error));
  while (childrenOf(process.pid).length < 2) await new Promise((res) => setTimeout(res, 10));
  const workers = childrenOf(process.pid);

  let prevented = 0;
  let quits = 0;
  const guard = makeQuitGuard(controller, () => quits++);
  guard({ preventDefault: () => prevented++ });
  guard({ preventDefault: () => prevented++ }); // a second quit while stopping
  const end = await finished(events, r.runId);
  assert.equal(end.outcome, 'cancelled');
  while (quits === 0) await new Promise((res) => setTimeout(res, 5));
  assert.equal(quits, 1);
  assert.equal(prevented, 2);
  assert.deepEqual(childrenOf(process.pid), []);
  for (const pid of workers) assert.throws(() => process.kill(pid, 0), /ESRCH/);
  guard({ preventDefault: () => prevented++ }); // now quitting goes through
  assert.equal(prevented, 2);
});

test('the preload uses the shared channel names and exposes no raw ipcRenderer', () => {
  const preload = readFileSync(path.join(__dirname, '..', 'electron', 'preload', 'index.js'), 'utf8');
  assert.ok(preload.includes(`'${REQUEST_CHANNEL}'`) && preload.includes(`'${EVENT_CHANNEL}'`));
  assert.doesNotMatch(preload, /exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
  assert.doesNotMatch(preload, /require\("\.\.?\//, 'a sandboxed preload cannot require local files');
});

test('recent folders survive a restart: most recent first, no duplicates, at most 10', async () => {
  const { fileStore, addRecentFolder, MAX_RECENT } = await import('../electron/main/recent-folders.js');
  const file = path.join(tempDir('logpool-recent-'), 'sub', 'recent.json');
  const first = fileStore(file);
  assert.deepEqual(await first.load(), []);
  for (const f of ['/a', '/b', '/a', '/c']) await addRecentFolder(first, f);
  const second = fileStore(file); // a new app start reads the same file
  assert.deepEqual(await second.load(), ['/c', '/a', '/b']);
  for (let i = 0; i < 15; i++) await addRecentFolder(second, `/f${i}`);
  assert.equal((await fileStore(file).load()).length, MAX_RECENT);
  writeFileSync(file, '{not json');
  assert.deepEqual(await fileStore(file).load(), [], 'a damaged file is ignored, not fatal');
});

test('a recent-folders file that cannot be written does not stop a run; list-folder is the browser host\'s alone', async () => {
  const folder = tempDir('logpool-recent-ro-');
  writeFileSync(path.join(folder, 'access.log'), '1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/a HTTP/1.1" 200 5 "-" "UA"\n');
  const events: AppEvent[] = [];
  const failing = { load: async () => [], save: async () => Promise.reject(new Error('EROFS: read-only file system')) };
  const controller = new AppController({ emit: (e) => events.push(e), host: 'electron', version: 't', cores: 2, sampleFolder: '/nowhere', recent: failing, exports: { deliver: async () => ({ kind: 'cancelled' }) } });
  const r = await controller.handle({ type: 'start-run', settings: { ...settings(folder), executor: 'serial' } });
  assert.ok(r && 'runId' in r, JSON.stringify(r));
  // serial work is one worker process, never parsing on this (the window's) event loop
  const end = await finished(events, r.runId);
  assert.equal(end.outcome, 'completed');
  const started = events.find((e) => e.type === 'run-started');
  assert.ok(started && started.type === 'run-started' && started.executor === 'process' && started.workers === 1);
  assert.equal(end.progress.lanes.length, 1);
  assert.ok(end.progress.lanes[0]!.pid !== undefined && end.progress.lanes[0]!.pid !== process.pid, 'read by another process');
  await controller.dispose();
  assert.deepEqual(await controller.handle({ type: 'list-folder', path: folder }), { error: 'this host has a folder dialog: choose-folder' });
  const browser = new AppController({ emit: () => undefined, host: 'browser', version: 't', cores: 2, sampleFolder: '/nowhere', recent: memoryStore(), exports: { deliver: async () => ({ kind: 'cancelled' }) }, browseFrom: folder });
  assert.deepEqual(await browser.handle({ type: 'list-folder' }), { path: folder, parent: path.dirname(folder), folders: [], files: 1, truncated: false });
  assert.match(JSON.stringify(await browser.handle({ type: 'list-folder', path: path.join(folder, 'access.log') })), /cannot open .*ENOTDIR/);
});

test('with the cache on, the same folder again is read from it, with the same result', async () => {
  process.env.XDG_CACHE_HOME = tempDir('logpool-app-cache-');
  const folder = tempDir('logpool-app-cached-');
  for (let i = 0; i < 3; i++) writeFileSync(path.join(folder, `access-${i}.log`), new LogGenerator({ seed: 40 + i }).lines(2000));
  const events: AppEvent[] = [];
  const controller = controllerFor(events, tempDir('logpool-exports-'));
  const results: Array<Extract<AppEvent, { type: 'run-finished' }>> = [];
  for (let i = 0; i < 2; i++) {
    const r = await controller.handle({ type: 'start-run', settings: { ...settings(folder), cache: true } });
    assert.ok(r && 'runId' in r);
    results.push(await finished(events, r.runId));
  }
  const cacheMarks = (runId: number): Array<string | undefined> =>
    events.flatMap((e) => ((e.type === 'run-progress' || e.type === 'run-finished') && e.runId === runId ? e.newFiles.map((f) => f.cache) : []));
  assert.deepEqual(cacheMarks(results[0]!.runId), [undefined, undefined, undefined]);
  assert.deepEqual(cacheMarks(results[1]!.runId), ['hit', 'hit', 'hit']);
  assert.deepEqual(results[1]!.totals, results[0]!.totals);
  assert.deepEqual(results[1]!.panels, results[0]!.panels);
  await controller.dispose();
});

test('two starts at once (two tabs, a double click) start exactly one run', async () => {
  const folder = tempDir('logpool-race-');
  writeFileSync(path.join(folder, 'a.log'), new LogGenerator({ seed: 1 }).lines(200));
  const events: AppEvent[] = [];
  const controller = controllerFor(events, tempDir('logpool-exports-'));
  const answers = await Promise.all([1, 2, 3].map(() => controller.handle({ type: 'start-run', settings: settings(folder) })));
  const started = answers.filter((a) => 'runId' in a);
  assert.equal(started.length, 1, JSON.stringify(answers));
  assert.equal(answers.filter((a) => 'error' in a && /in progress/.test(a.error)).length, 2);
  const runId = (started[0] as { runId: number }).runId;
  await finished(events, runId);
  assert.equal(events.filter((e) => e.type === 'run-started').length, 1);
  assert.equal(controller.isRunning, false);
});

test('get-keys answers in bounded pages that together hold every key in result order', async () => {
  const folder = tempDir('logpool-pages-');
  const long = 'x'.repeat(300_000);
  const lines: string[] = [];
  // 40 keys of 300,000 characters (12 MB in all), and 500 short ones with distinct counts
  for (let i = 0; i < 40; i++) lines.push(`1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/${long}${i} HTTP/1.1" 200 5`);
  for (let i = 0; i < 500; i++) for (let k = 0; k <= i % 7; k++) lines.push(`1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/k${i} HTTP/1.1" 200 5`);
  writeFileSync(path.join(folder, 'a.log'), `${lines.join('\n')}\n`);
  const events: AppEvent[] = [];
  const controller = controllerFor(events, tempDir('logpool-exports-'));
  const r = await controller.handle({ type: 'start-run', settings: settings(folder) });
  assert.ok('runId' in r);
  const end = await finished(events, r.runId);
  assert.equal(end.panels[0]!.distinct, 540);
  const all: string[] = [];
  const counts: number[] = [];
  let pages = 0;
  for (let offset: number | null = 0; offset !== null; pages++) {
    const page = await controller.handle({ type: 'get-keys', runId: r.runId, panel: 'book-paths', offset, limit: 100 });
    assert.ok('keys' in page);
    assert.ok(page.keys.length <= 100);
    assert.ok(page.keys.length === 1 || page.keys.reduce((n, k) => n + k.length, 0) <= 8 * 1024 * 1024, 'a page holds at most 8 Mi characters of keys');
    assert.equal(page.total, 540);
    all.push(...page.keys);
    counts.push(...page.counts);
    offset = page.next;
  }
  assert.ok(pages >= 6, `${pages} pages`);
  assert.equal(new Set(all).size, 540);
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i - 1]! > counts[i]! || (counts[i - 1] === counts[i] && all[i - 1]! < all[i]!), 'result order');
  const past = await controller.handle({ type: 'get-keys', runId: r.runId, panel: 'book-paths', offset: 10_000, limit: 10 });
  assert.deepEqual(past, { keys: [], counts: [], bytes: [], total: 540, next: null });
  const absent = await controller.handle({ type: 'get-keys', runId: r.runId, panel: 'hosts', offset: 0, limit: 10 });
  assert.deepEqual(absent, { error: 'the run has no panel hosts' });
});

test('no request can throw out of the controller: a failing export sink is an error answer', async () => {
  const folder = tempDir('logpool-throw-');
  writeFileSync(path.join(folder, 'a.log'), new LogGenerator({ seed: 2 }).lines(50));
  const events: AppEvent[] = [];
  const controller = new AppController({
    emit: (e) => events.push(e), host: 'browser', version: 't', cores: 2, sampleFolder: '/nowhere', recent: memoryStore(),
    exports: { deliver: () => Promise.reject(new Error('disk on fire')) },
  });
  const r = await controller.handle({ type: 'start-run', settings: settings(folder) });
  assert.ok('runId' in r);
  await finished(events, r.runId);
  const answer = await controller.handle({ type: 'export', runId: r.runId, format: 'csv' });
  assert.deepEqual(answer, { kind: 'error', message: 'disk on fire' });
  for (const junk of [null, undefined, 0, 'x', [], { type: {} }, { type: 'get-keys', runId: -1 }, { type: 'start-run', settings: null }]) {
    const a = await controller.handle(junk);
    assert.ok(a && typeof a === 'object' && 'error' in a, JSON.stringify(junk));
  }
});
