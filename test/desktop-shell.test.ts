/**
 * The desktop shell's security choices, without the Electron binary: the main process loaded
 * against a recording stand-in for the `electron` module (what it sets up, and what a second
 * instance does not), the window's settings, the external-link allow-list and the fuses the
 * packaging config flips.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isAllowedExternalUrl } from '../electron/main/external-links';
import { SECURE_WEB_PREFERENCES } from '../electron/main/window-options';
import { requireWithElectron } from './support/electron-stand-in';
import { EventEmitter } from 'node:events';
import type * as UtilityLauncherModule from '../electron/main/desktop/utility-launcher';

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
  requireWithElectron(MAIN, electron);
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

test('the app finds its sample logs from the app folder (development) or beside app.asar (packaged)', async () => {
  const { sampleFolderOf } = await import('../electron/main/app-paths.js');
  const { readdirSync } = await import('node:fs');
  const root = path.join(__dirname, '..', '..');
  const dev = sampleFolderOf({ isPackaged: false, appPath: root, resourcesPath: '/unused' });
  assert.equal(dev, path.join(root, 'build', 'sample-logs'));
  assert.ok(readdirSync(dev).some((n) => n.endsWith('.log.gz')), 'the sample logs are there');
  assert.equal(sampleFolderOf({ isPackaged: true, appPath: '/opt/logpool/resources/app.asar', resourcesPath: '/opt/logpool/resources' }), '/opt/logpool/resources/sample-logs');
  // the packaging config puts them there
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; build: { extraResources: Array<{ from: string; to: string }> } };
  assert.deepEqual(pkg.build.extraResources, [{ from: 'build/sample-logs', to: 'sample-logs' }]);
  // and `electron .` starts the compiled main process
  assert.equal(pkg.main, 'out/electron/main/index.js');
});

/** A utility process as the launcher sees it: messages, exit, stderr. */
class FakeUtility extends EventEmitter {
  readonly stderr = new EventEmitter();
  postMessage(): void {}
  kill(): boolean {
    return true;
  }
}

test('utility-process workers: stderr piped and stdout not; why a worker went (out of memory…) is in its exit', async () => {
  const { utilityLauncher } = requireWithElectron<typeof UtilityLauncherModule>(path.join(__dirname, '..', 'electron', 'main', 'desktop', 'utility-launcher.js'), {});
  const forks: Array<{ name: string; stdio: unknown; child: FakeUtility }> = [];
  let gone: ((d: { type: string; reason: string; exitCode: number; name?: string }) => void) | undefined;
  const launcher = utilityLauncher('/w.js', {
    fork: (_script, options) => {
      const child = new FakeUtility();
      forks.push({ name: options.serviceName, stdio: options.stdio, child });
      return child as never;
    },
    onProcessGone: (listener) => (gone = listener),
  });
  const exits: string[] = [];
  const a = launcher.start(1);
  a.onExit((e) => exits.push(`a: ${e.code} ${e.detail}`));
  const b = launcher.start(1); // the same slot again: a new service name
  b.onExit((e) => exits.push(`b: ${e.code} ${e.detail}`));
  assert.deepEqual(forks.map((f) => f.name), ['logpool-worker-1.1', 'logpool-worker-1.2']);
  assert.deepEqual(forks[0]!.stdio, ['ignore', 'ignore', 'pipe']);
  forks[0]!.child.stderr.emit('data', Buffer.from('last words\n'));
  gone!({ type: 'Utility', reason: 'oom', exitCode: 9, name: 'logpool-worker-1.1' });
  forks[0]!.child.emit('exit', 9);
  forks[1]!.child.emit('exit', 0); // a clean exit: nothing to say, said after a short wait
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(exits, ['a: 9 last words\nthe worker ran out of memory (oom, exit code 9)', 'b: 0 ']);
});
