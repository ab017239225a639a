#!/usr/bin/env node
/** logpool's command line: analyze folders of access logs on every core, headless. */
import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bytes, duration, int } from '../../shared/format';
import { outputProblem } from '../engine/atomic-file';
import { writeCsv } from '../engine/csv';
import { showPath } from '../engine/file-path';
import { reportToWrite, streamJsonReport, writeJsonReport } from '../engine/json-report';
import { writePieces } from '../engine/write-pieces';
import { ProgressTracker } from '../engine/progress-tracker';
import { defaultWorkers, runAnalysis, STDIN_NAME, type RunRequest, type RunResult } from '../engine/run-analysis';
import { follow } from '../engine/follow';
import { FollowView } from './follow-view';
import { describeFsError } from '../engine/fs-errors';
import { UsageError, parseArgs, usage, type AnalyzeArgs, type MergeArgs, type ServeArgs } from './args';
import { MergeError, mergePartials } from '../engine/merge-partials';
import { formatInterrupted, formatMalformedHints, formatProblems, formatSummary, tableLines } from './output';
import { rawArgv } from './raw-argv';
import { terminalSafe } from './terminal-text';
import { ProgressView } from './progress-view';
import { stateDir } from '../engine/user-dirs';
import { openResultCache } from '../engine/open-result-cache';
import { DEFAULT_READ_HERE_BYTES } from '../engine/read-here';

function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Every output asked for, each on its own: one that fails is said and does not stop the others. Returns whether all were written. */
async function writeOutputs(args: Pick<AnalyzeArgs, 'top' | 'json' | 'csv' | 'quiet' | 'shard'>, result: RunResult): Promise<boolean> {
  const top = args.top === 0 ? Infinity : args.top;
  const say = (text: string): void => {
    if (!args.quiet) process.stderr.write(text);
  };
  let ok = true;
  const attempt = async (what: string, target: string, write: () => Promise<string>): Promise<void> => {
    try {
      const done = await write();
      say(`logpool: wrote ${what} to ${terminalSafe(target)} (${done})\n`);
    } catch (e) {
      ok = false;
      process.stderr.write(`logpool: could not write ${what} to ${terminalSafe(target)}: ${describeFsError(e)}; nothing was left there\n`);
    }
  };
  if (args.json !== undefined) {
    // a slice's report holds every key, and what it counted, for the merge
    const report = args.shard ? reportToWrite(result, Infinity, { shard: args.shard, query: result.request.query, version: version() }) : reportToWrite(result, top);
    if (args.json === '-') {
      try {
        await streamJsonReport(process.stdout, report);
      } catch (e) {
        ok = false;
        process.stderr.write(`logpool: could not write the JSON report to standard output: ${describeFsError(e)}\n`);
      }
    } else {
      await attempt('the JSON report', args.json, async () => `${bytes(await writeJsonReport(args.json!, report))}, ${int(result.panels.length)} panels`);
    }
  }
  if (args.csv !== undefined) {
    const keys = result.panels.reduce((n, t) => n + t.distinct, 0);
    await attempt('the CSV of every key', args.csv, async () => `${bytes(await writeCsv(args.csv!, result.panels))}, ${int(keys)} keys`);
  }
  if (args.json !== '-') await writePieces(process.stdout, tableLines(result, top));
  return ok;
}

/** Why a run cannot start with these arguments (no input at all, an output that cannot be written), or undefined. */
async function preflight(args: AnalyzeArgs): Promise<string | undefined> {
  const missing: string[] = [];
  for (const root of args.roots) {
    if (root === STDIN_NAME) continue;
    try {
      await fsp.stat(root);
    } catch (e) {
      missing.push(`${terminalSafe(showPath(root).path)}: ${describeFsError(e)}`);
    }
  }
  // one input missing among others is reported failed, like any unreadable file; none at all is an error
  if (missing.length === args.roots.length) return `no input exists (${missing.join('; ')})`;
  for (const [flag, target] of [['--json', args.json], ['--csv', args.csv]] as const) {
    if (target === undefined || target === '-') continue;
    const problem = await outputProblem(target);
    if (problem) return `cannot write ${flag} ${terminalSafe(target)}: ${problem}`;
  }
  return undefined;
}

