/** Folds run events into a ProgressSnapshot: per-worker lanes with rates, totals and an ETA. */
import type { LaneSnapshot, ProgressSnapshot } from '../../shared/progress';
import type { RunEvent } from './run-analysis';
import type { FilePart } from '../../shared/worker-protocol';

/** Lane rates are averaged over about this long (exponentially, weighted by time). */
const RATE_SECONDS = 0.25;
/**
 * No ETA until bytes have been read for this long: the first reports come while workers start
 * and the scan still counts, and a rate taken from them promises minutes for a run of seconds.
 */
export const ETA_WARMUP_MS = 1000;

function blend(old: number, value: number, seconds: number): number {
  if (old === 0) return value;
  return old + (1 - Math.exp(-seconds / RATE_SECONDS)) * (value - old);
}

interface LaneState extends LaneSnapshot {
  lastAt: number;
  lastBytes: number;
  lastLines: number;
  /** Whether a progress report of the current file has set the rates yet. */
  rated: boolean;
}

/** A file being read, by a worker: a worker may start its next part of a file before its last part is counted. */
const readingKey = (slot: number, path: string, part: FilePart | undefined): string => `${slot}\0${path}\0${part?.index ?? 0}`;

export class ProgressTracker {
  private readonly started: number;
  private readonly lanes = new Map<number, LaneState>();
  private scanDone = false;
  private filesFound = 0;
  private bytesFound = 0;
  private filesDone = 0;
  private failed = 0;
  private partial = 0;
  private skipped = 0;
  /** Entries the scan reported without a worker (skipped, unreadable): found and done at once. */
  private foundWithoutWorker = 0;
  private bytesFinished = 0;
  private linesFinished = 0;
  /**
   * What each file being read has done so far, by slot and path. A worker starts its next file
   * (queued behind) before the main process has taken in the previous one's result, so a lane
   * moves on while its last file is still to be counted as done: that file's progress is kept
   * here until it is, or the overall figures would drop and climb back.
   */
  private readonly reading = new Map<string, { bytesRead: number; lines: number; rated: boolean }>();
  /** The last figures shown: what is shown never goes down. */
  private shownBytes = 0;
  private shownLines = 0;
  /** When the first bytes were read: the overall rate is measured from there, not from the start. */
  private firstBytesAt: number | undefined;

  /** `clock`: milliseconds, performance.now() unless a test drives the time. */
  constructor(
    workers: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.started = clock();
    for (let slot = 1; slot <= workers; slot++) this.lanes.set(slot, this.newLane(slot));
  }

  private newLane(slot: number): LaneState {
    return { slot, state: 'starting', size: 0, bytesRead: 0, lines: 0, bytesPerSec: 0, linesPerSec: 0, filesDone: 0, restarts: 0, lastAt: 0, lastBytes: 0, lastLines: 0, rated: false };
  }

  private lane(slot: number): LaneState {
    let lane = this.lanes.get(slot);
    if (!lane) {
      lane = this.newLane(slot);
      this.lanes.set(slot, lane);
    }
    return lane;
  }

