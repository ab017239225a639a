/**
 * What a run analyses and how: the user-facing settings of an analysis, with the defaults of
 * ../shared/spec/analysis-semantics.md (which reproduce the book exactly).
 */

export const ANALYSIS_KINDS = ['book-paths', 'robots-hosts'] as const;
export type AnalysisKind = (typeof ANALYSIS_KINDS)[number];

export const ANALYSIS_LABELS: Record<AnalysisKind, string> = {
  'book-paths': 'Top book paths',
  'robots-hosts': 'Robots.txt hosts',
};

/** One line each, for --help and the in-app help: what the key is and which lines count. */
export const ANALYSIS_HELP: Record<AnalysisKind, string> = {
  'book-paths':
    'key = the request path; counts parsed lines that survive the exclusion lists and whose first path segment is the prefix (default "book") followed by at least one more segment',
  'robots-hosts':
    'key = the client host (first field); counts parsed lines whose path is exactly /robots.txt (exclusion lists not applied)',
};

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

export interface AnalysisOptions {
  readonly kind: AnalysisKind;
  /** First path segment a book path must have (book-paths only). */
  readonly prefix: string;
  readonly excludedNames: readonly string[];
  readonly excludedExtensions: readonly string[];
  readonly maxLineBytes: number;
}

export function defaultAnalysisOptions(kind: AnalysisKind = 'book-paths'): AnalysisOptions {
  return {
    kind,
    prefix: DEFAULT_PREFIX,
    excludedNames: DEFAULT_EXCLUDED_NAMES,
    excludedExtensions: DEFAULT_EXCLUDED_EXTENSIONS,
    maxLineBytes: DEFAULT_MAX_LINE_BYTES,
  };
}

export function isAnalysisKind(value: unknown): value is AnalysisKind {
  return typeof value === 'string' && (ANALYSIS_KINDS as readonly string[]).includes(value);
}
