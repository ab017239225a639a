import { memo } from 'react';
import type { AppInfo, ExecutorChoice, RunSettings } from '../../../shared/app-contract';
import { PANEL_HELP, PANEL_LABELS, PANEL_NAMES, type PanelName } from '../../../shared/panels';
import { compileFilters, STATUS_FORMS, TIME_FORMS, type QueryFilters } from '../../../shared/filters';
import type { Query } from '../../../shared/query';
import { DraftInput, parseList, wholeNumberIn } from './DraftInput';
import { LogFormatsField } from './LogFormatsField';

export type Settings = Omit<RunSettings, 'folder'>;

const commaList = (xs: readonly string[]): string => xs.join(', ');
const lineList = (xs: readonly string[]): string => xs.join('\n');
const nonEmptyList = (text: string): string[] | undefined => {
  const xs = parseList(text);
  return xs.length > 0 ? xs : undefined;
};
const segment = (text: string): string | undefined => {
  const t = text.trim();
  return t && !t.includes('/') ? t : undefined;
};
const asText = (n: number): string => String(n);

type ListFilter = 'status' | 'method' | 'pathPrefix' | 'host';

/** A filter field: empty = no filter; a value the filters refuse is put back as it was. */
function filterParser(filters: QueryFilters, name: 'since' | 'until' | ListFilter) {
  return (text: string): QueryFilters | undefined => {
    const { [name]: _old, ...rest } = filters;
    const t = text.trim();
    if (t === '') return rest;
    const next: QueryFilters = name === 'since' || name === 'until' ? { ...rest, [name]: t } : { ...rest, [name]: parseList(t) };
    return compileFilters(next).ok ? next : undefined;
  };
}

export const SettingsPanel = memo(function SettingsPanel({ settings, defaults, cores, maxWorkers, disabled, onChange }: { settings: Settings; defaults: AppInfo['defaults']; cores: number; maxWorkers: number; disabled: boolean; onChange: (s: Settings) => void }) {
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => onChange({ ...settings, [key]: value });
  const q = settings.query;
  const setQuery = <K extends keyof Query>(key: K, value: Query[K]) => onChange({ ...settings, query: { ...q, [key]: value } });
  const togglePanel = (name: PanelName, on: boolean) => {
    const panels = PANEL_NAMES.filter((p) => (p === name ? on : q.panels.includes(p)));
    if (panels.length > 0) setQuery('panels', panels);
  };
  const filterField = (name: 'since' | 'until' | ListFilter, label: string, hint: string) => {
    // the field shows this filter of the filters given (DraftInput compares shown texts to commit)
    const show = (f: QueryFilters): string => {
      const value = f[name];
      return value === undefined ? '' : typeof value === 'string' ? value : commaList(value);
    };
    return (
      <label title={hint}>
        {label}
        <DraftInput<QueryFilters>
          value={q.filters}
          format={show}
          parse={filterParser(q.filters, name)}
          onCommit={(f) => setQuery('filters', f)}
        />
      </label>
    );
  };
  return (
    <fieldset className="settings" disabled={disabled}>
      <legend>Settings</legend>
      <fieldset className="panel-choice">
        <legend>Panels</legend>
        {PANEL_NAMES.map((name) => (
          <label key={name} className="check" title={PANEL_HELP[name]}>
            <input type="checkbox" checked={q.panels.includes(name)} onChange={(e) => togglePanel(name, e.target.checked)} />
            {PANEL_LABELS[name]}
          </label>
        ))}
      </fieldset>
      <fieldset className="filters">
        <legend>Filters</legend>
        <p className="hint">Lines that fail a filter count as filtered, in no panel. Lists are comma-separated; any item may match.</p>
        <div className="row">
          {filterField('since', 'Since', `Keep lines at or after this time: ${TIME_FORMS}`)}
          {filterField('until', 'Until', `Keep lines before this time: ${TIME_FORMS}`)}
        </div>
        {filterField('status', 'Status', STATUS_FORMS)}
        {filterField('method', 'Method', 'Request methods, exactly as written (GET is not get)')}
        {filterField('pathPrefix', 'Path prefix', 'Paths starting with one of these (/api keeps /api, /api/x and /apix)')}
        {filterField('host', 'Host', 'Client hosts, exactly as written')}
      </fieldset>
      <label>
        Book path prefix
        <DraftInput value={q.prefix} format={(x) => x} parse={segment} onCommit={(v) => setQuery('prefix', v)} disabled={!q.panels.includes('book-paths')} />
      </label>
      <div className="row">
        <label>
          Top N
          <DraftInput value={settings.top} format={asText} parse={wholeNumberIn(1, 1000)} onCommit={(v) => set('top', v)} inputMode="numeric" />
        </label>
        <label>
          Workers
          <DraftInput value={settings.workers} format={asText} parse={wholeNumberIn(1, maxWorkers)} onCommit={(v) => set('workers', v)} inputMode="numeric" />
        </label>
      </div>
      <p className="hint">This machine has {cores} cores (at most {maxWorkers} workers).</p>
      <label>
        Executor
        <select value={settings.executor} onChange={(e) => set('executor', e.target.value as ExecutorChoice)}>
          <option value="process">Processes (one per worker)</option>
          <option value="thread">Threads</option>
          <option value="serial">Serial (one worker, for comparison)</option>
        </select>
      </label>
      <label className="check" title={settings.follow ? 'Not with Live: a live run reads every file to its last complete line' : undefined}>
        <input type="checkbox" checked={settings.cache && !settings.follow} disabled={settings.follow} onChange={(e) => set('cache', e.target.checked)} />
        Reuse results of files read before (unchanged files are not read again; grown ones only where they grew){settings.follow ? ' — not with Live' : ''}
      </label>
      <label>
        File names
        <DraftInput value={settings.patterns} format={commaList} parse={nonEmptyList} onCommit={(v) => set('patterns', v)} />
      </label>
      <LogFormatsField formats={q.logFormats ?? []} onCommit={(v) => setQuery('logFormats', v)} />
      <label>
        Excluded path parts
        <DraftInput value={q.excludedNames} format={lineList} parse={parseList} onCommit={(v) => setQuery('excludedNames', v)} multiline rows={4} />
      </label>
      <label>
        Excluded endings
        <DraftInput value={q.excludedExtensions} format={commaList} parse={parseList} onCommit={(v) => setQuery('excludedExtensions', v)} />
      </label>
      <button type="button" className="link" onClick={() => onChange({ ...defaults, workers: settings.workers, executor: settings.executor, top: settings.top, cache: settings.cache, follow: settings.follow })}>
        Reset panels, filters and rules to the defaults
      </button>
    </fieldset>
  );
});
