/**
 * The desktop shell's security choices, without the Electron binary: the main process loaded
 * against a recording stand-in for the `electron` module (what it sets up, and what a second
 * instance does not), the window's settings, the external-link allow-list and the fuses the
 * packaging config flips.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { isAllowedExternalUrl } from '../electron/main/external-links';
import { SECURE_WEB_PREFERENCES } from '../electron/main/window-options';

const MAIN = path.join(__dirname, '..', 'electron', 'main', 'index.js');

/** Load the main process with a stand-in `electron` that records every call made on it. */
function loadMain(hasLock: boolean): string[] {
  const calls: string[] = [];
  const stub = (name: string): unknown =>
    new Proxy(function () {}, {
      get(_t, prop) {
        if (typeof prop === 'symbol') return undefined;
        if (prop === 'then') return undefined; // not a promise
        if (name === 'app' && prop === 'isPackaged') return false;
        return stub(`${name}.${prop}`);
      },
      apply() {
        calls.push(name);
        if (name === 'app.requestSingleInstanceLock') return hasLock;
        if (name === 'app.whenReady') return new Promise(() => undefined); // never ready: no window here
        if (name === 'app.getVersion') return '0.0.0';
        if (name === 'app.getPath' || name === 'app.getAppPath') return '/nonexistent';
        return stub(`${name}()`);
      },
      construct() {
        calls.push(`new ${name}`);
        return stub(`${name}()`) as object;
      },
    });
  const electron = { app: stub('app'), BrowserWindow: stub('BrowserWindow'), dialog: stub('dialog'), ipcMain: stub('ipcMain'), Menu: stub('Menu'), session: stub('session'), shell: stub('shell'), utilityProcess: stub('utilityProcess') };
  const resolve = (Module as unknown as { _resolveFilename: (r: string, ...a: unknown[]) => string })._resolveFilename;
  const original = resolve;
  const fakePath = path.join(__dirname, 'fake-electron.js');
  (Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = (request: string, ...rest: unknown[]) =>
    request === 'electron' ? fakePath : original(request, ...rest);
  require.cache[fakePath] = { id: fakePath, filename: fakePath, loaded: true, exports: electron } as unknown as NodeJS.Module;
  for (const key of Object.keys(require.cache)) if (key.includes(`${path.sep}electron${path.sep}main${path.sep}`)) delete require.cache[key];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded anew for each case, under the stand-in
    require(MAIN);
  } finally {
    (Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = original;
    delete require.cache[fakePath];
  }
  return calls;
}

test('the instance that loses the single-instance lock sets up nothing: no handler, no menu, no window', () => {
  const calls = loadMain(false);
  assert.deepEqual(calls, ['app.requestSingleInstanceLock', 'app.quit']);
});

test('the instance that holds the lock sets up the sandbox, one request handler and the lifecycle, then waits for ready', () => {
  const calls = loadMain(true);
  assert.equal(calls[0], 'app.requestSingleInstanceLock');
  assert.ok(calls.includes('app.enableSandbox'));
  assert.equal(calls.filter((c) => c === 'ipcMain.handle').length, 1);
  assert.ok(calls.includes('app.whenReady'));
  assert.ok(!calls.includes('app.quit'));
});

test('the window: isolated, sandboxed, no Node, no webviews, no middle-click windows', () => {
  assert.equal(SECURE_WEB_PREFERENCES.contextIsolation, true);
  assert.equal(SECURE_WEB_PREFERENCES.sandbox, true);
  assert.equal(SECURE_WEB_PREFERENCES.nodeIntegration, false);
  assert.equal(SECURE_WEB_PREFERENCES.webviewTag, false);
  assert.equal(SECURE_WEB_PREFERENCES.disableBlinkFeatures, 'Auxclick');
  const source = readFileSync(MAIN, 'utf8');
  for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
    assert.match(source, new RegExp(`on\\('${event}', \\(e\\) => e\\.preventDefault\\(\\)\\)`), `${event} is denied`);
  }
});

test('only the app\'s own links open in the browser: exact https URLs on the allow-list', () => {
  const allowed = new Set(['https://example.org/logpool/help']);
  assert.equal(isAllowedExternalUrl('https://example.org/logpool/help', allowed), true);
  for (const url of ['https://evil.example/', 'http://example.org/logpool/help', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://example.org/logpool/help/../x?y', 'not a url', '']) {
    assert.equal(isAllowedExternalUrl(url, allowed), false, url);
  }
  assert.equal(isAllowedExternalUrl('https://evil.example/'), false, 'the default list opens nothing it was not given');
});

test('the packaged app flips the fuses: no RunAsNode, no NODE_OPTIONS or --inspect, encrypted cookies, asar integrity, asar only', () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { build: { electronFuses?: Record<string, boolean> } };
  assert.deepEqual(pkg.build.electronFuses, {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  });
});
