/**
 * Input from the renderer is untrusted: every request is checked field by field before main
 * acts on it. Returns the request, typed, or a message saying what is wrong.
 */
import { EXECUTOR_CHOICES, type ApiRequest, type ExecutorChoice, type RunSettings } from './app-contract';
import { compileFilters, FILTER_NAMES, type QueryFilters } from './filters';
import { MAX_FORMATS, parseLogFormat } from './log-format';
import { isPanelName, PANEL_NAMES, type PanelName } from './panels';
import type { Query } from './query';
import { tooManyWorkersMessage } from './worker-limits';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** What the checks need to know of the machine main runs on. */
export interface RequestLimits {
  maxWorkers: number;
  cores: number;
}

/** The most keys one get-keys page holds (a page is also cut at MAX_PAGE_CHARS of keys). */
export const MAX_PAGE_KEYS = 100_000;

const MAX_TEXT = 4096;
const MAX_LIST = 256;
/** A chart image: it must fit, with its envelope, in the browser host's largest message (16 MiB). */
const MAX_IMAGE = 12 * 1024 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, name: string, allowEmpty = false): string {
  if (typeof v !== 'string' || v.length > MAX_TEXT || (!allowEmpty && v.length === 0) || v.includes('\0')) {
    throw new Error(`${name} must be ${allowEmpty ? 'a' : 'a non-empty'} string of at most ${MAX_TEXT} characters`);
  }
  return v;
}

