/**
 * The worker entry: a child process, a worker thread or an Electron utility process that analyses
 * the files the pool sends it, one at a time.
 */
import { analyzeFile } from './analyze-file';
import { detectChannel, serveTasks } from './serve-tasks';
import type { AnalyzeProgress, AnalyzeResult, AnalyzeTask } from '../../shared/worker-protocol';

detectChannel<AnalyzeTask, AnalyzeResult, AnalyzeProgress>().then(
  (channel) => serveTasks(analyzeFile, channel),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
