#!/usr/bin/env node
/** logpool's command line: analyze folders of access logs on every core, headless. */
import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sortedEntries, topN } from '../../shared/key-count';
import { writeCsv } from '../engine/csv';
import { buildJsonReport } from '../engine/json-report';
import { AbortError } from '../engine/pool';
import { ProgressTracker } from '../engine/progress-tracker';
import { defaultWorkers, runAnalysis, type RunResult } from '../engine/run-analysis';
import { describeFsError } from '../engine/fs-errors';
import { UsageError, parseArgs, usage, type AnalyzeArgs, type ServeArgs } from './args';
import { formatProblems, formatSummary, formatTable } from './output';
import { ProgressView } from './progress-view';

function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function writeOutputs(args: AnalyzeArgs, result: RunResult): Promise<void> {
  const top = args.top === 0 ? Infinity : args.top;
  if (args.json !== undefined) {
    const text = `${JSON.stringify(buildJsonReport(result, top), null, 2)}\n`;
    if (args.json === '-') process.stdout.write(text);
    else await fsp.writeFile(args.json, text);
  }
  if (args.csv !== undefined) {
    await writeCsv(args.csv, sortedEntries(result.counter), result.request.analysis.kind === 'book-paths' ? 'path' : 'host');
  }
  if (args.json !== '-') {
    process.stdout.write(formatTable(result, top === Infinity ? sortedEntries(result.counter) : topN(result.counter, top)));
  }
}

async function analyze(args: AnalyzeArgs): Promise<number> {
  for (const root of args.roots) {
    try {
      await fsp.stat(root);
    } catch (e) {
      process.stderr.write(`logpool: cannot read ${root}: ${describeFsError(e)}\n`);
      return 2;
    }
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  const tracker = new ProgressTracker(args.workers);
  const view = !args.quiet && process.stderr.isTTY ? new ProgressView(process.stderr, () => tracker.snapshot()) : undefined;
  view?.start();
  let result: RunResult;
  try {
    result = await runAnalysis(
      {
        roots: args.roots,
        analysis: args.analysis,
        patterns: args.patterns,
        workers: args.workers,
        executor: args.executor,
        chunksize: args.chunksize,
      },
      { signal: controller.signal, onEvent: (e) => tracker.update(e) },
    );
  } catch (e) {
    view?.stop();
    if (e instanceof AbortError) {
      const p = tracker.snapshot();
      process.stderr.write(`logpool: interrupted after ${p.filesDone} of ${p.filesFound} files; every worker stopped, nothing written\n`);
      return 130;
    }
    process.stderr.write(`logpool: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  view?.stop();
  try {
    await writeOutputs(args, result);
  } catch (e) {
    process.stderr.write(`logpool: could not write the output: ${describeFsError(e)}\n`);
    return 1;
  }
  if (!args.quiet) process.stderr.write(formatSummary(result));
  process.stderr.write(formatProblems(result));
  return 0;
}

const OUT = path.join(__dirname, '..', '..');
const RENDERER_DIR = path.join(OUT, 'renderer');
const SAMPLE_FOLDER = path.join(OUT, '..', 'build', 'sample-logs');

async function serve(args: ServeArgs): Promise<number> {
  if (args.folder !== undefined) {
    try {
      await fsp.stat(args.folder);
    } catch (e) {
      process.stderr.write(`logpool: cannot read ${args.folder}: ${describeFsError(e)}\n`);
      return 2;
    }
  }
  try {
    await fsp.stat(path.join(RENDERER_DIR, 'index.html'));
  } catch {
    process.stderr.write('logpool: the interface is not built (run npm run build)\n');
    return 1;
  }
  // loaded here: `analyze` needs neither the HTTP server nor WebSockets
  const { startServeHost, ListenError } = await import('../serve/serve-host');
  let host;
  try {
    host = await startServeHost({
      rendererDir: RENDERER_DIR,
      sampleFolder: SAMPLE_FOLDER,
      version: version(),
      ...(args.folder !== undefined ? { preselectedFolder: path.resolve(args.folder) } : {}),
      ...(args.port !== undefined ? { port: args.port } : {}),
    });
  } catch (e) {
    if (!(e instanceof ListenError)) throw e;
    process.stderr.write(`logpool: ${e.message}\n`);
    return 1;
  }
  process.stdout.write(`${host.url}\n`);
  process.stderr.write('logpool serve: open the address above in a browser; Ctrl-C stops\n');
  // SIGHUP too: a closed terminal or SSH session must not leave workers or exports behind
  const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  await new Promise<void>((resolve) => {
    for (const signal of stopSignals) process.once(signal, resolve);
  });
  await host.close();
  return 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, defaultWorkers());
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`logpool: ${e.message}\nTry 'logpool --help'.\n`);
      return 2;
    }
    throw e;
  }
  if (args.command === 'help') {
    process.stdout.write(usage(defaultWorkers()));
    return 0;
  }
  if (args.command === 'version') {
    process.stdout.write(`logpool ${version()}\n`);
    return 0;
  }
  if (args.command === 'serve') return serve(args);
  return analyze(args);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`logpool: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
