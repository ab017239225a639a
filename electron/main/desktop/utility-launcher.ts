/** Pool workers as Electron utility processes (one serviceName per worker: logpool-worker-N). */
import { utilityProcess } from 'electron';
import { isFromWorker, type AnalyzeProgress, type AnalyzeResult, type AnalyzeTask, type FromWorker } from '../../../shared/worker-protocol';
import { tailOf, type WorkerPort } from '../../engine/launcher';
import { workerEnv } from '../../engine/worker-env';
import type { AnalyzeLauncher } from '../../engine/run-analysis';

export function utilityLauncher(script: string): AnalyzeLauncher {
  return {
    kind: 'utility',
    maxWorkers: Infinity,
    start(slot): WorkerPort<AnalyzeTask, AnalyzeResult, AnalyzeProgress> {
      const child = utilityProcess.fork(script, [], { serviceName: `logpool-worker-${slot}`, stdio: 'pipe', env: workerEnv(slot) });
      const stderr = tailOf();
      child.stderr?.on('data', stderr.add);
      let exited = false;
      return {
        send(msg) {
          if (!exited) child.postMessage(msg);
        },
        onMessage(cb) {
          child.on('message', (m: unknown) => {
            if (isFromWorker(m)) cb(m as FromWorker<AnalyzeResult, AnalyzeProgress>);
          });
        },
        onExit(cb) {
          child.once('exit', (code) => {
            exited = true;
            cb({ code, signal: null, detail: stderr.text() });
          });
        },
        kill() {
          if (!exited) child.kill();
        },
      };
    },
  };
}
