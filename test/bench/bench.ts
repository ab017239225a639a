/**
 * npm run bench: one run, on this machine, of
 *   - the decompression floor: every file gunzipped to nothing, on all cores (same pool);
 *   - the engine with each executor (process, thread, serial);
 * each the median of several repetitions, then the ratios. Options: --repeat N, --corpus DIR,
 * --python (also time the book's own Python code with multiprocessing.Pool, as a reference).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { defaultAnalysisOptions } from '../../shared/analysis-options';
import { processLauncher } from '../../electron/engine/node-launchers';
import { imapUnordered } from '../../electron/engine/pool';
import { runAnalysis, type ExecutorKind, type RunResult } from '../../electron/engine/run-analysis';
import { ensureCorpus } from './corpus';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const repeat = Number(opt('--repeat', '3'));
const corpusDir = path.resolve(opt('--corpus', path.join(__dirname, '..', '..', '..', '.bench-corpus')));
const cores = availableParallelism();
const log = (s: string): void => void process.stderr.write(`${s}\n`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeIt(label: string, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const m = median(times);
  log(`  ${label.padEnd(28)} ${(m / 1000).toFixed(3)} s  (runs: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')})`);
  return m;
}

async function main(): Promise<void> {
  const corpus = ensureCorpus(corpusDir, log);
  log(`corpus: ${corpus.files.length} gzip files, ${(corpus.bytes / 1e6).toFixed(1)} MB, ${corpus.lines.toLocaleString('en-US')} lines; ${cores} cores; median of ${repeat}`);

  const floorLauncher = processLauncher<string, number, never>(path.join(__dirname, 'floor-worker.js'));
  let rawBytes = 0;
  const floor = await timeIt(`floor (gunzip, ${cores} procs)`, async () => {
    rawBytes = 0;
    for await (const r of imapUnordered(corpus.files, { launcher: floorLauncher, workers: cores })) {
      if (!r.ok) throw new Error(r.error);
      rawBytes += r.value;
    }
  });

  // how far this machine itself scales: the same floor on one process
  const floorOne = await timeIt('floor (gunzip, 1 proc)', async () => {
    for await (const r of imapUnordered(corpus.files, { launcher: floorLauncher, workers: 1 })) if (!r.ok) throw new Error(r.error);
  });

  const engine: Partial<Record<ExecutorKind, number>> = {};
  let last: RunResult | undefined;
  let peakRss = 0;
  for (const executor of ['process', 'thread', 'serial'] as const) {
    const workers = executor === 'serial' ? 1 : cores;
    engine[executor] = await timeIt(`engine ${executor} (${workers} worker${workers > 1 ? 's' : ''})`, async () => {
      const result = await runAnalysis({ roots: [corpus.dir], analysis: defaultAnalysisOptions(), patterns: ['*.gz'], workers, executor, chunksize: 1 });
      if (result.totals.lines !== corpus.lines || result.totals.ok !== corpus.files.length) throw new Error('the run did not read the whole corpus');
      if (last && JSON.stringify([...last.counter].sort()) !== JSON.stringify([...result.counter].sort())) throw new Error(`${executor} counted differently`);
      if (executor === 'process') peakRss = Math.max(peakRss, result.peakWorkerRss);
      last = result;
    });
  }

  let python: number | undefined;
  if (args.includes('--python')) {
    const script = path.join(__dirname, '..', '..', '..', 'test', 'bench', 'book_pool.py');
    python = await timeIt(`book's Python Pool (${cores})`, async () => {
      const res = spawnSync('python3', [script, String(cores), ...corpus.files], { encoding: 'utf8' });
      if (res.status !== 0) throw new Error(res.stderr);
    });
  }

  const p = engine.process!;
  const lines = [
    '',
    `uncompressed text: ${(rawBytes / 1e6).toFixed(0)} MB; floor gunzips it at ${(rawBytes / 1e6 / (floor / 1000)).toFixed(0)} MB/s`,
    `process executor / floor      = ${(p / floor).toFixed(2)}x   (target <= 1.5x)`,
    `thread executor / floor       = ${(engine.thread! / floor).toFixed(2)}x`,
    `serial executor / floor       = ${(engine.serial! / floor).toFixed(2)}x`,
    `process vs serial speedup     = ${(engine.serial! / p).toFixed(2)}x   (target >= 1.8x on 2 cores)`,
    `  this machine's own scaling   = ${(floorOne / floor).toFixed(2)}x   (the floor on ${cores} processes vs 1: how far this machine scales CPU-bound work)`,
    `engine throughput (process)   = ${((corpus.lines / p) * 1000 / 1e6).toFixed(2)} M lines/s, ${(corpus.bytes / 1e6 / (p / 1000)).toFixed(0)} MB/s of gzip`,
    `worker peak RSS (process)     = ${(peakRss / 2 ** 20).toFixed(0)} MB   (target < 150 MB)`,
    ...(python !== undefined ? [`book's Python Pool / floor    = ${(python / floor).toFixed(1)}x  (logpool is ${(python / p).toFixed(1)}x faster)`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  log(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
