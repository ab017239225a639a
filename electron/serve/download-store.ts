/**
 * The browser host's exports: files written to a temporary folder of this process and served as
 * downloads. Bounded (how many are kept, their total size, how many are written at once); the
 * folder is removed on every exit path the process survives to see, and folders left by a
 * process that died (kill -9, power loss) are removed by the next start.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, promises as fsp, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface DownloadLimits {
  /** Downloads kept; the oldest is removed past this. */
  maxKept: number;
  /** Total bytes kept; the oldest are removed past this (the newest is always kept). */
  maxBytes: number;
  /** Exports written at the same time; more are refused (the user can try again). */
  maxWriting: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = { maxKept: 16, maxBytes: 2 * 1024 ** 3, maxWriting: 2 };

export interface Download {
  file: string;
  fileName: string;
  bytes: number;
}

const PREFIX = 'logpool-serve-';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, someone else's
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove the export folders of logpool serve processes that are gone. Returns how many. */
export function removeStaleDownloadFolders(parent = tmpdir()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return 0;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = /^logpool-serve-(\d+)-[A-Za-z0-9]{6}$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    const dir = path.join(parent, name);
    try {
      if (uid !== undefined && statSync(dir).uid !== uid) continue;
      rmSync(dir, { recursive: true, force: true });
      removed++;
    } catch {
      // not ours to remove, or gone already
    }
  }
  return removed;
}

export class DownloadStore {
  readonly dir: string;
  private readonly kept = new Map<string, Download>();
  private writing = 0;
  private removed = false;

  constructor(
    private readonly limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS,
    parent = tmpdir(),
  ) {
    this.dir = mkdtempSync(path.join(parent, `${PREFIX}${process.pid}-`));
  }

  /** Write one export (through `write`) and keep it; returns its id. */
  async add(fileName: string, write: (file: string) => Promise<void>): Promise<string> {
    if (this.removed) throw new Error('the host is shutting down');
    if (this.writing >= this.limits.maxWriting) throw new Error('other exports are being written: try again in a moment');
    this.writing++;
    const id = randomBytes(12).toString('hex');
    const file = path.join(this.dir, id);
    try {
      await write(file);
      const { size } = await fsp.stat(file);
      this.kept.set(id, { file, fileName, bytes: size });
      await this.evict(id);
      return id;
    } catch (e) {
      await fsp.rm(file, { force: true });
      throw e;
    } finally {
      this.writing--;
    }
  }

  get(id: string): Download | undefined {
    return this.kept.get(id);
  }

  /** Forget a download whose file has gone. */
  forget(id: string): void {
    this.kept.delete(id);
  }

  get count(): number {
    return this.kept.size;
  }

  private async evict(newest: string): Promise<void> {
    let total = 0;
    for (const d of this.kept.values()) total += d.bytes;
    for (const [id, d] of this.kept) {
      if (id === newest) break;
      if (this.kept.size <= this.limits.maxKept && total <= this.limits.maxBytes) break;
      this.kept.delete(id);
      total -= d.bytes;
      await fsp.rm(d.file, { force: true });
    }
  }

  /** Remove the folder and everything in it; synchronous, so that it also runs on 'exit'. */
  removeAll(): void {
    if (this.removed) return;
    this.removed = true;
    this.kept.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
