/**
 * Where the desktop app finds what it ships, from Electron's own answers: the app folder (the
 * repository, or `app.asar` once packaged) and the resources folder. Pure, so a test can check it
 * without Electron. Launch the app *folder* (`electron .`): launching `out/electron/main/index.js`
 * makes that file's folder the app path, and the sample logs and the version are then not found.
 */
import * as path from 'node:path';

export interface AppLocation {
  isPackaged: boolean;
  /** `app.getAppPath()`. */
  appPath: string;
  /** `process.resourcesPath`. */
  resourcesPath: string;
}

export function sampleFolderOf(where: AppLocation): string {
  // packaged: electron-builder's extraResources put them beside app.asar, readable by workers
  return where.isPackaged ? path.join(where.resourcesPath, 'sample-logs') : path.join(where.appPath, 'build', 'sample-logs');
}
