/**
 * Where logpool keeps what outlives a run, per the platform's conventions: state (the browser
 * host's recent folders) and cache (results of files already read). XDG on Linux and the BSDs
 * (`$XDG_STATE_HOME`, `$XDG_CACHE_HOME`, only when absolute, as the spec says), the Library on
 * macOS, %LOCALAPPDATA% on Windows.
 */
import { homedir } from 'node:os';
import * as path from 'node:path';

type Env = Record<string, string | undefined>;

function xdg(env: Env, name: string, fallback: string[]): string {
  const v = env[name];
  return v && path.isAbsolute(v) ? v : path.join(homedir(), ...fallback);
}

export function stateDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', 'logpool');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'), 'logpool');
  return path.join(xdg(env, 'XDG_STATE_HOME', ['.local', 'state']), 'logpool');
}

export function cacheDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Caches', 'logpool');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'), 'logpool', 'Cache');
  return path.join(xdg(env, 'XDG_CACHE_HOME', ['.cache']), 'logpool');
}
