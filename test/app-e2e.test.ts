/**
 * The real renderer in Chromium against `logpool serve` (the same main-process logic as the
 * desktop app): a folder of gzip logs (one truncated, one not a log), two lanes busy, the result
 * equal to the CLI's, the four exports checked, a long run cancelled with no worker left, and
 * screenshots of the empty state, a run in progress and the results.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './support/temp-dir';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { LogGenerator } from './support/log-generator';
import { runCli } from './support/cli';
import { startServe, type RunningServe } from './support/serve';
import { CHROMIUM, CHROMIUM_ARGS, noBrowser, screenshotPath } from './support/browser';
import { childrenOf } from './support/processes';
import type { JsonReport } from '../shared/run-report';
import { PANEL_LABELS, type PanelName } from '../shared/panels';

let browser: Browser;
let logs: string;
let bigLogs: string;

before(async () => {
  if (noBrowser) return;
  logs = tempDir('logpool-e2e-');
  for (let i = 0; i < 6; i++) {
    writeFileSync(path.join(logs, `access-${i}.log.gz`), gzipSync(new LogGenerator({ seed: 300 + i }).lines(120_000)));
  }
  const whole = gzipSync(new LogGenerator({ seed: 399 }).lines(20_000));
  writeFileSync(path.join(logs, 'access-cut.log.gz'), whole.subarray(0, Math.floor(whole.length * 0.7)));
  writeFileSync(path.join(logs, 'notes.log'), Buffer.from('this is not an access log\n\x00\x01\x02 binary bytes\n'));
  // a PDF named like a log: failed with its kind, never read as text
  writeFileSync(path.join(logs, 'scan.log'), Buffer.from('%PDF-1.4\n\x00\x01\x02 binary bytes\n'));
  // a long run to cancel: large, quick to make
  bigLogs = tempDir('logpool-e2e-big-');
  const line = '1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/a/b HTTP/1.1" 200 5 "-" "UA"\n';
  const member = gzipSync(Buffer.from(line.repeat(300_000)), { level: 1 });
  // long enough to cancel mid-run on a fast day: 14 M lines a file (the default panels read 7 M
  // lines/s a worker since the book's panel is read off the paths'; 3.6 M a file ended too soon)
  for (let i = 0; i < 4; i++) writeFileSync(path.join(bigLogs, `big-${i}.log.gz`), Buffer.concat(Array.from({ length: 48 }, () => member)));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
});

/** The CLI's JSON report of the e2e folder with these filters. */
function cliReport(filters: string[]): JsonReport {
  const cli = runCli(['analyze', logs, '--json', '-', '--quiet', '--top', '20', ...filters]);
  assert.equal(cli.status, 0, cli.stderr);
  return JSON.parse(cli.stdout) as JsonReport;
}

async function openApp(serve: RunningServe): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(serve.url);
  return page;
}

/** The keys table's first rows, as {key, count}. */
function shownRows(table: Locator, n: number): Promise<Array<{ key: string; count: number }>> {
  return table.locator('tbody tr[aria-rowindex]').evaluateAll(
    (trs, max) =>
      trs.slice(0, max).map((tr) => {
        const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
        return { key: cells[1]!, count: Number(cells[2]!.replace(/,/g, '')) };
      }),
    n,
  );
}

/** Every panel's card says what the report counted in it (keys and lines). */
async function dashboardMatches(page: Page, report: JsonReport): Promise<void> {
  for (const [name, panel] of Object.entries(report.panels)) {
    const card = page.getByRole('region', { name: PANEL_LABELS[name as PanelName], exact: true });
    const foot = await card.locator('.card-foot').innerText();
    const keys = `${panel.distinct.toLocaleString('en-US')} ${panel.distinct === 1 ? 'key' : 'keys'} · ${panel.counted.toLocaleString('en-US')} lines`;
    assert.ok(foot.includes(keys), `${name}: "${foot}" says ${keys}`);
  }
}

