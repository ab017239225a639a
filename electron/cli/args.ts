/** The command line: `logpool analyze …`, `logpool serve …`, --help, --version. */
import {
  ANALYSIS_HELP,
  DEFAULT_EXCLUDED_EXTENSIONS,
  DEFAULT_EXCLUDED_NAMES,
  DEFAULT_FILE_PATTERNS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_PREFIX,
  isAnalysisKind,
  type AnalysisOptions,
} from '../../shared/analysis-options';
import { DEFAULT_STALL_TIMEOUT_SECONDS, maxWorkersFor, tooManyWorkersMessage } from '../../shared/worker-limits';
import type { FsPath } from '../engine/file-path';
import { EXECUTORS, type ExecutorKind } from '../engine/run-analysis';

export class UsageError extends Error {}

export interface AnalyzeArgs {
  command: 'analyze';
  /** Bytes where a name given is not UTF-8 (see raw-argv.ts). */
  roots: FsPath[];
  analysis: AnalysisOptions;
  patterns: string[];
  top: number;
  workers: number;
  executor: ExecutorKind;
  chunksize: number;
  /** Seconds without progress before a worker's file is failed and the worker replaced (0: never). */
  stallTimeoutSeconds: number;
  json?: string;
  csv?: string;
  quiet: boolean;
}

export interface ServeArgs {
  command: 'serve';
  folder?: string;
  port?: number;
}

export type CliArgs = AnalyzeArgs | ServeArgs | { command: 'help' } | { command: 'version' };

export function usage(defaultWorkers: number): string {
  return `logpool: top-N answers from a folder of web server access logs, every core busy.

Usage:
  logpool analyze <folder|file>... [options]
  logpool serve [folder] [--port N]
  logpool --help | --version

serve: the desktop app's interface in a browser, for a headless machine. Listens on 127.0.0.1
only (a random port unless --port), prints the address with its session token as the first line
on stdout; open it in a browser (over an SSH tunnel from elsewhere). A folder given is
preselected. Ctrl-C stops it and every worker.

Folders are walked recursively (hidden entries skipped); files named on the command line are read
whatever their name. Gzip is recognised by its magic bytes (several members are fine).

Options:
  --analysis KIND       book-paths (default) or robots-hosts
                          book-paths:   ${ANALYSIS_HELP['book-paths']}
                          robots-hosts: ${ANALYSIS_HELP['robots-hosts']}
  --prefix SEGMENT      first path segment of a book path (default: ${DEFAULT_PREFIX})
  --top N               rows in the table and in the JSON's "top" (default: 20; 0 = all)
  --workers N           workers in the pool (default: ${defaultWorkers}, the available cores;
                          at most ${maxWorkersFor(defaultWorkers)}; never more than there are files)
  --executor KIND       process (default), thread or serial
  --chunksize N         files queued per worker behind the one it reads (default: 1)
  --pattern GLOB        names picked up in folders; repeat or separate with commas
                          (default: ${DEFAULT_FILE_PATTERNS.join(',')})
  --exclude-names LIST  path parts that exclude a line, comma-separated
                          (default: ${DEFAULT_EXCLUDED_NAMES.join(',')})
  --exclude-ext LIST    endings of the last path part that exclude a line, comma-separated
                          (default: ${DEFAULT_EXCLUDED_EXTENSIONS.join(',')})
  --stall-timeout S     a worker that reports no progress on a file for S seconds is stopped:
                          the file is failed with the reason, a new worker goes on (default:
                          ${DEFAULT_STALL_TIMEOUT_SECONDS}; 0 = wait for ever)
  --max-line-bytes N    longer lines are counted as lines and as malformed, not parsed
                          (default: ${DEFAULT_MAX_LINE_BYTES})
  --json FILE|-         write the whole result as JSON (- = stdout, and no table)
  --csv FILE            write every key with its count as CSV
                          (outputs are checked before the run, and written whole or not at all)
  --quiet               no live progress and no summary on stderr
  -h, --help            this help
  --version             the version

Output: the top-N table on stdout; live progress (one line per worker, an overall bar with ETA)
and a summary on stderr when it is a terminal; files that were partial, failed or skipped are
listed on stderr with the reason.

Exit status: 0 the run completed (even with partial or failed files, a missing input among
others included), 1 the run could not proceed or an output could not be written, 2 bad usage
(no input exists at all, an output path that cannot be written), 130 interrupted: the first
Ctrl-C stops every worker and still prints and writes the result of the files finished (marked
interrupted); a second Ctrl-C exits at once.

Environment: LOGPOOL_PARSER=js reads every line with the JavaScript reader alone (by default a
WebAssembly reader takes the lines of the usual shape; both give the same numbers).
`;
}

