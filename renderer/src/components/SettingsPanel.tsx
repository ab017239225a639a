import { memo } from 'react';
import type { AppInfo, ExecutorChoice, RunSettings } from '../../../shared/app-contract';
import { ANALYSIS_HELP, ANALYSIS_LABELS, ANALYSIS_KINDS, type AnalysisKind } from '../../../shared/analysis-options';
import { DraftInput, parseList, wholeNumberIn } from './DraftInput';

export type Settings = Omit<RunSettings, 'folder'>;

const commaList = (xs: string[]): string => xs.join(', ');
const lineList = (xs: string[]): string => xs.join('\n');
const nonEmptyList = (text: string): string[] | undefined => {
  const xs = parseList(text);
  return xs.length > 0 ? xs : undefined;
};
const segment = (text: string): string | undefined => {
  const t = text.trim();
  return t && !t.includes('/') ? t : undefined;
};
const asText = (n: number): string => String(n);

export const SettingsPanel = memo(function SettingsPanel({ settings, defaults, cores, maxWorkers, disabled, onChange }: { settings: Settings; defaults: AppInfo['defaults']; cores: number; maxWorkers: number; disabled: boolean; onChange: (s: Settings) => void }) {
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => onChange({ ...settings, [key]: value });
  return (
    <fieldset className="settings" disabled={disabled}>
      <legend>Settings</legend>
      <label>
        Analysis
        <select value={settings.analysis} onChange={(e) => set('analysis', e.target.value as AnalysisKind)}>
          {ANALYSIS_KINDS.map((k) => (
            <option key={k} value={k}>{ANALYSIS_LABELS[k]}</option>
          ))}
        </select>
      </label>
      <p className="hint">{ANALYSIS_HELP[settings.analysis]}.</p>
      <label>
        Path prefix
        <DraftInput value={settings.prefix} format={(x) => x} parse={segment} onCommit={(v) => set('prefix', v)} disabled={settings.analysis !== 'book-paths'} />
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
          <option value="serial">Serial (one core, for comparison)</option>
        </select>
      </label>
      <label>
        File names
        <DraftInput value={settings.patterns} format={commaList} parse={nonEmptyList} onCommit={(v) => set('patterns', v)} />
      </label>
      <label>
        Excluded path parts
        <DraftInput value={settings.excludedNames} format={lineList} parse={parseList} onCommit={(v) => set('excludedNames', v)} multiline rows={4} />
      </label>
      <label>
        Excluded endings
        <DraftInput value={settings.excludedExtensions} format={commaList} parse={parseList} onCommit={(v) => set('excludedExtensions', v)} />
      </label>
      <button type="button" className="link" onClick={() => onChange({ ...defaults, workers: settings.workers, executor: settings.executor, top: settings.top })}>
        Reset analysis rules to the defaults
      </button>
    </fieldset>
  );
});
