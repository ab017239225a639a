/**
 * The bench's ceiling for one file read on every core: byte ranges of the file, each read by a
 * worker process of its own with the worker's reader, and nothing else (a task in, a line count
 * out: no progress, no tables sent, no merge). These against one reading it whole say how far
 * this machine scales the reading itself; the pool's split can come near that, not past it.
 */
import { analyzeFile } from '../../electron/worker/analyze-file';
import { detectChannel, serveTasks, type TaskContext } from '../../electron/worker/serve-tasks';
import type { AnalyzeTask } from '../../shared/worker-protocol';

/** A range of the file (to its end when `to` is undefined), and where it is among the ranges. */
export interface RangeTask {
  file: string;
  size: number;
  from: number;
  to?: number;
  index: number;
  count: number;
}

/** The lines of one range, counted as a worker counts a part (a file read whole, when it is the only one). */
export async function readOneRange(range: RangeTask, ctx: TaskContext<never>): Promise<number> {
  const { file, size, from, to, index, count } = range;
  const end = to ?? size;
  const task: AnalyzeTask =
    count === 1 ? { path: file, size } : { path: file, size: end - from, from, ...(to !== undefined ? { to } : {}), part: { index, count } };
  const result = await analyzeFile(task, { report() {}, setup: ctx.setup });
  if (result.status !== 'ok') throw new Error(`${file} [${from}, ${end}): ${result.status} ${result.error ?? ''}`);
  return result.lines;
}

if (process.env.LOGPOOL_WORKER_SLOT) {
  void detectChannel<RangeTask, number, never>().then((channel) => serveTasks(readOneRange, channel));
}
