/**
 * What a run computes: its query (panels + filters + the options the panels use) and the rest of
 * a run's settings, with the one set of defaults the CLI, the desktop app and the browser host
 * share. The defaults of the lists reproduce the book exactly (analysis-semantics.md §5).
 */
import type { QueryFilters } from './filters';
import { DERIVED_FROM, PANEL_NAMES, type PanelName } from './panels';

/**
 * Shown when no panel is asked for: the book's top paths first (unchanged on the book's own logs),
 * then what any site's logs answer: every path, the status codes, the hosts, the days.
 */
export const DEFAULT_PANELS: readonly PanelName[] = ['book-paths', 'paths', 'status', 'hosts', 'days'];

export const DEFAULT_PREFIX = 'book';

/** Path segments that exclude a line wherever they appear (the book's path_filter). */
export const DEFAULT_EXCLUDED_NAMES: readonly string[] = [
  'favicon.ico',
  'robots.txt',
  'humans.txt',
  'crossdomain.xml',
  '_images',
  'search.html',
  'genindex.html',
  'searchindex.js',
  'modindex.html',
  'py-modindex.html',
];

/** Endings of the last path segment that exclude a line. */
export const DEFAULT_EXCLUDED_EXTENSIONS: readonly string[] = ['.png', '.js', '.css'];

/** File names a folder scan picks up (matched against the base name, case-sensitive). */
export const DEFAULT_FILE_PATTERNS: readonly string[] = ['*.log', '*.log.*', '*access*', '*.gz'];

/** Lines longer than this are not parsed (they count as lines and as malformed, and are reported). */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** Rows of each panel shown (0 = every key). */
export const DEFAULT_TOP = 20;

export const EXECUTOR_CHOICES = ['process', 'thread', 'serial'] as const;
export type ExecutorChoice = (typeof EXECUTOR_CHOICES)[number];

/** What each worker needs to read a file: sent to a worker once, not with every file. */
export interface Query {
  /** In the order they are shown; no repeats. */
  readonly panels: readonly PanelName[];
  readonly filters: QueryFilters;
  /** First path segment of a book path (book-paths). */
  readonly prefix: string;
  /** Exclusion lists (book-paths and paths). */
  readonly excludedNames: readonly string[];
  readonly excludedExtensions: readonly string[];
  readonly maxLineBytes: number;
  /** The user's formats (§12.5), tried in this order before the built-in ones; none by default. */
  readonly logFormats: readonly string[];
}

/**
 * The panels of a query that are read off another of its panels (DERIVED_FROM), not counted:
 * those whose source is in the query too. Not when the prefix holds U+FFFD: a key shows a path's
 * bytes that are not UTF-8 as U+FFFD, so such a prefix could match a key where it did not match
 * the path as read.
 */
export function derivedPanels(query: Pick<Query, 'panels' | 'prefix'>): ReadonlySet<PanelName> {
  const derived = new Set<PanelName>();
  if (query.prefix.includes('\uFFFD')) return derived;
  for (const name of query.panels) {
    const source = DERIVED_FROM[name];
    if (source !== undefined && query.panels.includes(source)) derived.add(name);
  }
  return derived;
}

export function defaultQuery(panels: readonly PanelName[] = DEFAULT_PANELS): Query {
  return {
    panels: [...panels],
    filters: {},
    prefix: DEFAULT_PREFIX,
    excludedNames: DEFAULT_EXCLUDED_NAMES,
    excludedExtensions: DEFAULT_EXCLUDED_EXTENSIONS,
    maxLineBytes: DEFAULT_MAX_LINE_BYTES,
    logFormats: [],
  };
}

/** A run's settings besides the folder: the same shape for the CLI, the app and the host. */
export interface RunOptions {
  query: Query;
  /** File name patterns a folder scan picks up. */
  patterns: string[];
  top: number;
  workers: number;
  executor: ExecutorChoice;
  /** Reuse the results of files unchanged since they were read, and read grown plain files from their old end (the CLI's --no-cache is false). */
  cache: boolean;
  /**
   * After the run, go on counting what is added to the inputs (lines appended, files that
   * appear, rotation) until stopped: the CLI's --follow, the app's Live switch. Plain files are
   * then read to their last line end, and no result cache is used.
   */
  follow: boolean;
}

export function defaultRunOptions(cores: number): RunOptions {
  return { query: defaultQuery(), patterns: [...DEFAULT_FILE_PATTERNS], top: DEFAULT_TOP, workers: cores, executor: 'process', cache: true, follow: false };
}

/** `all` or a comma-separated list of panel names, in order, without repeats; or the problem (said as of `flag`). */
export function parsePanelList(text: string, flag = '--panels'): { ok: true; value: PanelName[] } | { ok: false; error: string } {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) return { ok: false, error: `${flag} needs at least one panel (${PANEL_NAMES.join(', ')}, or all)` };
  if (items.length === 1 && items[0] === 'all') return { ok: true, value: [...PANEL_NAMES] };
  const out: PanelName[] = [];
  for (const item of items) {
    if (!(PANEL_NAMES as readonly string[]).includes(item)) {
      return { ok: false, error: `${flag}: "${item.slice(0, 60)}" is not a panel (panels: ${PANEL_NAMES.join(', ')}, or all)` };
    }
    if (!out.includes(item as PanelName)) out.push(item as PanelName);
  }
  return { ok: true, value: out };
}
