/**
 * Filters set from the dashboard: a key clicked in a panel, a range dragged on the time chart, a
 * chip removed. Pure functions over the run's QueryFilters (the same ones the settings edit).
 */
import { compileFilters, FILTER_NAMES, type FilterName, type QueryFilters } from '../../shared/filters';
import type { PanelName } from '../../shared/panels';
import type { RunSettings } from '../../shared/app-contract';
import { canonicalJson } from '../../shared/canonical-json';

/** Which filter a click on a panel's key sets. */
const FILTER_OF_PANEL: Partial<Record<PanelName, 'status' | 'method' | 'host' | 'pathPrefix'>> = {
  status: 'status',
  methods: 'method',
  hosts: 'host',
  'robots-hosts': 'host',
  paths: 'pathPrefix',
  'book-paths': 'pathPrefix',
};

/** What clicking a key does, said on its bar (or undefined: the panel has no filter for it). */
export function clickFilterLabel(panel: PanelName): string | undefined {
  const name = FILTER_OF_PANEL[panel];
  if (name === undefined) return undefined;
  return name === 'pathPrefix' ? 'keep only paths starting with this' : `keep only this ${name}`;
}

/** The filters with a panel's key as its filter (replacing that filter), or undefined when the key cannot be one. */
export function filterByKey(filters: QueryFilters, panel: PanelName, key: string): QueryFilters | undefined {
  const name = FILTER_OF_PANEL[panel];
  if (name === undefined || key === '') return undefined;
  const next: QueryFilters = { ...filters, [name]: [key] };
  return compileFilters(next).ok ? next : undefined;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A time bucket's key (2023-11-14T22:00Z or 2023-11-14) as its start, in ms since the epoch. */
function bucketStart(key: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):00Z)?$/.exec(key);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), m[4] === undefined ? 0 : Number(m[4]));
}

function instant(ms: number, hours: boolean): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return hours ? `${date}T${pad(d.getUTCHours())}:00Z` : date;
}

/**
 * The filters keeping the buckets from `a` to `b` (either order, both included): since the first
 * one's start, until the last one's end (until is exclusive).
 */
export function filterByTimeRange(filters: QueryFilters, panel: PanelName, a: string, b: string): QueryFilters | undefined {
  const hours = panel === 'hours';
  const [x, y] = [bucketStart(a), bucketStart(b)];
  if (x === undefined || y === undefined) return undefined;
  const step = hours ? 3_600_000 : 86_400_000;
  const next: QueryFilters = { ...filters, since: instant(Math.min(x, y), hours), until: instant(Math.max(x, y) + step, hours) };
  return compileFilters(next).ok ? next : undefined;
}

const CHIP_LABELS: Record<FilterName, string> = {
  since: 'since',
  until: 'until',
  status: 'status',
  method: 'method',
  pathPrefix: 'path starts with',
  host: 'host',
};

export interface FilterChip {
  name: FilterName;
  label: string;
  value: string;
}

export function filterChips(filters: QueryFilters): FilterChip[] {
  return FILTER_NAMES.flatMap((name) => {
    const v = filters[name];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) return [];
    return [{ name, label: CHIP_LABELS[name], value: typeof v === 'string' ? v : v.join(', ') }];
  });
}

export function withoutFilter(filters: QueryFilters, name: FilterName): QueryFilters {
  const { [name]: _gone, ...rest } = filters;
  return rest;
}

/** One line for titles and exports: the filters as the chips say them, or "no filter". */
export function filtersText(filters: QueryFilters): string {
  const chips = filterChips(filters);
  return chips.length ? chips.map((c) => `${c.label} ${c.value}`).join('; ') : 'no filter';
}

/** Whether a run's result still answers these settings (else it is stale until the next run). */
export function sameRunSettings(a: RunSettings, b: RunSettings): boolean {
  // the cache changes how fast, never what is counted
  const { cache: _a, ...x } = a;
  const { cache: _b, ...y } = b;
  return canonicalJson(x) === canonicalJson(y);
}
