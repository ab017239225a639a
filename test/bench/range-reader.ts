/**
 * The bench's ceiling for one file read on every core: byte ranges of the file, each read by a
 * process of its own with the worker's reader, and nothing else (no pool, no tasks, no progress,
 * no merge). Two such processes against one say how far this machine scales the reading itself;
 * the pool's split can come near that, not past it.
 */
import { fork } from 'node:child_process';
import { analyzeFile } from '../../electron/worker/analyze-file';
import type { AnalyzeTask } from '../../shared/worker-protocol';
import type { Query } from '../../shared/query';

export interface ByteRange {
  from: number;
  /** Undefined: to the file's end. */
  to?: number;
}

interface RangeJob {
  file: string;
  size: number;
  range: ByteRange;
  index: number;
  count: number;
  query: Query;
}

/** Reads each range of `file` in a process of its own, all at once; the lines each counted. */
export function readRangesApart(file: string, size: number, ranges: readonly ByteRange[], query: Query): Promise<number[]> {
  return Promise.all(
    ranges.map(
      (range, i) =>
        new Promise<number>((resolve, reject) => {
          const job: RangeJob = { file, size, range, index: i + 1, count: ranges.length, query };
          const child = fork(__filename, [], { env: { ...process.env, LOGPOOL_BENCH_RANGE: JSON.stringify(job) }, execArgv: [] });
          let lines: number | undefined;
          child.on('message', (m) => (lines = m as number));
          child.on('error', reject);
          child.on('exit', (code) => (code === 0 && lines !== undefined ? resolve(lines) : reject(new Error(`range ${i + 1} of ${ranges.length}: exit ${code}`))));
        }),
    ),
  );
}

async function readOneRange(job: RangeJob): Promise<number> {
  const { from, to } = job.range;
  const end = to ?? job.size;
  // the whole file as a worker reads a file whole; a range as a worker reads a part
  const task: AnalyzeTask =
    job.count === 1
      ? { path: job.file, size: job.size }
      : { path: job.file, size: end - from, from, ...(to !== undefined ? { to } : {}), part: { index: job.index, count: job.count } };
  const result = await analyzeFile(task, { report() {}, setup: job.query });
  if (result.status !== 'ok') throw new Error(`${job.file} [${from}, ${end}): ${result.status} ${result.error ?? ''}`);
  return result.lines;
}

if (process.env.LOGPOOL_BENCH_RANGE) {
  const job = JSON.parse(process.env.LOGPOOL_BENCH_RANGE) as RangeJob;
  readOneRange(job).then(
    (lines) => process.send!(lines, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
