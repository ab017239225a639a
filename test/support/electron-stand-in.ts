/**
 * Load main-process modules under a stand-in for the `electron` module: in plain Node, requiring
 * the real package would try to download the binary. Modules under electron/main are loaded anew.
 */
import Module from 'node:module';
import * as path from 'node:path';

type Resolve = (request: string, ...rest: unknown[]) => string;

export function requireWithElectron<T>(file: string, electron: object): T {
  const mod = Module as unknown as { _resolveFilename: Resolve };
  const original = mod._resolveFilename;
  const fakePath = path.join(__dirname, 'electron-stand-in.fake.js');
  mod._resolveFilename = (request, ...rest) => (request === 'electron' ? fakePath : original(request, ...rest));
  require.cache[fakePath] = { id: fakePath, filename: fakePath, loaded: true, exports: electron } as unknown as NodeJS.Module;
  for (const key of Object.keys(require.cache)) if (key.includes(`${path.sep}electron${path.sep}main${path.sep}`)) delete require.cache[key];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded anew, under the stand-in
    return require(file) as T;
  } finally {
    mod._resolveFilename = original;
    delete require.cache[fakePath];
  }
}
