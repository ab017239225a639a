/** Run the built CLI as a user would, in a child process. */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as path from 'node:path';
import { tempDir } from './temp-dir';

export const CLI = path.join(__dirname, '..', '..', 'electron', 'cli', 'main.js');

/**
 * The result cache of every CLI this test process runs: its own, so that no test reads or writes
 * the user's (and a test that wants a fresh one passes XDG_CACHE_HOME itself).
 */
export const TEST_CACHE_HOME = tempDir('logpool-cache-');
const testEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...process.env, XDG_CACHE_HOME: TEST_CACHE_HOME, ...env });

/** `env`: added to this process's environment. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 << 20, env: testEnv(env) });
}

export function startCli(args: readonly string[]) {
  return spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: testEnv({}) });
}