/** Wait until the run on screen is finished with the report's totals, then check every panel: the cards and the JSON export. */
async function resultIs(page: Page, report: JsonReport): Promise<void> {
  const want = `filtered\n${report.totals.filtered.toLocaleString('en-US')}`;
  const totals = page.locator('dl.totals');
  for (let i = 0; !(await totals.innerText().catch(() => '')).includes(want); i++) {
    if (i >= 600) assert.fail(`the summary never showed "${want}": ${await totals.innerText().catch(() => '')}`);
    await page.waitForTimeout(100);
  }
  await dashboardMatches(page, report);
  const json = JSON.parse((await download(page, 'Export JSON')).toString('utf8')) as JsonReport;
  assert.deepEqual(json.panels, report.panels);
  assert.deepEqual(json.totals, report.totals);
}

async function download(page: Page, button: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  const p = await file.path();
  return readFileSync(p!);
}

test('a folder of gzip logs: lanes busy, result equal to the CLI, exports, screenshots', { skip: noBrowser }, async () => {
  const serve = await startServe();
  try {
    const page = await openApp(serve);
    await page.getByRole('button', { name: 'Try sample logs' }).first().waitFor();
    await page.screenshot({ path: screenshotPath('1-empty-state.png') });
    assert.ok(await page.getByRole('button', { name: 'Choose folder…' }).first().isVisible());

    await page.getByLabel('Log folder').fill(logs);
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    // two lanes busy at once
    let bothBusy = false;
    let shot = false;
    for (let i = 0; i < 400 && !bothBusy; i++) {
      const states = await Promise.all([1, 2].map((n) => page.getByRole('region', { name: `Worker ${n}` }).innerText().catch(() => '')));
      bothBusy = states.every((s) => /busy/i.test(s));
      if (bothBusy && !shot) {
        // the picture is worth more once the lanes show some progress (if the run lasts that long)
        for (let k = 0; k < 40; k++) {
          const lanes = await Promise.all([1, 2].map((n) => page.getByRole('region', { name: `Worker ${n}` }).innerText().catch(() => '')));
          if (lanes.every((t) => /busy/i.test(t) && /[1-9]\d*%/.test(t))) break;
          await page.waitForTimeout(15);
        }
        await page.screenshot({ path: screenshotPath('2-run-in-progress.png') });
        shot = true;
      }
      if (!bothBusy) await page.waitForTimeout(15);
    }
    assert.ok(bothBusy, 'two worker lanes were busy at the same time');

    const table = page.getByRole('table', { name: 'Top results' });
    await table.waitFor({ timeout: 60_000 });
    await page.getByText(/^\d+ keys$/).waitFor();
    await page.screenshot({ path: screenshotPath('3-results.png'), fullPage: true });

    // the table equals the CLI's --json on the same folder
    const report = cliReport([]);
    const headers = await table.locator('thead th').allInnerTexts();
    assert.ok(headers.some((h) => h.startsWith('Path')) && headers.some((h) => h.startsWith('Lines')) && headers.some((h) => h.startsWith('Bytes')));
    const rows = await shownRows(table, 20);
    const book = report.panels['book-paths']!.top.map(({ key, count }) => ({ key, count }));
    assert.deepEqual(rows, book);
    // every panel's card says what the CLI counted in it
    await dashboardMatches(page, report);

    // every file accounted for, with the truncated one partial
    const files = page.getByRole('table', { name: 'Files' });
    const fileText = await files.innerText();
    assert.match(fileText, /access-cut\.log\.gz\s+partial/);
    assert.match(fileText, /notes\.log\s+ok/);
    assert.match(fileText, /scan\.log\s+failed[^\n]*a PDF document: not read/);
    assert.equal(report.files.length, 9);
    // the files table sorts and filters: problems first by status; largest first by lines; by name or status
    const fileNames = async (): Promise<string[]> => (await files.locator('tbody tr td.key').allInnerTexts());
    await files.getByRole('button', { name: 'Status' }).click();
    assert.deepEqual((await fileNames()).slice(0, 2), ['scan.log', 'access-cut.log.gz']);
    await files.getByRole('button', { name: 'Lines' }).click();
    const lines = (await files.locator('tbody tr td:nth-child(3)').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
    assert.deepEqual(lines, report.files.map((f) => f.lines).sort((a, b) => b - a));
    assert.equal(await files.locator('th[aria-sort="descending"]').innerText(), 'Lines ▼');
    await page.getByLabel('Search files').fill('ACCESS-3');
    assert.deepEqual(await fileNames(), ['access-3.log.gz']);
    await page.getByLabel('Search files').fill('');
    await page.locator('#files-status').selectOption('partial');
    assert.deepEqual(await fileNames(), ['access-cut.log.gz']);
    await page.getByText('1 of 9 files').waitFor();
    await page.getByLabel('Search files').fill('nothing-like-this');
    await files.getByText('No file matches.').waitFor();
    await page.getByLabel('Search files').fill('');
    await page.locator('#files-status').selectOption('all');
    await page.getByRole('button', { name: 'In the order they finished' }).click();
    assert.equal((await fileNames()).length, 9);

    // exports: the whole result as CSV and JSON; one panel's CSV, PNG and SVG
    const outDir = tempDir('logpool-e2e-out-');
    const csv = (await download(page, 'CSV of every panel')).toString('utf8');
    const cliCsvPath = path.join(outDir, 'cli.csv');
    assert.equal(runCli(['analyze', logs, '--csv', cliCsvPath, '--quiet']).status, 0);
    assert.equal(csv, readFileSync(cliCsvPath, 'utf8'));
    const json = JSON.parse((await download(page, 'Export JSON')).toString('utf8')) as JsonReport;
    assert.deepEqual(json.panels, report.panels);
    assert.deepEqual(json.totals, report.totals);
    const statusCsv = (await download(page, 'Status codes: export CSV')).toString('utf8');
    const cliStatusCsv = path.join(outDir, 'status.csv');
    assert.equal(runCli(['analyze', logs, '--panels', 'status', '--csv', cliStatusCsv, '--quiet']).status, 0);
    assert.equal(statusCsv, readFileSync(cliStatusCsv, 'utf8'));
    const svg = (await download(page, 'Top book paths: export SVG')).toString('utf8');
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*width="1000"/);
    assert.ok(svg.includes(book[0]!.key.slice(-20)), 'the SVG shows the top key');
    assert.ok(svg.includes('Top book paths: top 20') && svg.includes(`Folder: ${logs}`) && svg.includes('Filters: no filter'), 'the SVG says what it shows');
    assert.ok(!svg.includes('var(--'), 'the SVG has its own colours');
    const png = await download(page, 'Lines per day (UTC): export PNG');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), 2000, 'drawn at a fixed size (1000 px, twice over)');

    // another panel's every key: equal to the CLI's
    await page.getByRole('region', { name: 'Status codes', exact: true }).getByRole('button', { name: /^All \d+$/ }).click();
    await page.getByText('Every status (Status codes)').waitFor();
    await page.getByText(/^\d+ keys?$/).waitFor();
    assert.deepEqual(await shownRows(table, 1000), report.panels.status!.top.map(({ key, count }) => ({ key, count })));

    // a click on the 404 bar keeps only 404s: the run goes again, and every panel is the CLI's with --status 404
    const at404 = report.panels.status!.top.findIndex((k) => k.key === '404');
    await page.getByRole('region', { name: 'Status codes', exact: true }).locator('.recharts-bar-rectangle').nth(at404).click();
    await page.getByRole('group', { name: 'Active filters' }).getByText('404').waitFor();
    const only404 = cliReport(['--status', '404']);
    await resultIs(page, only404);
    await page.screenshot({ path: screenshotPath('3b-filtered-status.png'), fullPage: true });

    // the chip removed: the whole folder again
    await page.getByRole('button', { name: 'Remove the status filter' }).click();
    await resultIs(page, report);

    // dragging across the time chart from the second day to the third keeps those two days
    const days = report.panels.days!.top.map((k) => k.key);
    assert.ok(days.length >= 3, `the logs span ${days.length} days`);
    const bars = page.getByRole('region', { name: 'Lines per day (UTC)', exact: true }).locator('.recharts-bar-rectangle');
    const [from, to] = [await bars.nth(1).boundingBox(), await bars.nth(2).boundingBox()];
    await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height - 4);
    await page.mouse.down();
    await page.mouse.move(to!.x + to!.width / 2, to!.y + to!.height - 4, { steps: 8 });
    await page.mouse.up();
    const next = new Date(Date.parse(`${days[2]}T00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await page.getByRole('group', { name: 'Active filters' }).getByText(next).waitFor();
    const twoDays = cliReport(['--since', days[1]!, '--until', next]);
    assert.deepEqual(twoDays.panels.days!.top.map((k) => k.key), [days[1], days[2]]);
    await resultIs(page, twoDays);
    await page.screenshot({ path: screenshotPath('3c-filtered-time.png') });

    // settings changed after a run: the result says it is stale until the next run
    await page.getByLabel('Status', { exact: true }).fill('5xx');
    await page.getByLabel('Status', { exact: true }).press('Enter');
    await page.getByText('The result below is from other settings.').waitFor();

    assert.deepEqual((page as Page & { errors?: string[] }).errors, []);
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test('cancel a long run: every worker stops, the app says so', { skip: noBrowser }, async () => {
  const serve = await startServe([bigLogs]);
  try {
    const page = await openApp(serve);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('region', { name: 'Worker 2' }).getByText('busy').waitFor({ timeout: 20_000 });
    const workers = childrenOf(serve.child.pid!);
    assert.equal(workers.length, 2, 'two worker processes run');
    await page.getByRole('button', { name: 'Cancel' }).click();
    // labelled as the partial result it is
    await page.getByText(/^cancelled: a partial result of \d+ of 4 files$/).waitFor({ timeout: 5_000 });
    assert.deepEqual(childrenOf(serve.child.pid!), []);
    for (const pid of workers) assert.throws(() => process.kill(pid, 0), /ESRCH/);
    const files = await page.getByRole('table', { name: 'Files' }).innerText();
    assert.match(files, /big-\d\.log\.gz\s+skipped[^\n]*interrupted while being read: not counted/);
    // and it can run again
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor();
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test('the API refuses a wrong token and a foreign origin', { skip: noBrowser }, async () => {
  const serve = await startServe();
  try {
    const { WebSocket } = await import('ws');
    const url = new URL(serve.url);
    const api = `ws://${url.host}/api?token=`;
    const attempt = (u: string, origin: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(u, { origin });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('error', (e) => resolve(e.message));
      });
    assert.match(await attempt(`${api}wrong`, url.origin), /403/);
    assert.match(await attempt(`${api}${url.searchParams.get('token')}`, 'http://evil.example'), /403/);
    assert.equal(await attempt(`${api}${url.searchParams.get('token')}`, url.origin), 'open');
    const res = await fetch(`${url.origin}/download/anything?token=wrong`);
    assert.equal(res.status, 404);
  } finally {
    await serve.stop();
  }
});

