/**
 * The filters of a run (analysis-semantics.md §9), as the user writes them, and their one
 * reading: `compileFilters` turns the text into what a worker tests, or says which value is wrong
 * and what is accepted. The CLI, the app and the browser host all go through it.
 */
import { daysFromCivil, SECONDS_PER_DAY } from './time-buckets';

/** Filters as written (each list: any item may match). Absent = no filter. */
export interface QueryFilters {
  since?: string;
  until?: string;
  status?: string[];
  method?: string[];
  pathPrefix?: string[];
  host?: string[];
}

export const FILTER_NAMES = ['since', 'until', 'status', 'method', 'pathPrefix', 'host'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

/** How each filter is named on the command line (and in messages). */
export const FILTER_FLAGS: Record<FilterName, string> = {
  since: '--since',
  until: '--until',
  status: '--status',
  method: '--method',
  pathPrefix: '--path-prefix',
  host: '--host',
};

export const TIME_FORMS = 'a date (2012-06-01, meaning 00:00 UTC) or a date-time (2012-06-01T10:00, 2012-06-01T10:00:30Z, 2012-06-01T10:00-04:00; without an offset it is UTC)';
export const STATUS_FORMS = 'a code (404), a class 1xx to 5xx (4xx) or an inclusive range (500-599), comma-separated';

/** An inclusive range of status values (a code is a range of one). */
export interface StatusRange {
  lo: number;
  hi: number;
}

/** The filters as a worker tests them. Times: whole seconds since the epoch (UTC). */
export interface CompiledFilters {
  since: number | null;
  until: number | null;
  status: StatusRange[] | null;
  method: string[] | null;
  pathPrefix: string[] | null;
  host: string[] | null;
}

export type Compiled<T> = { ok: true; value: T } | { ok: false; error: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$/i;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function validDate(y: number, m: number, d: number): boolean {
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1]!;
}

/** An ISO 8601 date or date-time as seconds since the epoch, or null when it is not one. */
export function parseInstant(text: string): number | null {
  const t = text.trim();
  let m = DATE.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validDate(y, mo, d) ? daysFromCivil(y, mo, d) * SECONDS_PER_DAY : null;
  }
  m = DATE_TIME.exec(t);
  if (!m) return null;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const s = m[6] !== undefined ? Number(m[6]) : 0;
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  let offset = 0;
  const z = m[7];
  if (z !== undefined && z.toUpperCase() !== 'Z') {
    const digits = z.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return null;
    offset = (z[0] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return daysFromCivil(y, mo, d) * SECONDS_PER_DAY + h * 3600 + mi * 60 + s - offset;
}

/** One status item, or null. */
export function parseStatusItem(item: string): StatusRange | null {
  const t = item.trim();
  let m = /^([1-5])xx$/i.exec(t);
  if (m) return { lo: Number(m[1]) * 100, hi: Number(m[1]) * 100 + 99 };
  m = /^(\d{1,9})$/.exec(t);
  if (m) return { lo: Number(m[1]), hi: Number(m[1]) };
  m = /^(\d{1,9})-(\d{1,9})$/.exec(t);
  if (m && Number(m[1]) <= Number(m[2])) return { lo: Number(m[1]), hi: Number(m[2]) };
  return null;
}

/** Show a value in a message: quoted, cut when long. */
function shown(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return JSON.stringify(cut);
}

function listOf(name: FilterName, items: readonly string[] | undefined, what: string): Compiled<string[] | null> {
  if (items === undefined) return { ok: true, value: null };
  const kept = items.filter((i) => i !== '');
  if (kept.length === 0) return { ok: false, error: `${FILTER_FLAGS[name]} needs at least one ${what} (an empty list would filter out every line)` };
  return { ok: true, value: kept };
}

/** The filters, checked and read; the first problem found otherwise. */
export function compileFilters(f: QueryFilters): Compiled<CompiledFilters> {
  const time = (name: 'since' | 'until'): Compiled<number | null> => {
    const text = f[name];
    if (text === undefined) return { ok: true, value: null };
    const at = parseInstant(text);
    if (at === null) return { ok: false, error: `${FILTER_FLAGS[name]} ${shown(text)} is not a time: give ${TIME_FORMS}` };
    return { ok: true, value: at };
  };
  const since = time('since');
  if (!since.ok) return since;
  const until = time('until');
  if (!until.ok) return until;
  if (since.value !== null && until.value !== null && since.value >= until.value) {
    return { ok: false, error: `--since ${shown(f.since!)} is not before --until ${shown(f.until!)}: no line could pass` };
  }
  let status: StatusRange[] | null = null;
  if (f.status !== undefined) {
    const items = listOf('status', f.status.map((s) => s.trim()), 'status');
    if (!items.ok) return items;
    status = [];
    for (const item of items.value!) {
      const range = parseStatusItem(item);
      if (range === null) return { ok: false, error: `--status ${shown(item)} is not a status: give ${STATUS_FORMS}` };
      status.push(range);
    }
  }
  const method = listOf('method', f.method, 'method');
  if (!method.ok) return method;
  const pathPrefix = listOf('pathPrefix', f.pathPrefix, 'path prefix');
  if (!pathPrefix.ok) return pathPrefix;
  const host = listOf('host', f.host, 'host');
  if (!host.ok) return host;
  return { ok: true, value: { since: since.value, until: until.value, status, method: method.value, pathPrefix: pathPrefix.value, host: host.value } };
}

/** Whether any filter is set. */
export function hasFilters(f: CompiledFilters): boolean {
  return f.since !== null || f.until !== null || f.status !== null || f.method !== null || f.pathPrefix !== null || f.host !== null;
}

/** The filters in words, for a summary line ("status 4xx,500-599; since 2012-06-01"). */
export function describeFilters(f: QueryFilters): string {
  const parts: string[] = [];
  if (f.since !== undefined) parts.push(`since ${f.since}`);
  if (f.until !== undefined) parts.push(`until ${f.until}`);
  if (f.status !== undefined) parts.push(`status ${f.status.join(',')}`);
  if (f.method !== undefined) parts.push(`method ${f.method.join(',')}`);
  if (f.pathPrefix !== undefined) parts.push(`path prefix ${f.pathPrefix.join(',')}`);
  if (f.host !== undefined) parts.push(`host ${f.host.join(',')}`);
  return parts.join('; ');
}
