/**
 * The panels a run can compute (analysis-semantics.md §10): what each one's key is, and how it is
 * shown. Every panel gives a line at most one key and reports, per key, its lines and its bytes.
 */

export const PANEL_NAMES = ['book-paths', 'robots-hosts', 'paths', 'hosts', 'status', 'methods', 'referers', 'user-agents', 'hours', 'days', 'vhosts'] as const;
export type PanelName = (typeof PANEL_NAMES)[number];

export const PANEL_LABELS: Record<PanelName, string> = {
  'book-paths': 'Top book paths',
  'robots-hosts': 'Robots.txt hosts',
  paths: 'Paths',
  hosts: 'Hosts',
  status: 'Status codes',
  methods: 'Methods',
  referers: 'Referers',
  'user-agents': 'User agents',
  hours: 'Lines per hour (UTC)',
  days: 'Lines per day (UTC)',
  vhosts: 'Virtual hosts',
};

/** The heading of a panel's key column. */
export const PANEL_KEY_NAMES: Record<PanelName, string> = {
  'book-paths': 'path',
  'robots-hosts': 'host',
  paths: 'path',
  hosts: 'host',
  status: 'status',
  methods: 'method',
  referers: 'referer',
  'user-agents': 'user agent',
  hours: 'hour',
  days: 'day',
  vhosts: 'virtual host',
};

/** One line each, for --help and the in-app help: what the key is and which lines count. */
export const PANEL_HELP: Record<PanelName, string> = {
  'book-paths': 'the request path, for lines the exclusion lists keep whose first path segment is the prefix (default "book") followed by at least one more segment',
  'robots-hosts': 'the client host, for lines whose path is exactly /robots.txt (exclusion lists not applied)',
  paths: 'the request path, for lines the exclusion lists keep (the empty path and / are excluded)',
  hosts: 'the client host (the first field)',
  status: 'the status code as written',
  methods: 'the request method (the first of at least three words of the request)',
  referers: 'the referer, when the line has one that is neither empty nor "-"',
  'user-agents': 'the user agent, when the line has one that is neither empty nor "-"',
  hours: 'the hour of the line\'s time in UTC (YYYY-MM-DDTHH:00Z); in time order',
  days: 'the date of the line\'s time in UTC (YYYY-MM-DD); in time order',
  vhosts: 'the virtual host (server name, often with its port), for lines whose format has one: vhost_combined, the JSON logs, a --log-format with %v or $host',
};

/**
 * Panels whose keys are always among another panel's (the same lines' same field, fewer lines):
 * the book's paths are paths, and the hosts that asked for /robots.txt are hosts. With both in a
 * run, the first one's table holds no key bytes of its own (5 M distinct book paths were 120 MB
 * twice over), where it is counted at all: a run with paths reads the book's off them
 * (DERIVED_FROM).
 */
export const KEYS_AMONG: Partial<Record<PanelName, PanelName>> = { 'book-paths': 'paths', 'robots-hosts': 'hosts' };

/**
 * Panels that are another panel's keys that pass a rule on the key alone, with the same counts
 * and bytes: a book path is a path (both panels apply the exclusion lists, §5, §10) whose first
 * segment is the prefix and that has a second one. With both in a run, the book's panel is read
 * off the paths' table rather than counted twice: workers neither count nor send it, and the main
 * process holds a bit a path for it (derivedPanels() in query.ts says when).
 */
export const DERIVED_FROM: Partial<Record<PanelName, PanelName>> = { 'book-paths': 'paths' };

/** Panels whose keys are shown in time order rather than by count. */
export function isTimePanel(name: PanelName): boolean {
  return name === 'hours' || name === 'days';
}

/** Panels that apply the exclusion lists (and so report how many lines they excluded). */
export function panelUsesExclusions(name: PanelName): boolean {
  return name === 'book-paths' || name === 'paths';
}

export function isPanelName(value: unknown): value is PanelName {
  return typeof value === 'string' && (PANEL_NAMES as readonly string[]).includes(value);
}
