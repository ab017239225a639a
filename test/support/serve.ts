/** Start `logpool serve` as a user would and read the address it prints. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI, TEST_CACHE_HOME } from './cli';
import { tempDir } from './temp-dir';

export interface RunningServe {
  url: string;
  child: ChildProcessWithoutNullStreams;
  stop(): Promise<number | null>;
}

/**
 * `stateHome`: the host's XDG_STATE_HOME (its recent folders); a new empty one by default, so
 * that no test reads or writes the user's own.
 */
export async function startServe(args: string[] = [], stateHome = tempDir('logpool-state-')): Promise<RunningServe> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, XDG_STATE_HOME: stateHome, XDG_CACHE_HOME: TEST_CACHE_HOME } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGINT');
      }),
  };
}
