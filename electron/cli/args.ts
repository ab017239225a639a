/** The command line: `logpool analyze …`, `logpool merge …`, `logpool serve …`, --help, --version. */
import {
  DEFAULT_EXCLUDED_EXTENSIONS,
  DEFAULT_EXCLUDED_NAMES,
  DEFAULT_FILE_PATTERNS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_PANELS,
  DEFAULT_PREFIX,
  DEFAULT_TOP,
  parsePanelList,
  type Query,
} from '../../shared/query';
import { compileFilters, STATUS_FORMS, TIME_FORMS, type QueryFilters } from '../../shared/filters';
import { PANEL_HELP, PANEL_NAMES, type PanelName } from '../../shared/panels';
import { MAX_FORMATS, parseLogFormat } from '../../shared/log-format';
import { DEFAULT_STALL_TIMEOUT_SECONDS, maxWorkersFor, tooManyWorkersMessage } from '../../shared/worker-limits';
import type { FsPath } from '../engine/file-path';
import { EXECUTORS, STDIN_NAME, type ExecutorKind } from '../engine/run-analysis';
import { parseShard, type Shard } from '../engine/shard';
import { DEFAULT_SPLIT_BYTES } from '../engine/file-parts';
import { DEFAULT_READ_HERE_BYTES } from '../engine/read-here';

export class UsageError extends Error {}

export interface AnalyzeArgs {
  command: 'analyze';
  /** Bytes where a name given is not UTF-8 (see raw-argv.ts). */
  roots: FsPath[];
  query: Query;
  patterns: string[];
  top: number;
  workers: number;
  executor: ExecutorKind;
  chunksize: number;
  /** Seconds without progress before a worker's file is failed and the worker replaced (0: never). */
  stallTimeoutSeconds: number;
  /** A plain file with more MiB than this to read is read in parts by several workers (0: never). */
  splitMiB: number;
  /** After the run, go on counting what is added to the inputs until Ctrl-C. */
  follow: boolean;
  json?: string;
  csv?: string;
  quiet: boolean;
  /** Use the result cache (--no-cache: read every file). */
  cache: boolean;
  /** Only this slice of the inputs, written as a partial result for `logpool merge`. */
  shard?: Shard;
}

/** `logpool merge PARTIAL...`: the partial results of `--shard` runs, combined into one. */
export interface MergeArgs {
  command: 'merge';
  partials: string[];
  top: number;
  json?: string;
  csv?: string;
  quiet: boolean;
}

export interface ServeArgs {
  command: 'serve';
  folder?: string;
  port?: number;
}

export type CliArgs = AnalyzeArgs | MergeArgs | ServeArgs | { command: 'help' } | { command: 'version' };

