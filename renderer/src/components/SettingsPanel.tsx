import { memo } from 'react';
import type { AppInfo, ExecutorChoice, RunSettings } from '../../../shared/app-contract';
import { ANALYSIS_HELP, ANALYSIS_LABELS, ANALYSIS_KINDS, type AnalysisKind } from '../../../shared/analysis-options';

export type Settings = Omit<RunSettings, 'folder'>;

const list = (s: string): string[] => s.split(/[\n,]/).map((x) => x.trim()).filter(Boolean);

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
        <input value={settings.prefix} onChange={(e) => set('prefix', e.target.value.replace(/\//g, ''))} disabled={settings.analysis !== 'book-paths'} />
      </label>
      <div className="row">
        <label>
          Top N
          <input type="number" min={1} max={1000} value={settings.top} onChange={(e) => set('top', Math.max(1, Math.min(1000, Number(e.target.value) || 1)))} />
        </label>
        <label>
          Workers
          <input type="number" min={1} max={maxWorkers} value={settings.workers} onChange={(e) => set('workers', Math.max(1, Math.min(maxWorkers, Number(e.target.value) || 1)))} />
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
        <input value={settings.patterns.join(', ')} onChange={(e) => set('patterns', list(e.target.value))} />
      </label>
      <label>
        Excluded path parts
        <textarea rows={4} value={settings.excludedNames.join('\n')} onChange={(e) => set('excludedNames', list(e.target.value))} />
      </label>
      <label>
        Excluded endings
        <input value={settings.excludedExtensions.join(', ')} onChange={(e) => set('excludedExtensions', list(e.target.value))} />
      </label>
      <button type="button" className="link" onClick={() => onChange({ ...defaults, workers: settings.workers, executor: settings.executor, top: settings.top })}>
        Reset analysis rules to the defaults
      </button>
    </fieldset>
  );
});
