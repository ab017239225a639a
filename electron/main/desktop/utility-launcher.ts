/**
 * Pool workers as Electron utility processes. Each start has its own service name
 * (logpool-worker-<slot>.<n>), so that Electron's `child-process-gone` report — the only place
 * that says *why* a utility process went (out of memory, crashed, failed to launch) — can be
 * matched to the worker and put in its file's error. Only stderr is piped: workers write nothing
 * to stdout, and a pipe nobody reads fills and stalls the writer.
 */
import { app, utilityProcess, type UtilityProcess } from 'electron';
import type { AnalyzeJob, AnalyzeJobResult, AnalyzeProgress } from '../../../shared/worker-protocol';
import { receiveInPieces, tailOf, type WorkerPort } from '../../engine/launcher';
import { workerEnv } from '../../engine/worker-env';
import type { AnalyzeLauncher } from '../../engine/run-analysis';

/** What Electron reports of a child process that went (the fields used here). */
export interface GoneDetails {
  type: string;
  reason: string;
  exitCode: number;
  name?: string;
}

export interface UtilityDeps {
  fork(script: string, options: { serviceName: string; stdio: ['ignore', 'ignore', 'pipe']; env: NodeJS.ProcessEnv }): Pick<UtilityProcess, 'postMessage' | 'on' | 'once' | 'kill' | 'stderr'>;
  onProcessGone(listener: (details: GoneDetails) => void): void;
}

const electronDeps = (): UtilityDeps => ({
  fork: (script, options) => utilityProcess.fork(script, [], options),
  onProcessGone: (listener) => app.on('child-process-gone', (_e, details) => listener(details)),
});

const REASONS: Record<string, string> = {
  oom: 'the worker ran out of memory',
  crashed: 'the worker crashed',
  killed: 'the worker was killed',
  'launch-failed': 'the worker could not be launched',
  'integrity-failure': 'the worker failed a code integrity check',
  'abnormal-exit': 'the worker exited abnormally',
};

/** How long an exit waits for Electron's report of why (they come separately). */
const REASON_WAIT_MS = 100;

export function utilityLauncher(script: string, deps: UtilityDeps = electronDeps()): AnalyzeLauncher {
  const reasons = new Map<string, string>();
  deps.onProcessGone((details) => {
    if (details.type !== 'Utility' || !details.name?.startsWith('logpool-worker-')) return;
    const why = REASONS[details.reason];
    if (why) reasons.set(details.name, `${why} (${details.reason}, exit code ${details.exitCode})`);
  });
  let started = 0;
  return {
    kind: 'utility',
    maxWorkers: Infinity,
    start(slot): WorkerPort<AnalyzeJob, AnalyzeJobResult, AnalyzeProgress> {
      const serviceName = `logpool-worker-${slot}.${++started}`;
      const child = deps.fork(script, { serviceName, stdio: ['ignore', 'ignore', 'pipe'], env: workerEnv(slot) });
      const stderr = tailOf();
      child.stderr?.on('data', stderr.add);
      let exited = false;
      return {
        send(msg) {
          if (!exited) child.postMessage(msg);
        },
        onMessage(cb) {
          child.on('message', receiveInPieces(cb));
        },
        onExit(cb) {
          child.once('exit', (code: number) => {
            exited = true;
            const report = (): void => {
              const why = reasons.get(serviceName);
              reasons.delete(serviceName);
              cb({ code, signal: null, detail: [stderr.text().trimEnd(), why].filter(Boolean).join('\n') });
            };
            if (reasons.has(serviceName)) report();
            else setTimeout(report, REASON_WAIT_MS);
          });
        },
        kill() {
          if (!exited) child.kill();
        },
      };
    },
  };
}
