/**
 * The worker entry: a child process, a worker thread or an Electron utility process that analyses
 * the jobs (a file, or many small ones) the pool sends it, one at a time.
 */
import { analyzeJob } from './analyze-file';
import { detectChannel, serveTasks } from './serve-tasks';
import type { AnalyzeJob, AnalyzeJobResult, AnalyzeProgress } from '../../shared/worker-protocol';

detectChannel<AnalyzeJob, AnalyzeJobResult, AnalyzeProgress>().then(
  (channel) => serveTasks(analyzeJob, channel),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