/** `text` in lines of at most `width` characters, the first after `first`, the rest indented to line up. */
function wrap(first: string, text: string, width = 96): string {
  const indent = ' '.repeat(first.length);
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > width && line.trim() !== '') {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += (line === indent || line === first ? '' : ' ') + word;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

function panelHelp(): string {
  const width = Math.max(...PANEL_NAMES.map((n) => n.length));
  return PANEL_NAMES.map((n) => wrap(`                          ${n.padEnd(width)}  `, PANEL_HELP[n])).join('\n');
}

export function usage(defaultWorkers: number): string {
  return `logpool: answers from a folder of web server access logs (paths, status codes, hosts, time,
…), exact to the line, every core busy.

Usage:
  logpool analyze <folder|file>... [options]
  logpool analyze <folder|file>... --follow [options]
  logpool analyze <folder|file>... --shard K/N --json PART [options]
  logpool merge PART... [--json FILE|-] [--csv FILE] [--top N] [--quiet]
  logpool serve [folder] [--port N]
  logpool --help | --version

serve: the desktop app's interface in a browser, for a headless machine. Listens on 127.0.0.1
only (a random port unless --port), prints the address with its session token as the first line
on stdout; open it in a browser (over an SSH tunnel from elsewhere). A folder given is
preselected, and "Choose folder…" browses this machine's folders from there (else from the home
folder). Recent folders are kept in $XDG_STATE_HOME/logpool. Ctrl-C stops it and every worker.

Folders are walked recursively (hidden entries skipped); files named on the command line are read
whatever their name; - reads standard input (zcat *.gz | logpool analyze -: one file named -,
read by one worker). Gzip, bzip2, xz and zstd are recognised by their magic bytes (several
members, streams or frames are fine); zip and other archives are reported as failed.

Formats, line by line: a line starting with { is JSON (Caddy, Traefik, or nginx with
escape=json); any other is tried with the --log-format formats in order, then the book's
combined/common pattern, then vhost_combined (a virtual host before the client). The JSON
report counts each file's lines by format.
  --log-format FORMAT   your own format, in Apache LogFormat syntax ('%h %l %u %t "%r" %>s %b')
                          or nginx log_format syntax ('$remote_addr - $remote_user [$time_local]
                          "$request" $status $body_bytes_sent'); repeat for several. It needs a
                          host, a time, a status and a request (or $request_method and
                          $request_uri)

What is shown: by default the panels ${DEFAULT_PANELS.join(',')}: the book's top
/${DEFAULT_PREFIX}/… paths (unchanged from the book's analysis; empty on a site without them), every path,
the status codes, the client hosts and the lines per day, each the top ${DEFAULT_TOP}. Every panel
counts, per key, its lines and the sum of their sizes (the bytes field), over the lines that
parse and pass the filters, all in one pass over the files.

Panels:
  --panels LIST         comma-separated panels, shown in that order, or all
${panelHelp()}
  --analysis PANEL      the same as --panels PANEL
  --prefix SEGMENT      first path segment of a book path (default: ${DEFAULT_PREFIX})
  --top N               keys shown per panel, in the table and in the JSON (default: ${DEFAULT_TOP};
                          0 = all); hours and days: the first N in time order

Filters (a parsed line that fails one is counted as filtered, and in no panel; lists are
comma-separated, and a line passes when it matches any item):
${wrap('  --since T, --until T  ', `keep lines with since <= time < until; T is ${TIME_FORMS}`)}
${wrap('  --status LIST         ', STATUS_FORMS)}
  --method LIST         request methods, exactly as written (GET is not get)
  --path-prefix LIST    paths starting with one of these (/api keeps /api, /api/x and /apix)
  --host LIST           client hosts, exactly as written

Run:
  --workers N           workers in the pool (default: ${defaultWorkers}, the available cores;
                          at most ${maxWorkersFor(defaultWorkers)}; never more than there are files)
  --executor KIND       process (default), thread or serial
  --chunksize N         files queued per worker behind the one it reads (default: 1)
  --split-mb N          a plain file with more than N MiB to read is cut at line ends into
                          parts that all the workers read at once, and reported as one file
                          (default: ${DEFAULT_SPLIT_BYTES / 2 ** 20}; 0 = read every file whole)
  --pattern GLOB        names picked up in folders; repeat or separate with commas
                          (default: ${DEFAULT_FILE_PATTERNS.join(',')})
  --exclude-names LIST  path parts that exclude a line (book-paths, paths), comma-separated
${wrap('                          ', `(default: ${DEFAULT_EXCLUDED_NAMES.join(', ')})`)}
  --exclude-ext LIST    endings of the last path part that exclude a line, comma-separated
                          (default: ${DEFAULT_EXCLUDED_EXTENSIONS.join(',')})
  --stall-timeout S     a worker that reports no progress on a file for S seconds is stopped:
                          the file is failed with the reason, a new worker goes on (default:
                          ${DEFAULT_STALL_TIMEOUT_SECONDS}; 0 = wait for ever)
  --max-line-bytes N    longer lines are counted as lines and as malformed, not parsed
                          (default: ${DEFAULT_MAX_LINE_BYTES})
  --json FILE|-         write the whole result as JSON (- = stdout, and no table)
  --csv FILE            write every key of every panel as CSV (panel,key,count,bytes)
                          (outputs are checked before the run, and written whole or not at all)
  --quiet               no live progress and no summary on stderr
  --shard K/N           read only the K-th of N slices of the inputs (a file's slice is decided
                          by a hash of its path, the same on every machine) and write, to
                          --json, a partial result with every key; logpool merge combines the N
                          partials into exactly the result of one run over everything (for Slurm
                          arrays, Kubernetes indexed jobs, GNU parallel over ssh)
  -f, --follow          after the run, keep counting what is added to the inputs until Ctrl-C:
                          lines appended to plain files (a line is counted once it ends), new
                          plain files, a file rotated by rename (followed under its new name)
                          or truncated in place (read again from its start); a compressed file
                          that appears is taken for a rotated copy of lines already counted,
                          listed as skipped, not read. The tables redraw at most twice a second
                          on a terminal; Ctrl-C looks once more, then prints and writes the result as for any run (exit
                          0). Reads no cache
  --no-cache            read every file, and keep no result (by default the result of each file
                          is kept per query in $XDG_CACHE_HOME/logpool, ~/.cache/logpool: a
                          file unchanged since is not read again, a plain file that grew is read
                          from where it ended, by this process when such new lines are all
                          there is to read, ${DEFAULT_READ_HERE_BYTES / 2 ** 20} MiB at most: a worker takes longer to start; at
                          most 1 GiB, least recently used first out)
  -h, --help            this help
  --version             the version

Output: a table per panel on stdout (hours and days as bars); live progress (one line per
worker, an overall bar with ETA) and a summary on stderr when it is a terminal; files that were
partial, failed or skipped are listed on stderr with the reason.

Exit status: 0 the run completed (even with partial or failed files, a missing input among
others included), 1 the run could not proceed or an output could not be written, 2 bad usage
(no input exists at all, an output path that cannot be written), 130 interrupted: the first
Ctrl-C stops every worker and still prints and writes the result of the files finished (marked
interrupted); a second Ctrl-C exits at once.

Environment: LOGPOOL_PARSER=js reads every line with the JavaScript reader alone (by default a
WebAssembly reader takes the lines of the usual shape and walks JSON lines; both give the same
numbers).
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
  if (command === 'merge') return parseMerge(rest);
  if (command !== 'analyze') throw new UsageError(`unknown command "${command}" (commands: analyze, merge, serve)`);

  const roots: FsPath[] = [];
  let panels: PanelName[] | undefined;
  const filters: QueryFilters = {};
  let prefix = DEFAULT_PREFIX;
  let excludedNames: readonly string[] = DEFAULT_EXCLUDED_NAMES;
  let excludedExtensions: readonly string[] = DEFAULT_EXCLUDED_EXTENSIONS;
  let maxLineBytes = DEFAULT_MAX_LINE_BYTES;
  const logFormats: string[] = [];
  let patterns: string[] | undefined;
  const parsed: Partial<AnalyzeArgs> = { top: DEFAULT_TOP, workers: defaultWorkers, executor: 'process', chunksize: 1, quiet: false, cache: true, stallTimeoutSeconds: DEFAULT_STALL_TIMEOUT_SECONDS, splitMiB: DEFAULT_SPLIT_BYTES / 2 ** 20, follow: false };

  for (let i = 0; i < rest.length; i++) {
    const [arg, value] = splitOption(rest[i]!);
    const take = (): string => {
      if (value !== undefined) return value;
      const next = rest[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`${arg} needs a value`);
      i++;
      return next;
    };
    switch (arg) {
      case '--analysis':
      case '--panels': {
        const asked = parsePanelList(take(), arg);
        if (!asked.ok) throw new UsageError(asked.error);
        panels = [...(panels ?? []), ...asked.value.filter((p) => !panels?.includes(p))];
        break;
      }
      case '--since':
      case '--until':
        filters[arg === '--since' ? 'since' : 'until'] = take();
        break;
      case '--status':
      case '--method':
      case '--path-prefix':
      case '--host': {
        const name = arg === '--path-prefix' ? 'pathPrefix' : (arg.slice(2) as 'status' | 'method' | 'host');
        filters[name] = [...(filters[name] ?? []), ...take().split(',').map((x) => (name === 'pathPrefix' ? x : x.trim()))];
        break;
      }
      case '--log-format': {
        const format = take();
        const read = parseLogFormat(format);
        if (!read.ok) throw new UsageError(`--log-format ${JSON.stringify(format.slice(0, 120))}: ${read.error}`);
        if (logFormats.length === MAX_FORMATS) throw new UsageError(`--log-format: at most ${MAX_FORMATS} formats`);
        logFormats.push(format);
        break;
      }
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
      case '--split-mb':
        parsed.splitMiB = positiveInt(arg, take(), true);
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
      case '--no-cache':
        parsed.cache = false;
        break;
      case '--follow':
      case '-f':
        parsed.follow = true;
        break;
      case '--shard': {
        const shard = parseShard(take());
        if (!shard) throw new UsageError('--shard must be K/N: the K-th of N slices, 1 <= K <= N (e.g. 2/8)');
        parsed.shard = shard;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        roots.push(raw[i + 1] ?? arg);
    }
  }
  if (roots.length === 0) throw new UsageError('analyze needs at least one folder or file');
  if (parsed.shard) {
    if (parsed.json === undefined || parsed.json === '-') throw new UsageError('--shard writes a partial result for logpool merge: give it --json FILE');
    if (roots.includes(STDIN_NAME)) throw new UsageError('--shard slices files and folders; standard input (-) cannot be sliced');
  }
  if (parsed.follow) {
    if (parsed.shard) throw new UsageError('--follow watches the inputs of one run; it cannot be a --shard slice');
    if (roots.includes(STDIN_NAME)) throw new UsageError('--follow watches files and folders; to follow standard input, pipe tail -F into logpool analyze -');
  }
  if (patterns !== undefined && patterns.length === 0) throw new UsageError('--pattern needs at least one pattern');
  const checked = compileFilters(filters);
  if (!checked.ok) throw new UsageError(checked.error);
  return {
    command: 'analyze',
    roots,
    query: { panels: panels ?? [...DEFAULT_PANELS], filters, prefix, excludedNames, excludedExtensions, maxLineBytes, logFormats },
    patterns: patterns ?? [...DEFAULT_FILE_PATTERNS],
    top: parsed.top!,
    workers: parsed.executor === 'serial' ? 1 : parsed.workers!,
    executor: parsed.executor!,
    chunksize: parsed.chunksize!,
    stallTimeoutSeconds: parsed.stallTimeoutSeconds!,
    splitMiB: parsed.splitMiB!,
    follow: parsed.follow!,
    ...(parsed.json !== undefined ? { json: parsed.json } : {}),
    ...(parsed.csv !== undefined ? { csv: parsed.csv } : {}),
    quiet: parsed.quiet!,
    cache: parsed.cache!,
    ...(parsed.shard ? { shard: parsed.shard } : {}),
  };
}

/** `--name=value` as its name and value; any other argument as it is, with no value. */
function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq >= 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function parseMerge(rest: readonly string[]): MergeArgs {
  const out: MergeArgs = { command: 'merge', partials: [], top: DEFAULT_TOP, quiet: false };
  for (let i = 0; i < rest.length; i++) {
    const [arg, value] = splitOption(rest[i]!);
    const take = (): string => {
      if (value !== undefined) return value;
      const next = rest[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--top') out.top = positiveInt(arg, take(), true);
    else if (arg === '--json') out.json = take();
    else if (arg === '--csv') {
      out.csv = take();
      if (out.csv === '-') throw new UsageError('--csv needs a file name');
    } else if (arg === '--quiet' || arg === '-q') out.quiet = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else out.partials.push(arg);
  }
  if (out.partials.length === 0) throw new UsageError('merge needs the partial results to combine (the --json of each --shard run)');
  return out;
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