async function analyze(args: AnalyzeArgs): Promise<number> {
  const refused = await preflight(args);
  if (refused) {
    process.stderr.write(`logpool: ${refused}\n`);
    return 2;
  }
  const controller = new AbortController();
  // following (after the run): Ctrl-C ends it, as the way to end it
  let following: AbortController | undefined;
  let interrupts = 0;
  // the first Ctrl-C stops the workers and keeps what they finished; a second leaves at once
  const onSigint = (): void => {
    if (following && !following.signal.aborted) {
      following.abort();
      return;
    }
    interrupts++;
    if (interrupts > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  // following reads plain files to their last line end, which a cached result may not be
  const cache = args.cache && !args.follow ? await openResultCache(args.query, version()) : undefined;
  const tracker = new ProgressTracker(args.workers);
  const view = !args.quiet && process.stderr.isTTY ? new ProgressView(process.stderr, () => tracker.snapshot()) : undefined;
  view?.start();
  let result: RunResult;
  let request: RunRequest;
  try {
    request = {
        roots: args.roots.filter((r) => r !== STDIN_NAME),
        ...(args.roots.includes(STDIN_NAME) ? { stdin: process.stdin } : {}),
        query: args.query,
        patterns: args.patterns,
        workers: args.workers,
        executor: args.executor,
        chunksize: args.chunksize,
        stallTimeoutMs: args.stallTimeoutSeconds * 1000,
        splitBytes: args.splitMiB * 2 ** 20,
        ...(args.shard ? { shard: args.shard } : {}),
        ...(args.follow ? { toLineEnd: true } : {}),
        // a re-run's few new lines are read here: a worker takes longer to start
        readHereBytes: DEFAULT_READ_HERE_BYTES,
      };
    result = await runAnalysis(request, { signal: controller.signal, onEvent: (e) => tracker.update(e), ...(cache ? { cache } : {}) });
  } catch (e) {
    view?.stop();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    process.stderr.write(`logpool: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  view?.stop();
  if (args.follow && !result.interrupted) {
    following = new AbortController();
    const since = Date.now();
    const header = (): string => `following ${int(result.files.length)} files: ${int(result.totals.lines)} lines, ${duration(Date.now() - since)} — Ctrl-C to stop and print the result`;
    const live = !args.quiet && process.stderr.isTTY ? new FollowView(process.stderr, header, () => [...tableLines(result, args.top)]) : undefined;
    if (live) live.draw();
    else if (!args.quiet) process.stderr.write(`logpool: ${header()}\n`);
    const stats = await follow(request, result, { signal: following.signal, onChange: () => live?.changed() });
    live?.stop();
    if (!args.quiet) process.stderr.write(`followed: ${int(stats.lines)} lines counted after the first run, ${int(stats.appeared)} files appeared, ${int(stats.looks)} looks\n`);
  }
  const written = await writeOutputs(args, result);
  if (!args.quiet) process.stderr.write(formatSummary(result));
  process.stderr.write(formatProblems(result));
  if (!args.quiet) process.stderr.write(formatMalformedHints(result));
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigint);
  if (result.interrupted) {
    process.stderr.write(formatInterrupted(result));
    return 130;
  }
  return written ? 0 : 1;
}

/** `logpool merge`: the slices' partial results, combined, written and shown as one run's. */
async function merge(args: MergeArgs): Promise<number> {
  for (const [flag, target] of [['--json', args.json], ['--csv', args.csv]] as const) {
    if (target === undefined || target === '-') continue;
    const problem = await outputProblem(target);
    if (problem) {
      process.stderr.write(`logpool: cannot write ${flag} ${terminalSafe(target)}: ${problem}\n`);
      return 2;
    }
  }
  let result: RunResult;
  try {
    result = await mergePartials(args.partials);
  } catch (e) {
    if (!(e instanceof MergeError)) throw e;
    process.stderr.write(`logpool: ${terminalSafe(e.message)}\n`);
    return 2;
  }
  const written = await writeOutputs(args, result);
  if (!args.quiet) process.stderr.write(formatSummary(result));
  process.stderr.write(formatProblems(result));
  return written ? 0 : 1;
}

const OUT = path.join(__dirname, '..', '..');
const RENDERER_DIR = path.join(OUT, 'renderer');
const SAMPLE_FOLDER = path.join(OUT, '..', 'build', 'sample-logs');

async function serve(args: ServeArgs): Promise<number> {
  let browseFrom: string | undefined;
  if (args.folder !== undefined) {
    try {
      const st = await fsp.stat(args.folder);
      // a file given: the folder browser opens in its folder
      browseFrom = st.isDirectory() ? path.resolve(args.folder) : path.dirname(path.resolve(args.folder));
    } catch (e) {
      process.stderr.write(`logpool: cannot read ${terminalSafe(args.folder)}: ${describeFsError(e)}\n`);
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
  const { startServeHost, ListenError } = await import('../serve/serve-host.js');
  let host;
  try {
    host = await startServeHost({
      rendererDir: RENDERER_DIR,
      sampleFolder: SAMPLE_FOLDER,
      version: version(),
      ...(args.folder !== undefined ? { preselectedFolder: path.resolve(args.folder) } : {}),
      ...(browseFrom !== undefined ? { browseFrom } : {}),
      // recent folders outlive the host, as the desktop app's do
      recentFile: path.join(stateDir(), 'recent-folders.json'),
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
    args = parseArgs(argv, defaultWorkers(), rawArgv(argv));
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
  if (args.command === 'merge') return merge(args);
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