test('keyboard only, in the dark theme: Tab reaches Start, Enter runs, colours follow the OS', { skip: noBrowser }, async () => {
  const serve = await startServe([path.join(__dirname, '..', '..', 'build', 'sample-logs')]);
  try {
    const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(serve.url);
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor();
    let focused = '';
    for (let i = 0; i < 15 && focused !== 'Start'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate('document.activeElement && document.activeElement.textContent');
    }
    assert.equal(focused, 'Start', 'Start is reachable with Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: 'Top results' }).waitFor({ timeout: 30_000 });
    const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    const [r, g, b] = String(background).match(/\d+/g)!.map(Number);
    assert.ok(r! + g! + b! < 150, `a dark background (${background})`);
    await page.screenshot({ path: screenshotPath('4-results-dark.png') });
    await context.close();
  } finally {
    await serve.stop();
  }
});

test('the browser host answers only under its own address (no DNS rebinding)', { skip: noBrowser }, async () => {
  const serve = await startServe();
  try {
    const url = new URL(serve.url);
    const http = await import('node:http');
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: url.port, path: '/', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
    assert.equal(await status(url.host), 200);
    assert.equal(await status(`evil.example:${url.port}`), 421);
  } finally {
    await serve.stop();
  }
});

test('a page opened mid-run (a second tab, a reload) shows that run and can cancel it; after it, the result', { skip: noBrowser }, async () => {
  const serve = await startServe([bigLogs]);
  try {
    const first = await openApp(serve);
    await first.getByRole('button', { name: 'Start', exact: true }).click();
    await first.getByRole('region', { name: 'Worker 1' }).getByText('busy').waitFor({ timeout: 20_000 });
    // hold the workers still (SIGSTOP): the run cannot end before the second page is up
    const workers = childrenOf(serve.child.pid!);
    for (const pid of workers) process.kill(pid, 'SIGSTOP');
    const second = await openApp(serve);
    await second.getByText('running…').waitFor({ timeout: 5_000 });
    await second.getByRole('region', { name: 'Worker 1' }).waitFor();
    assert.equal(await second.getByLabel('Log folder').inputValue(), bigLogs);
    await second.getByRole('button', { name: 'Cancel' }).click();
    await first.getByText(/^cancelled: a partial result/).waitFor({ timeout: 5_000 });
    // a reload after the run: the result is there, with its files
    await first.reload();
    await first.getByText(/^cancelled: a partial result/).waitFor({ timeout: 5_000 });
    assert.match(await first.getByRole('table', { name: 'Files' }).innerText(), /big-0\.log\.gz/);
    for (const p of [first, second]) assert.deepEqual((p as Page & { errors?: string[] }).errors, []);
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test('while a run streams in, the charts redraw one at a time, and not at every message', { skip: noBrowser }, async () => {
  // many small files: the panels change at nearly every progress message
  const many = tempDir('logpool-e2e-many-');
  for (let i = 0; i < 2000; i++) writeFileSync(path.join(many, `f${i}.log`), new LogGenerator({ seed: 5000 + i }).lines(40));
  const serve = await startServe([many]);
  try {
    const page = await openApp(serve);
    // the progress messages received; and per batch of DOM changes (one task's, or less), the
    // charts whose drawing changed, marked '*' where its numbers did
    await page.addInitScript(`
      window.__progress = 0;
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...a) {
          super(...a);
          this.addEventListener('message', (e) => { if (String(e.data).includes('"run-progress"')) window.__progress++; });
        }
      };
      window.__charts = [];
      const observer = new MutationObserver((records) => {
        const charts = new Map();
        for (const r of records) {
          const at = r.target.nodeType === 1 ? r.target : r.target.parentElement;
          const figure = at && at.closest('svg.recharts-surface') && at.closest('figure');
          if (!figure) continue;
          const name = figure.getAttribute('aria-label').replace(/: .*| so far/, '');
          charts.set(name, charts.get(name) || r.type === 'characterData');
        }
        if (charts.size > 0) window.__charts.push([...charts].map(([name, numbers]) => name + (numbers ? '*' : '')));
      });
      // (an init script runs before the document has an element)
      addEventListener('DOMContentLoaded', () => observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true }));
    `);
    await page.reload();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText(/^completed/).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1000);
    const batches = (await page.evaluate('window.__charts')) as string[][];
    const progress = (await page.evaluate('window.__progress')) as number;
    const shown = JSON.stringify(batches);
    assert.deepEqual([...new Set(batches.flat().map((c) => c.replace('*', '')))].sort(), ['Hosts', 'Lines per day (UTC)', 'Paths', 'Status codes', 'Top book paths'], shown);
    assert.deepEqual(batches.filter((b) => b.length > 1), [], `charts drawn in the same task: ${shown}`);
    // each chart's numbers redrawn far less often than messages came (at most twice a second)
    assert.ok(progress >= 10, `${progress} progress messages: too short a run to tell`);
    for (const chart of ['Top book paths', 'Hosts', 'Paths', 'Status codes']) {
      const redrawn = batches.filter((b) => b.includes(`${chart}*`)).length;
      assert.ok(redrawn >= 1 && redrawn <= progress / 2, `${chart}: numbers redrawn ${redrawn} times for ${progress} messages`);
    }
    // and the last drawing shows the final numbers: the status chart's bars are the CLI's counts
    const report = JSON.parse(runCli(['analyze', many, '--json', '-', '--quiet', '--panels', 'status']).stdout) as JsonReport;
    const labels = await page.getByRole('figure', { name: 'Status codes' }).locator('.recharts-label-list text').allTextContents();
    assert.deepEqual(labels.map((t) => Number(t.replace(/,/g, ''))).sort((x, y) => y - x), report.panels.status!.top.map((k) => k.count).sort((x, y) => y - x));
    // the run over, bars are clickable (a filter) without being drawn again: the pointer says so
    const cursor = await page.getByRole('figure', { name: 'Status codes' }).locator('.recharts-bar-rectangle path').first().evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { cursor: string } }).getComputedStyle(e).cursor);
    assert.equal(cursor, 'pointer');
    assert.deepEqual((page as Page & { errors?: string[] }).errors, []);
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test('the host going away keeps the results on screen and says how to reconnect', { skip: noBrowser }, async () => {
  const serve = await startServe([path.join(__dirname, '..', '..', 'build', 'sample-logs')]);
  const page = await openApp(serve);
  try {
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('table', { name: 'Top results' }).waitFor({ timeout: 30_000 });
  } finally {
    assert.equal(await serve.stop(), 0);
  }
  await page.getByText(/connection to logpool serve was lost/).waitFor({ timeout: 5_000 });
  assert.match(await page.getByRole('alert').first().innerText(), /start logpool serve again and open the new address/);
  assert.ok(await page.getByRole('table', { name: 'Top results' }).isVisible(), 'the results stay');
  assert.ok(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled());
  await page.screenshot({ path: screenshotPath('5-host-gone.png') });
});

test('settings fields edit as text fields do: commas and newlines stay while typing, numbers are read when the field is left', { skip: noBrowser }, async () => {
  const serve = await startServe([path.join(__dirname, '..', '..', 'build', 'sample-logs')]);
  try {
    const page = await openApp(serve);
    // the fields fit their column: the settings never overlap the results beside them
    const aside = (await page.locator('fieldset.settings').boundingBox())!;
    const results = (await page.locator('.results').boundingBox())!;
    assert.ok(aside.x + aside.width <= results.x, `settings end at ${aside.x + aside.width}, results start at ${results.x}`);
    const names = page.getByLabel('File names');
    await names.click();
    await names.press('End');
    await names.pressSequentially(', *.txt');
    assert.equal(await names.inputValue(), '*.log, *.log.*, *access*, *.gz, *.txt', 'the comma being typed stays');
    const top = page.getByLabel('Top N');
    await top.selectText();
    await top.press('Backspace');
    assert.equal(await top.inputValue(), '', 'an emptied number field stays empty while focused');
    await top.pressSequentially('50');
    assert.equal(await top.inputValue(), '50');
    const excluded = page.getByLabel('Excluded path parts');
    await excluded.click();
    await excluded.press('Control+End');
    await excluded.press('Enter');
    await excluded.pressSequentially('wp-admin');
    assert.match(await excluded.inputValue(), /py-modindex\.html\nwp-admin$/);
    // an impossible value is put back when the field is left
    const workers = page.getByLabel('Workers');
    await workers.selectText();
    await workers.pressSequentially('999');
    await workers.blur();
    assert.equal(await workers.inputValue(), '2');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText('Top book paths: top 50').waitFor({ timeout: 30_000 });
    assert.deepEqual((page as Page & { errors?: string[] }).errors, []);
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test('a folder with no logs, or none in a known format, says so and what to do', { skip: noBrowser }, async () => {
  const empty = tempDir('logpool-e2e-empty-');
  const notLogs = tempDir('logpool-e2e-notlogs-');
  writeFileSync(path.join(notLogs, 'app.log'), 'INFO started\tpid=12\nWARN disk 91% full\n');
  const serve = await startServe([empty]);
  try {
    const page = await openApp(serve);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText('No log files here.').waitFor({ timeout: 20_000 });
    await page.getByText('completed: nothing counted').waitFor();
    await page.getByLabel('Log folder').fill(notLogs);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText('No line in a known format.').waitFor({ timeout: 20_000 });
    // the first such line, control characters escaped, and where to add a format
    await page.getByText('"INFO started\\tpid=12"').waitFor();
    assert.match(await page.locator('.hint-box').innerText(), /Your log formats/);
    await page.screenshot({ path: screenshotPath('7-no-known-format.png') });
    assert.deepEqual((page as Page & { errors?: string[] }).errors, []);
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test('at 900×600, light and dark: the dashboard fits the width (no sideways scrolling), and the charts follow a resize', { skip: noBrowser }, async () => {
  const serve = await startServe([path.join(__dirname, '..', '..', 'build', 'sample-logs')]);
  try {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ colorScheme, viewport: { width: 900, height: 600 } });
      const page = await context.newPage();
      await page.goto(serve.url);
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await page.getByRole('table', { name: 'Top results' }).waitFor({ timeout: 30_000 });
      const [scrollWidth, width] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
      assert.ok(scrollWidth <= width, `page ${scrollWidth} px wide in a ${width} px window`);
      // every card fits its column, and no card is wider than the results column
      const overflow = await page.locator('.card').evaluateAll((cards) => cards.filter((c) => c.scrollWidth > c.clientWidth + 1).length);
      assert.equal(overflow, 0, 'no card overflows');
      await page.screenshot({ path: screenshotPath(`8-narrow-900x600-${colorScheme}.png`) });
      // every chart is as wide as its card, and follows the window when it is resized
      const chartWidths = (): Promise<Array<[number, number]>> =>
        page.locator('.chart-body').evaluateAll((bodies) => bodies.map((b) => [b.clientWidth, Number(b.querySelector('svg.recharts-surface')?.getAttribute('width') ?? -1)]));
      const fitting = (widths: Array<[number, number]>): boolean => widths.length >= 4 && widths.every(([body, chart]) => Math.abs(body - chart) <= 1);
      assert.ok(fitting(await chartWidths()), JSON.stringify(await chartWidths()));
      const narrow = (await chartWidths())[0]![1];
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.waitForFunction(`[...document.querySelectorAll('.chart-body')].every((b) => Math.abs(b.clientWidth - Number(b.querySelector('svg.recharts-surface')?.getAttribute('width'))) <= 1)`, undefined, { timeout: 5_000 }).catch(() => undefined);
      const wide = await chartWidths();
      assert.ok(fitting(wide) && wide[0]![1] > narrow + 100, `after a resize: ${JSON.stringify(wide)} (was ${narrow} px)`);
      await context.close();
    }
  } finally {
    await serve.stop();
  }
});

test('the browser host\'s folder browser: folders only, up and down, the folder chosen runs; recent folders outlive the host', { skip: noBrowser }, async () => {
  const root = tempDir('logpool-e2e-browse-');
  const site = path.join(root, 'sites', 'shop');
  mkdirSync(site, { recursive: true });
  mkdirSync(path.join(root, 'empty'));
  writeFileSync(path.join(site, 'access.log'), new LogGenerator({ seed: 7 }).lines(500));
  writeFileSync(path.join(root, 'secret-notes.txt'), 'not to be listed\n');
  const stateHome = tempDir('logpool-e2e-state-');
  let serve = await startServe([root], stateHome);
  try {
    const page = await openApp(serve);
    await page.getByRole('button', { name: 'Choose folder…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Choose a folder' });
    const folders = dialog.getByRole('list', { name: 'Folders' });
    // it opens at the folder given on the command line: folders, not files, and the files counted
    await dialog.getByText(`1 file in ${root}`).waitFor();
    assert.deepEqual(await folders.getByRole('button').allInnerTexts(), ['empty/', 'sites/']);
    await folders.getByRole('button', { name: 'sites/' }).click();
    await dialog.getByText(`0 files in ${path.join(root, 'sites')}`).waitFor();
    await folders.getByRole('button', { name: 'shop/' }).click();
    await dialog.getByText(`1 file in ${site}`).waitFor();
    await page.screenshot({ path: screenshotPath('9-folder-browser.png') });
    await dialog.getByRole('button', { name: 'Parent folder' }).click();
    await dialog.getByText(`0 files in ${path.join(root, 'sites')}`).waitFor();
    // a typed path that is not there says so and lists nothing new
    await dialog.getByRole('textbox', { name: 'Folder' }).fill(path.join(root, 'nowhere'));
    await dialog.getByRole('button', { name: 'Go' }).click();
    await dialog.getByRole('alert').getByText(/cannot open .*nowhere: ENOENT/).waitFor();
    await dialog.getByRole('textbox', { name: 'Folder' }).fill(site);
    await dialog.getByRole('button', { name: 'Go' }).click();
    await dialog.getByText(`1 file in ${site}`).waitFor();
    await dialog.getByRole('button', { name: 'Use this folder' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.getByLabel('Log folder').inputValue(), site);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText('completed', { exact: true }).waitFor({ timeout: 20_000 });
    // the summary's counts (not its timings, nor where they came from)
    const counts = (): Promise<string[]> =>
      page.locator('dl.totals div').evaluateAll((divs) => divs.map((d) => d.textContent ?? '').filter((t) => !/^(elapsed|read per second|lines per second|from the cache)/.test(t)));
    const first = await counts();
    // again: the unchanged file comes from the result cache, with the same numbers
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.locator('dl.totals div', { hasText: 'from the cache' }).getByText('1 file', { exact: true }).waitFor({ timeout: 20_000 });
    assert.deepEqual(await counts(), first);
    assert.ok(first.some((t) => t.startsWith('lines')) && first.length === 9, first.join(' | '));
    assert.deepEqual((page as Page & { errors?: string[] }).errors, []);
  } finally {
    assert.equal(await serve.stop(), 0);
  }
  // a new host (a new token) on the same machine offers the folder run before
  serve = await startServe([], stateHome);
  try {
    const page = await openApp(serve);
    await page.getByRole('button', { name: 'Choose folder…' }).first().click();
    const recent = page.getByRole('dialog', { name: 'Choose a folder' }).getByRole('list', { name: 'Recent folders' });
    await recent.getByRole('button', { name: site }).click();
    await page.getByRole('dialog', { name: 'Choose a folder' }).getByText(`1 file in ${site}`).waitFor();
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test('Live: after the first pass the app counts lines appended and files that appear until Stop; the result equals a run over every line', { skip: noBrowser }, async () => {
  const folder = tempDir('logpool-e2e-live-');
  const gen = new LogGenerator({ seed: 777 });
  writeFileSync(path.join(folder, 'a.log'), gen.lines(3_000));
  writeFileSync(path.join(folder, 'b.log'), gen.lines(2_000));
  const serve = await startServe([folder]);
  try {
    const page = await openApp(serve);
    await page.getByRole('switch', { name: 'Live' }).check();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const live = page.getByRole('status', { name: 'Live' });
    await live.getByText(/following 2 files: 0 lines counted since the first pass/).waitFor({ timeout: 20_000 });
    assert.equal(await page.getByRole('switch', { name: 'Live' }).isDisabled(), true, 'the switch holds while the run is live');
    // lines appended (the last one still being written), a file that appears, a compressed copy
    const added = Buffer.from(gen.lines(700));
    const cut = added.length - 20;
    appendFileSync(path.join(folder, 'a.log'), added.subarray(0, cut));
    writeFileSync(path.join(folder, 'c.log'), gen.lines(250));
    writeFileSync(path.join(folder, 'a.log.1.gz'), gzipSync(gen.lines(10)));
    await live.getByText(/: 949 lines counted since the first pass, 2 files appeared/).waitFor({ timeout: 10_000 });
    assert.equal(childrenOf(serve.child.pid!).length, 1, 'one worker reads what each look finds');
    await page.screenshot({ path: screenshotPath('live.png') });
    // the line ends after the look that saw its start: counted once, whole
    appendFileSync(path.join(folder, 'a.log'), added.subarray(cut));
    await live.getByText(/: 950 lines counted/).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByText('completed', { exact: true }).waitFor({ timeout: 10_000 });
    await live.getByText(/^Followed for .*: 950 lines counted since the first pass, 2 files appeared\.$/).waitFor();
    assert.deepEqual(childrenOf(serve.child.pid!), [], 'no worker left after Stop');
    await page.screenshot({ path: screenshotPath('live-stopped.png') });
    // the files table shows each file's lines as they are now (a.log grew after it was first listed)
    const files = await page.getByRole('table', { name: 'Files' }).innerText();
    assert.match(files, /a\.log\tok\t3,700\t/);
    assert.match(files, /c\.log\tok\t250\t/);
    assert.match(files, /a\.log\.1\.gz\s+skipped[^\n]*rotated copy of lines already counted/);
    // every panel equals one run over the same lines (the compressed copy left out)
    const mirror = tempDir('logpool-e2e-live-mirror-');
    for (const name of ['a.log', 'b.log', 'c.log']) writeFileSync(path.join(mirror, name), readFileSync(path.join(folder, name)));
    const cli = runCli(['analyze', mirror, '--json', '-', '--quiet', '--top', '20', '--no-cache']);
    assert.equal(cli.status, 0, cli.stderr);
    const report = JSON.parse(cli.stdout) as JsonReport;
    const json = JSON.parse((await download(page, 'Export JSON')).toString('utf8')) as JsonReport;
    assert.deepEqual(json.panels, report.panels);
    assert.equal(json.totals.lines, 5_950);
    assert.equal(json.totals.lines, report.totals.lines);
    assert.equal(json.totals.parsed, report.totals.parsed);
    assert.deepEqual((page as Page & { errors?: string[] }).errors, []);
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});
