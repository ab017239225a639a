/**
 * The Electron main process: one window, the native menu and dialogs, typed IPC with sender
 * checks, and the engine's pool on utility processes. Everything else is the AppController,
 * shared with `logpool serve`.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type IpcMainInvokeEvent } from 'electron';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppEvent } from '../../shared/app-contract';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from '../../shared/ipc-channels';
import { WORKER_SCRIPT } from '../engine/run-analysis';
import { AppController } from './app-controller';
import { isTrustedSender } from './trusted-sender';
import { isAllowedExternalUrl } from './external-links';
import { SECURE_WEB_PREFERENCES } from './window-options';
import { sampleFolderOf } from './app-paths';
import { makeQuitGuard } from './quit-guard';
import { fileStore } from './recent-folders';
import { utilityLauncher } from './desktop/utility-launcher';
import { appMetricsCpu } from './desktop/app-metrics-cpu';
import { buildMenu } from './desktop/menu';

const OUT = path.join(__dirname, '..', '..');
const PAGE = path.join(OUT, 'renderer', 'index.html');
const PAGE_URL = pathToFileURL(PAGE).toString();

let win: BrowserWindow | undefined;

/**
 * Everything the app sets up. A second instance, which loses the single-instance lock, does
 * none of it (no controller, no handlers, no window): it only hands over to the first and quits.
 */
function setUp(): void {
  app.enableSandbox();

  function send(event: AppEvent): void {
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
  }

  const FILTERS: Record<string, Electron.FileFilter[]> = {
    csv: [{ name: 'CSV', extensions: ['csv'] }],
    json: [{ name: 'JSON', extensions: ['json'] }],
    png: [{ name: 'PNG image', extensions: ['png'] }],
    svg: [{ name: 'SVG image', extensions: ['svg'] }],
  };

  // one launcher for the app's life: it listens for Electron's reports of workers that went
  const workers = utilityLauncher(WORKER_SCRIPT);
  const controller = new AppController({
    emit: send,
    host: 'electron',
    version: app.getVersion(),
    cores: availableParallelism(),
    sampleFolder: sampleFolderOf({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath }),
    recent: fileStore(path.join(app.getPath('userData'), 'recent-folders.json')),
    cpu: appMetricsCpu(),
    launcher: (settings) => (settings.executor === 'process' ? workers : undefined),
    async chooseFolder() {
      const options: Electron.OpenDialogOptions = { title: 'Choose a folder of access logs', properties: ['openDirectory'] };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      const folder = r.canceled ? undefined : r.filePaths[0];
      if (folder) app.addRecentDocument(folder);
      return folder ?? null;
    },
    exports: {
      async deliver(fileName, format, write) {
        const options: Electron.SaveDialogOptions = { defaultPath: path.join(app.getPath('documents'), fileName), filters: FILTERS[format] ?? [] };
        const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
        if (r.canceled || !r.filePath) return { kind: 'cancelled' };
        await write(r.filePath);
        return { kind: 'saved', path: r.filePath };
      },
    },
  });

  function createWindow(): void {
    win = new BrowserWindow({
      width: 1280,
      height: 900,
      minWidth: 900,
      minHeight: 600,
      title: 'logpool',
      show: false,
      webPreferences: { ...SECURE_WEB_PREFERENCES, preload: path.join(OUT, 'electron', 'preload', 'index.js') },
    });
    win.once('ready-to-show', () => win?.show());
    // no navigation of the window or any frame in it, no redirects, no new windows; only the
    // app's own links open, in the browser
    win.webContents.on('will-navigate', (e) => e.preventDefault());
    win.webContents.on('will-frame-navigate', (e) => e.preventDefault());
    win.webContents.on('will-redirect', (e) => e.preventDefault());
    win.webContents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    win.on('close', closeGuard);
    void win.loadFile(PAGE);
  }

  const closeGuard = makeQuitGuard(controller, () => win?.close());
  const quitGuard = makeQuitGuard(controller, () => app.quit());

  ipcMain.handle(REQUEST_CHANNEL, (event: IpcMainInvokeEvent, request: unknown) => {
    const frame = event.senderFrame;
    const trusted = isTrustedSender(
      { webContentsId: event.sender.id, frameUrl: frame ? frame.url : null, isMainFrame: frame !== null && frame === event.sender.mainFrame },
      win?.webContents.id,
      PAGE_URL,
    );
    if (!trusted) return { error: 'refused: not from the logpool window' };
    return controller.handle(request);
  });

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('before-quit', quitGuard);
  app.on('window-all-closed', () => app.quit());
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  void app.whenReady().then(() => {
    // the page needs no camera, microphone, notifications or anything else
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    Menu.setApplicationMenu(buildMenu((command) => send({ type: 'menu', command }), process.platform === 'darwin'));
    createWindow();
  });
}

if (app.requestSingleInstanceLock()) setUp();
else app.quit();
