/**
 * npm run bench:ui — is the renderer responsive? In Chromium against `logpool serve`:
 *   1. 2,000 small files: messages the renderer received per second (peak one-second window and
 *      average) and the longest main-thread task while the run streamed in;
 *   2. a result with 1,000,000 distinct keys: time to show the table, then the longest frame and
 *      longest task while scrolling it from top to bottom;
 *   3. the main process (the controller the desktop app and the host share, run here on this
 *      process's event loop, as on Electron's): the longest block of its event loop during a
 *      1,000,000-key run, its first get-keys page and a CSV export of every key.
 */
import { mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AppController } from '../../electron/main/app-controller';
import { memoryStore } from '../../electron/main/recent-folders';
import { defaultRunOptions } from '../../shared/query';
import type { AppEvent } from '../../shared/app-contract';
import { tempDir } from '../support/temp-dir';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { LogGenerator } from '../support/log-generator';
import { startServe } from '../support/serve';
import { CHROMIUM, CHROMIUM_ARGS, noBrowser } from '../support/browser';

const root = path.join(__dirname, '..', '..', '..', '.bench-corpus-ui');
const log = (s: string): void => void process.stdout.write(`${s}\n`);

function manySmallFiles(): string {
  const dir = path.join(root, 'small-2000');
  if (!existsSync(path.join(dir, 'f1999.log'))) {
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 2000; i++) writeFileSync(path.join(dir, `f${i}.log`), new LogGenerator({ seed: 9000 + i }).lines(50));
  }
  return dir;
}

function millionKeys(): string {
  const dir = path.join(root, 'million-keys');
  if (!existsSync(path.join(dir, 'keys.log.gz'))) {
    mkdirSync(dir, { recursive: true });
    const parts: string[] = [];
    for (let i = 0; i < 1_000_000; i++) parts.push(`1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/k/${i.toString(36)}.html HTTP/1.1" 200 5\n`);
    writeFileSync(path.join(dir, 'keys.log.gz'), gzipSync(parts.join(''), { level: 1 }));
  }
  return dir;
}

const INSTRUMENT = `
  window.__bench = { messages: [], tasks: [] };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...a) { super(...a); this.addEventListener('message', () => window.__bench.messages.push(performance.now())); }
  };
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__bench.tasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
`;

async function page(url: string): Promise<Page> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await p.addInitScript(INSTRUMENT);
  await p.goto(url);
  return p;
}

/** The longest event-loop block while `work` runs, by a timer that should fire every 5 ms. */
async function longestBlock<T>(work: () => Promise<T>): Promise<{ value: T; blockMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  h.enable();
  try {
    const value = await work();
    // work done in one go fires no timer while it runs: the next tick sees the gap
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { value, blockMs: Math.max(longest - 5, h.max / 1e6 - 5) };
  } finally {
    h.disable();
    clearInterval(timer);
  }
}

async function mainProcess(): Promise<void> {
  const events: AppEvent[] = [];
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const out = tempDir('logpool-bench-ui-');
  const controller = new AppController({
    emit: (e) => {
      events.push(e);
      if (e.type === 'run-finished') finished();
    },
    host: 'electron',
    version: 'bench',
    cores: availableParallelism(),
    sampleFolder: '/nowhere',
    recent: memoryStore(),
    exports: { deliver: async (name, _f, write) => { const file = `${out}/${name}`; await write(file); return { kind: 'saved', path: file }; } },
  });
  const defaults = defaultRunOptions(availableParallelism());
  const settings = { ...defaults, folder: millionKeys(), query: { ...defaults.query, panels: ['paths' as const] }, executor: 'process' as const };
  const t0 = performance.now();
  const run = await longestBlock(async () => {
    const r = await controller.handle({ type: 'start-run', settings });
    if (!('runId' in r)) throw new Error(JSON.stringify(r));
    await done;
    return r.runId;
  });
  const runS = (performance.now() - t0) / 1000;
  const messages = events.filter((e) => e.type === 'run-progress').length;
  log(`main process, 1,000,000 keys: run ${runS.toFixed(1)} s, ${messages} progress messages; longest event-loop block ${run.blockMs.toFixed(0)} ms`);
  const page = await longestBlock(() => controller.handle({ type: 'get-keys', runId: run.value, panel: 'paths', offset: 0, limit: 5000 }));
  log(`  first get-keys page (sorts every key once): longest block ${page.blockMs.toFixed(0)} ms`);
  const again = await longestBlock(() => controller.handle({ type: 'get-keys', runId: run.value, panel: 'paths', offset: 500_000, limit: 5000 }));
  log(`  a later page: longest block ${again.blockMs.toFixed(0)} ms`);
  const csv = await longestBlock(() => controller.handle({ type: 'export', runId: run.value, format: 'csv', panel: 'paths' }));
  log(`  CSV of every key: longest block ${csv.blockMs.toFixed(0)} ms`);
  await controller.dispose();
}