function positiveInt(name: string, value: string, allowZero = false): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} takes a whole number, not "${value}"`);
  const n = Number(value);
  if (n < (allowZero ? 0 : 1)) throw new UsageError(`${name} must be at least ${allowZero ? 0 : 1}`);
  return n;
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** `raw`: argv again, with the bytes of any argument that is not UTF-8 (roots are taken from it). */
export function parseArgs(argv: readonly string[], defaultWorkers: number, raw: readonly FsPath[] = argv): CliArgs {
  if (argv.length === 0) throw new UsageError('no command given (try: logpool analyze <folder>)');
  if (argv.includes('-h') || argv.includes('--help')) return { command: 'help' };
  if (argv[0] === '--version') return { command: 'version' };
  const [command, ...rest] = argv;
  if (command === 'serve') return parseServe(rest);
  if (command !== 'analyze') throw new UsageError(`unknown command "${command}" (commands: analyze, serve)`);

  const roots: FsPath[] = [];
  let kind = 'book-paths';
  let prefix = DEFAULT_PREFIX;
  let excludedNames: readonly string[] = DEFAULT_EXCLUDED_NAMES;
  let excludedExtensions: readonly string[] = DEFAULT_EXCLUDED_EXTENSIONS;
  let maxLineBytes = DEFAULT_MAX_LINE_BYTES;
  let patterns: string[] | undefined;
  const parsed: Partial<AnalyzeArgs> = { top: 20, workers: defaultWorkers, executor: 'process', chunksize: 1, quiet: false, stallTimeoutSeconds: DEFAULT_STALL_TIMEOUT_SECONDS };

  for (let i = 0; i < rest.length; i++) {
    let arg = rest[i]!;
    let value: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      value = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    }
    const take = (): string => {
      if (value !== undefined) return value;
      const next = rest[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`${arg} needs a value`);
      i++;
      return next;
    };
    switch (arg) {
      case '--analysis':
        kind = take();
        if (!isAnalysisKind(kind)) throw new UsageError(`--analysis must be book-paths or robots-hosts, not "${kind}"`);
        break;
      case '--prefix':
        prefix = take();
        if (prefix === '' || prefix.includes('/')) throw new UsageError('--prefix is one path segment: not empty, no "/"');
        break;
      case '--top':
        parsed.top = positiveInt(arg, take(), true);
        break;
      case '--workers':
        parsed.workers = positiveInt(arg, take());
        if (parsed.workers > maxWorkersFor(defaultWorkers)) throw new UsageError(`--workers: ${tooManyWorkersMessage(parsed.workers, defaultWorkers)}`);
        break;
      case '--stall-timeout':
        parsed.stallTimeoutSeconds = positiveInt(arg, take(), true);
        break;
      case '--executor': {
        const ex = take();
        if (!(EXECUTORS as readonly string[]).includes(ex)) throw new UsageError(`--executor must be one of ${EXECUTORS.join(', ')}, not "${ex}"`);
        parsed.executor = ex as ExecutorKind;
        break;
      }
      case '--chunksize':
        parsed.chunksize = positiveInt(arg, take());
        break;
      case '--pattern':
        patterns = [...(patterns ?? []), ...list(take())];
        break;
      case '--exclude-names':
        excludedNames = list(take());
        break;
      case '--exclude-ext':
        excludedExtensions = list(take());
        break;
      case '--max-line-bytes':
        maxLineBytes = positiveInt(arg, take());
        break;
      case '--json':
        parsed.json = take();
        break;
      case '--csv':
        parsed.csv = take();
        if (parsed.csv === '-') throw new UsageError('--csv needs a file name');
        break;
      case '--quiet':
      case '-q':
        parsed.quiet = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        roots.push(raw[i + 1] ?? arg);
    }
  }
  if (roots.length === 0) throw new UsageError('analyze needs at least one folder or file');
  if (patterns !== undefined && patterns.length === 0) throw new UsageError('--pattern needs at least one pattern');
  return {
    command: 'analyze',
    roots,
    analysis: { kind: kind as AnalysisOptions['kind'], prefix, excludedNames, excludedExtensions, maxLineBytes },
    patterns: patterns ?? [...DEFAULT_FILE_PATTERNS],
    top: parsed.top!,
    workers: parsed.executor === 'serial' ? 1 : parsed.workers!,
    executor: parsed.executor!,
    chunksize: parsed.chunksize!,
    stallTimeoutSeconds: parsed.stallTimeoutSeconds!,
    ...(parsed.json !== undefined ? { json: parsed.json } : {}),
    ...(parsed.csv !== undefined ? { csv: parsed.csv } : {}),
    quiet: parsed.quiet!,
  };
}

function parseServe(rest: readonly string[]): ServeArgs {
  const out: ServeArgs = { command: 'serve' };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg.includes('=') ? arg.slice(7) : rest[++i];
      if (value === undefined) throw new UsageError('--port needs a value');
      out.port = positiveInt('--port', value);
      if (out.port > 65535) throw new UsageError('--port must be at most 65535');
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (out.folder !== undefined) throw new UsageError('serve takes at most one folder');
    else out.folder = arg;
  }
  return out;
}