function bool(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${name} must be true or false`);
  return v;
}

function int(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return v;
}

function list(v: unknown, name: string): string[] {
  if (!Array.isArray(v) || v.length > MAX_LIST) throw new Error(`${name} must be a list of at most ${MAX_LIST} entries`);
  return v.map((x, i) => text(x, `${name}[${i}]`));
}

/**
 * An absolute path, as main must be given one: a relative path would be resolved against main's
 * own working directory, which the user never sees. POSIX `/…`, Windows `C:\…` or `\\server\…`.
 */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** A folder as the renderer names it: the same check for a run's folder and a folder to list. */
function absolutePath(v: unknown, name: string): string {
  const p = text(v, name);
  if (!isAbsolutePath(p)) throw new Error(`${name} must be an absolute path (not "${p.slice(0, 80)}")`);
  return p;
}

function panel(v: unknown, name: string): PanelName {
  if (!isPanelName(v)) throw new Error(`${name} must be one of ${PANEL_NAMES.join(', ')}`);
  return v;
}

function checkFilters(v: unknown): QueryFilters {
  if (!isObject(v)) throw new Error('query.filters must be an object');
  const out: QueryFilters = {};
  for (const key of Object.keys(v)) {
    if (!(FILTER_NAMES as readonly string[]).includes(key)) throw new Error(`query.filters has no field "${key.slice(0, 40)}"`);
  }
  if (v.since !== undefined) out.since = text(v.since, 'query.filters.since');
  if (v.until !== undefined) out.until = text(v.until, 'query.filters.until');
  for (const name of ['status', 'method', 'pathPrefix', 'host'] as const) {
    if (v[name] !== undefined) out[name] = list(v[name], `query.filters.${name}`);
  }
  const compiled = compileFilters(out);
  if (!compiled.ok) throw new Error(compiled.error);
  return out;
}

export function checkQuery(v: unknown): Query {
  if (!isObject(v)) throw new Error('query must be an object');
  if (!Array.isArray(v.panels) || v.panels.length === 0 || v.panels.length > PANEL_NAMES.length) throw new Error('query.panels must list at least one panel');
  const panels = v.panels.map((p, i) => panel(p, `query.panels[${i}]`));
  if (new Set(panels).size !== panels.length) throw new Error('query.panels must not repeat a panel');
  const prefix = text(v.prefix, 'query.prefix');
  if (prefix.includes('/')) throw new Error('query.prefix is one path segment (no "/")');
  return {
    panels,
    filters: checkFilters(v.filters),
    prefix,
    excludedNames: list(v.excludedNames, 'query.excludedNames'),
    excludedExtensions: list(v.excludedExtensions, 'query.excludedExtensions'),
    maxLineBytes: int(v.maxLineBytes, 'query.maxLineBytes', 1, 0x7fffffff),
    logFormats: checkLogFormats(v.logFormats),
  };
}

function checkLogFormats(v: unknown): string[] {
  // absent: none (a request from before formats could be given)
  if (v === undefined) return [];
  const formats = list(v, 'query.logFormats');
  if (formats.length > MAX_FORMATS) throw new Error(`query.logFormats holds at most ${MAX_FORMATS} formats`);
  formats.forEach((text, i) => {
    const parsed = parseLogFormat(text);
    if (!parsed.ok) throw new Error(`query.logFormats[${i}]: ${parsed.error}`);
  });
  return formats;
}

export function checkRunSettings(v: unknown, limits: RequestLimits): RunSettings {
  if (!isObject(v)) throw new Error('settings must be an object');
  const query = checkQuery(v.query);
  const executor = v.executor;
  if (typeof executor !== 'string' || !(EXECUTOR_CHOICES as readonly string[]).includes(executor)) {
    throw new Error(`executor must be one of ${EXECUTOR_CHOICES.join(', ')}`);
  }
  const patterns = list(v.patterns, 'patterns');
  if (patterns.length === 0) throw new Error('patterns must hold at least one file name pattern');
  const folder = absolutePath(v.folder, 'folder');
  const workers = int(v.workers, 'workers', 1, Number.MAX_SAFE_INTEGER);
  if (workers > limits.maxWorkers) throw new Error(tooManyWorkersMessage(workers, limits.cores));
  return {
    folder,
    query,
    top: int(v.top, 'top', 1, 1000),
    workers,
    executor: executor as ExecutorChoice,
    patterns,
    // absent: on (a request from before the cache)
    cache: v.cache === undefined ? true : bool(v.cache, 'cache'),
    // absent: off (a request from before follow mode)
    follow: v.follow === undefined ? false : bool(v.follow, 'follow'),
  };
}

export function checkRequest(v: unknown, limits: RequestLimits): Checked<ApiRequest> {
  try {
    if (!isObject(v) || typeof v.type !== 'string') throw new Error('a request is an object with a type');
    switch (v.type) {
      case 'get-info':
      case 'choose-folder':
      case 'get-run':
        return { ok: true, value: { type: v.type } };
      case 'list-folder':
        return { ok: true, value: v.path === undefined ? { type: 'list-folder' } : { type: 'list-folder', path: absolutePath(v.path, 'path') } };
      case 'start-run':
        return { ok: true, value: { type: 'start-run', settings: checkRunSettings(v.settings, limits) } };
      case 'cancel-run':
        return { ok: true, value: { type: v.type, runId: int(v.runId, 'runId', 1, Number.MAX_SAFE_INTEGER) } };
      case 'get-keys':
        return {
          ok: true,
          value: {
            type: 'get-keys',
            runId: int(v.runId, 'runId', 1, Number.MAX_SAFE_INTEGER),
            panel: panel(v.panel, 'panel'),
            offset: int(v.offset, 'offset', 0, Number.MAX_SAFE_INTEGER),
            limit: int(v.limit, 'limit', 1, MAX_PAGE_KEYS),
          },
        };
      case 'export': {
        if (v.format !== 'csv' && v.format !== 'json') throw new Error('format must be csv or json');
        if (v.panel !== undefined && v.format !== 'csv') throw new Error('only a CSV export is of one panel');
        const runId = int(v.runId, 'runId', 1, Number.MAX_SAFE_INTEGER);
        return { ok: true, value: v.panel === undefined ? { type: 'export', runId, format: v.format } : { type: 'export', runId, format: v.format, panel: panel(v.panel, 'panel') } };
      }
      case 'export-image': {
        if (v.format !== 'png' && v.format !== 'svg') throw new Error('format must be png or svg');
        if (typeof v.data !== 'string' || v.data.length > MAX_IMAGE) throw new Error('data must be a string of at most 12 MB');
        if (v.format === 'png' && !v.data.startsWith('data:image/png;base64,')) throw new Error('a PNG comes as a data:image/png;base64 URL');
        if (v.format === 'svg' && !v.data.trimStart().startsWith('<svg')) throw new Error('an SVG comes as <svg> markup');
        return { ok: true, value: { type: 'export-image', runId: int(v.runId, 'runId', 1, Number.MAX_SAFE_INTEGER), panel: panel(v.panel, 'panel'), format: v.format, data: v.data } };
      }
      default:
        throw new Error(`unknown request type "${String(v.type).slice(0, 40)}"`);
    }
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
