/**
 * The desktop app itself, driven by Playwright's _electron: the window opens with the security
 * settings, the sample logs run on utility processes, and the result shows. Needs the Electron
 * binary, which is fetched on first use from a host this workplace cannot reach: where it is
 * absent the test is skipped with that reason (the same flow is tested in Chromium against
 * `logpool serve`, in app-e2e.test.ts).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { _electron } from 'playwright-core';
import { screenshotPath } from './support/browser';

const ROOT = path.join(__dirname, '..', '..');

/** The Electron executable, found without triggering electron's download-on-require. */
function electronBinary(): string | undefined {
  const pkg = path.join(ROOT, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  try {
    const rel = readFileSync(path.join(pkg, 'path.txt'), 'utf8');
    const exe = path.join(override ?? path.join(pkg, 'dist'), rel);
    return existsSync(exe) ? exe : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
const skip = binary ? false : 'the Electron binary is not installed (electron downloads it on first use, and this machine cannot reach its host)';

test('desktop app: opens securely, runs the sample logs on utility processes, shows the result', { skip }, async () => {
  // the app folder, as `electron .` starts it: its package.json names the main script, and the
  // app path (for the sample logs and the version) is the folder
  const app = await _electron.launch({ executablePath: binary!, args: [ROOT], cwd: ROOT });
  try {
    const page = await app.firstWindow();
    await page.getByRole('button', { name: 'Try sample logs' }).first().waitFor();
    // no Node in the page, and only the small API on window
    assert.equal(await page.evaluate('typeof require + typeof process'), 'undefinedundefined');
    assert.equal(await page.evaluate('Object.keys(window.logpool).sort().join()'), 'onEvent,pathForFile,request');
    assert.equal(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length), 1);
    const info = (await page.evaluate("window.logpool.request({ type: 'get-info' })")) as { version: string; sampleFolder: string };
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(info.version, pkg.version);
    assert.equal(info.sampleFolder, path.join(ROOT, 'build', 'sample-logs'));
    await page.getByRole('button', { name: 'Try sample logs' }).first().click();
    await page.getByRole('table', { name: 'Top results' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('electron-results.png') });
    const executor = await page.getByText(/workers · utility/).count();
    assert.equal(executor, 1, 'the pool ran on utility processes');
  } finally {
    await app.close();
  }
});
