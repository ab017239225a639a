/**
 * The app's Live switch: after a run's first pass, follow its folder (follow.ts) and tell the
 * renderer what grows, a few times a second at most: the totals, the panels, the files that
 * appeared and those that changed. What a look finds is read by one worker kept for the
 * purpose (job-reader.ts), never on main's event loop.
 */
import type { AppEvent, ChangedFile, LiveStatus, RunSettings } from '../../shared/app-contract';
import type { FileSummary } from '../../shared/file-result';
import { DEFAULT_STALL_TIMEOUT_SECONDS } from '../../shared/worker-limits';
import { follow } from '../engine/follow';
import { openJobReader } from '../engine/job-reader';
import type { ProgressTracker } from '../engine/progress-tracker';
import type { AnalyzeLauncher, RunRequest, RunResult } from '../engine/run-analysis';
import { EventThrottle } from './event-throttle';
import { summarize } from './panel-summary';

/** Updates of a live run a second, at most (the issue: "a few times a second"). */
export const LIVE_MESSAGES_PER_SECOND = 4;

export class LiveRun {
  private readonly status: LiveStatus;
  /** Each file's place in the list the renderer holds (the order the files were sent in). */
  private readonly index = new Map<FileSummary, number>();
  /** Files already sent that changed since the last message. */
  private readonly changed = new Set<FileSummary>();
  /** Files of the run's list sent so far. */
  private sentCount = 0;
  private readonly throttle: EventThrottle;

  constructor(
    private readonly runId: number,
    private readonly settings: RunSettings,
    private readonly result: RunResult,
    private readonly tracker: ProgressTracker,
    private readonly emit: (event: AppEvent) => void,
    messagesPerSecond = LIVE_MESSAGES_PER_SECOND,
  ) {
    const now = Date.now();
    this.status = { since: now, now, lines: 0, appeared: 0, looks: 0 };
    this.throttle = new EventThrottle(1000 / Math.min(messagesPerSecond, LIVE_MESSAGES_PER_SECOND), () => this.emit(this.message()));
  }

  /**
   * The first pass is done: say so, with the files it finished that were not sent yet (they are
   * the last of the run's files, in its order).
   */
  begin(unsent: readonly FileSummary[]): void {
    this.sentCount = this.result.files.length - unsent.length;
    this.result.files.forEach((file, i) => this.index.set(file, i));
    this.emit(this.message());
  }

  /** Follow until `signal` (Stop, or the app closing); then a last look counts every line ended before. */
  async follow(request: RunRequest, launcher: AnalyzeLauncher, signal: AbortSignal): Promise<void> {
    const reader = openJobReader(launcher, this.settings.query, DEFAULT_STALL_TIMEOUT_SECONDS * 1000);
    try {
      const stats = await follow(request, this.result, {
        signal,
        read: (job) => reader.read(job),
        onChange: (files, stats) => {
          // a file that appeared is sent whole with the next message; one sent before, as changed
          for (const file of files) if ((this.index.get(file) ?? Infinity) < this.sentCount) this.changed.add(file);
          Object.assign(this.status, stats);
          this.throttle.poke();
        },
      });
      Object.assign(this.status, stats);
    } finally {
      this.throttle.cancel();
      await reader.close();
    }
  }

  /** What the run-finished message carries of the live phase: the files not sent yet, those changed, and the status. */
  last(): { newFiles: FileSummary[]; changedFiles: ChangedFile[]; live: LiveStatus } {
    const { newFiles, changedFiles, live } = this.message();
    return { newFiles, changedFiles, live };
  }

  private message(): Extract<AppEvent, { type: 'run-live' }> {
    const files = this.result.files;
    const newFiles = files.slice(this.sentCount);
    newFiles.forEach((file, i) => this.index.set(file, this.sentCount + i));
    this.sentCount = files.length;
    const changedFiles = [...this.changed].map((file) => ({ index: this.index.get(file)!, file }));
    this.changed.clear();
    this.status.now = Date.now();
    return {
      type: 'run-live',
      runId: this.runId,
      progress: this.tracker.snapshot(),
      totals: this.result.totals,
      elapsedMs: this.result.elapsedMs,
      panels: summarize(this.result.panels, this.settings.top, this.result.totals.excluded),
      newFiles,
      changedFiles,
      live: { ...this.status },
    };
  }
}