  update(event: RunEvent): void {
    const now = this.clock();
    switch (event.type) {
      case 'scan':
        this.filesFound = event.found;
        this.bytesFound = event.bytes;
        this.scanDone = event.done;
        return;
      case 'worker-start': {
        const lane = this.lane(event.slot);
        lane.state = 'idle';
        if (event.pid !== undefined) lane.pid = event.pid;
        return;
      }
      case 'worker-exit': {
        const lane = this.lane(event.slot);
        if (event.replaced) {
          lane.state = 'restarting';
          lane.restarts++;
        } else lane.state = 'idle';
        delete lane.path;
        return;
      }
      case 'file-start': {
        const lane = this.lane(event.slot);
        this.reading.set(readingKey(event.slot, event.path, event.part), { bytesRead: 0, lines: 0, rated: false });
        Object.assign(lane, { state: 'busy', path: event.path, size: event.size, bytesRead: 0, lines: 0, lastAt: now, lastBytes: 0, lastLines: 0, rated: false });
        if (event.part) lane.part = event.part;
        else delete lane.part;
        if (event.files) lane.files = event.files;
        else delete lane.files;
        return;
      }
      case 'part-done': {
        // a part's bytes and lines count as done now; its file's file-done adds none again
        this.reading.delete(readingKey(event.slot, event.path, event.part));
        this.bytesFinished += event.bytes;
        this.linesFinished += event.lines;
        const lane = this.lane(event.slot);
        if (lane.path === event.path && lane.part?.index === event.part.index) this.idle(lane);
        return;
      }
      case 'file-progress': {
        const file = this.reading.get(readingKey(event.slot, event.path, event.part));
        if (file) {
          file.bytesRead = event.bytesRead;
          file.lines = event.lines;
        }
        const lane = this.lane(event.slot);
        if (lane.path !== event.path) return;
        // rates come from one report to the next (the first of a file only sets where it starts:
        // the time from the file's start to it is mostly messaging); files over before a second
        // report get their rate when done
        const dt = (now - lane.lastAt) / 1000;
        if (lane.lastBytes > 0 && dt > 0.05) {
          lane.bytesPerSec = blend(lane.bytesPerSec, (event.bytesRead - lane.lastBytes) / dt, dt);
          lane.linesPerSec = blend(lane.linesPerSec, (event.lines - lane.lastLines) / dt, dt);
          lane.rated = true;
          if (file) file.rated = true;
        } else if (lane.bytesPerSec === 0 && dt > 0.005) {
          // nothing better yet (the lane's first file): a first guess rather than 0
          lane.bytesPerSec = event.bytesRead / dt;
          lane.linesPerSec = event.lines / dt;
        }
        if (lane.lastBytes === 0 || dt > 0.05) {
          lane.lastAt = now;
          lane.lastBytes = event.bytesRead;
          lane.lastLines = event.lines;
        }
        lane.bytesRead = event.bytesRead;
        lane.lines = event.lines;
        return;
      }
      case 'file-done': {
        const f = event.file;
        this.filesDone++;
        if (f.status === 'failed') this.failed++;
        else if (f.status === 'partial') this.partial++;
        else if (f.status === 'skipped') this.skipped++;
        // a file read in parts was counted part by part
        if (f.parts !== undefined) return;
        this.bytesFinished += f.status === 'skipped' ? 0 : Math.max(f.bytes, 0);
        this.linesFinished += f.lines;
        // found by the scan without a task (skipped, unreadable); a cached file was found as a file
        if (f.worker === 0 && f.cache === undefined) this.foundWithoutWorker++;
        if (f.worker > 0) {
          const key = readingKey(f.worker, f.path, undefined);
          const file = this.reading.get(key);
          this.reading.delete(key);
          const lane = this.lane(f.worker);
          lane.filesDone++;
          // a file read within one progress interval set no rate: its own time does (also when
          // the lane has moved on to its next file, which has no rate of its own yet)
          if (!file?.rated && lane.state === 'busy' && !lane.rated && f.ms > 0 && f.status !== 'skipped') {
            const seconds = f.ms / 1000;
            lane.bytesPerSec = blend(lane.bytesPerSec, f.bytes / seconds, seconds);
            lane.linesPerSec = blend(lane.linesPerSec, f.lines / seconds, seconds);
          }
          if (lane.path === f.path) this.idle(lane);
        }
        return;
      }
    }
  }

  private idle(lane: LaneState): void {
    lane.state = 'idle';
    delete lane.path;
    delete lane.part;
    delete lane.files;
    lane.bytesRead = 0;
    lane.lines = 0;
    lane.size = 0;
  }

  /** The run is over (finished or cancelled): no lane is busy any more. */
  finish(): void {
    this.reading.clear();
    for (const lane of this.lanes.values()) this.idle(lane);
  }

  snapshot(): ProgressSnapshot {
    const now = this.clock();
    const elapsedMs = now - this.started;
    let bytesDone = this.bytesFinished;
    let lines = this.linesFinished;
    for (const file of this.reading.values()) {
      bytesDone += file.bytesRead;
      lines += file.lines;
    }
    // a worker lost mid-file takes its progress with it; what was shown stays shown
    bytesDone = this.shownBytes = Math.max(this.shownBytes, bytesDone);
    lines = this.shownLines = Math.max(this.shownLines, lines);
    const lanes: LaneSnapshot[] = [];
    for (const lane of [...this.lanes.values()].sort((a, b) => a.slot - b.slot)) {
      const { lastAt: _a, lastBytes: _b, lastLines: _c, ...snap } = lane;
      lanes.push(snap);
    }
    if (bytesDone > 0 && this.firstBytesAt === undefined) this.firstBytesAt = now;
    const readingMs = this.firstBytesAt === undefined ? 0 : now - this.firstBytesAt;
    const bytesPerSec = elapsedMs > 0 ? (bytesDone / elapsedMs) * 1000 : 0;
    const left = Math.max(0, this.bytesFound - bytesDone);
    // the rate while reading (worker start-up and the time to the first report left out)
    const readRate = readingMs > 0 ? (bytesDone / readingMs) * 1000 : 0;
    const etaMs = this.scanDone && readingMs >= ETA_WARMUP_MS && readRate > 0 ? (left / readRate) * 1000 : null;
    return {
      elapsedMs,
      scanDone: this.scanDone,
      filesFound: this.filesFound + this.foundWithoutWorker,
      bytesFound: this.bytesFound,
      filesDone: this.filesDone,
      failed: this.failed,
      partial: this.partial,
      skipped: this.skipped,
      bytesDone,
      bytesPerSec,
      etaMs,
      lines,
      lanes,
    };
  }
}
