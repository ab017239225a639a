/** The renderer's view of the current run, folded from main's events. */
import type { AppEvent, PanelSummary, RunOutcome, RunSettings } from '../../shared/app-contract';
import type { FileSummary } from '../../shared/file-result';
import type { ProgressSnapshot } from '../../shared/progress';
import type { RunTotals } from '../../shared/run-report';

export interface RunState {
  runId: number;
  settings: RunSettings;
  workers: number;
  executor: string;
  phase: 'running' | RunOutcome;
  progress?: ProgressSnapshot;
  /** Each panel's top keys and accounting, in the run's order. */
  panels: PanelSummary[];
  files: FileSummary[];
  totals?: RunTotals;
  elapsedMs?: number;
  error?: string;
  /** Cancelled: files found but not finished (in `files`, as skipped). */
  unfinished?: number;
}

function withNewFiles(files: FileSummary[], added: FileSummary[]): FileSummary[] {
  return added.length ? [...files, ...added] : files;
}

export function reduceRun(state: RunState | undefined, event: AppEvent): RunState | undefined {
  switch (event.type) {
    case 'run-started':
      return { runId: event.runId, settings: event.settings, workers: event.workers, executor: event.executor, phase: 'running', panels: event.settings.query.panels.map((name) => ({ name, top: [], distinct: 0, counted: 0, bytes: 0, excluded: 0 })), files: [] };
    case 'run-progress':
      if (!state || state.runId !== event.runId) return state;
      return {
        ...state,
        progress: event.progress,
        panels: event.panels,
        files: withNewFiles(state.files, event.newFiles),
      };
    case 'run-finished':
      if (!state || state.runId !== event.runId) return state;
      return {
        ...state,
        phase: event.outcome,
        progress: event.progress,
        panels: event.panels,
        totals: event.totals,
        elapsedMs: event.elapsedMs,
        files: withNewFiles(state.files, event.newFiles),
        ...(event.error ? { error: event.error } : {}),
        ...(event.unfinished ? { unfinished: event.unfinished } : {}),
      };
    default:
      return state;
  }
}