async function main(): Promise<void> {
  await mainProcess();
  if (noBrowser) throw new Error(noBrowser);
  {
    const serve = await startServe([manySmallFiles()]);
    const p = await page(serve.url);
    // the page's own loading is not the run's: only tasks from Start on are counted
    await p.waitForLoadState('networkidle');
    await p.evaluate('window.__bench.tasks = []');
    await p.getByRole('button', { name: 'Start', exact: true }).click();
    const t0 = Date.now();
    await p.getByRole('table', { name: 'Top results' }).waitFor({ timeout: 120_000 });
    const wall = (Date.now() - t0) / 1000;
    const { messages, tasks } = (await p.evaluate('window.__bench')) as { messages: number[]; tasks: number[] };
    let peak = 0;
    for (let i = 0, j = 0; i < messages.length; i++) {
      while (messages[i]! - messages[j]! > 1000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    const span = messages.length > 1 ? (messages.at(-1)! - messages[0]!) / 1000 : 0;
    log(`2,000 small files: run shown in ${wall.toFixed(1)} s; renderer received ${messages.length} messages: peak ${peak}/s, average ${(messages.length / Math.max(span, 0.001)).toFixed(1)}/s`);
    log(`  main-thread tasks over 50 ms from Start on: ${tasks.length}; longest ${tasks.length ? Math.max(...tasks).toFixed(0) : '< 50'} ms`);
    await p.context().browser()!.close();
    await serve.stop();
  }
  {
    const serve = await startServe([millionKeys()]);
    const p = await page(serve.url);
    await p.getByRole('button', { name: 'Start', exact: true }).click();
    const t0 = Date.now();
    await p.getByText(/^1,000,000 keys$/).waitFor({ timeout: 300_000 });
    log(`1,000,000 keys: table shown ${((Date.now() - t0) / 1000).toFixed(1)} s after Start`);
    await p.evaluate('window.__bench.tasks = []');
    const frames = (await p.evaluate(`new Promise((resolve) => {
      const box = document.querySelector('table[aria-label="Top results"]').closest('.table-scroll');
      const steps = 120, frames = [];
      let i = 0, last = performance.now();
      const step = () => {
        const now = performance.now(); frames.push(now - last); last = now;
        if (i++ >= steps) return resolve(frames);
        box.scrollTop = (box.scrollHeight - box.clientHeight) * i / steps;
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    })`)) as number[];
    const { tasks } = (await p.evaluate('window.__bench')) as { tasks: number[] };
    const sorted = [...frames.slice(1)].sort((a, b) => a - b);
    log(`  scrolling top to bottom in 120 frames: median frame ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, longest ${sorted.at(-1)!.toFixed(1)} ms; tasks over 50 ms: ${tasks.length}`);
    const lastRow = await p.locator('table[aria-label="Top results"] tbody tr[aria-rowindex]').last().innerText();
    log(`  last row rendered: ${lastRow.replace(/\s+/g, ' ')}`);
    await p.context().browser()!.close();
    await serve.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:ui: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
