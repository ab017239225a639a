/** The live progress display on stderr: one line per worker and an overall bar with ETA. */
import { terminalSafe } from './terminal-text';
import { fractionDone, type ProgressSnapshot } from '../../shared/progress';
import { duration, fitPath, int, partLabel, rate } from '../../shared/format';

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const CLEAR_LINE = '\x1b[2K';

export function renderProgress(p: ProgressSnapshot, width: number): string[] {
  const frac = fractionDone(p);
  const barWidth = Math.max(10, Math.min(40, width - 60));
  const filled = Math.round(frac * barWidth);
  const total = p.scanDone ? int(p.filesFound) : `${int(p.filesFound)}+`;
  const problems = [p.failed ? `${int(p.failed)} failed` : '', p.partial ? `${int(p.partial)} partial` : ''].filter(Boolean).join(', ');
  const eta = p.etaMs === null ? (p.scanDone ? '' : 'scanning…') : `ETA ${duration(p.etaMs)}`;
  const lines = [
    `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${int(p.filesDone)}/${total} files${problems ? ` (${problems})` : ''}  ${rate(p.bytesPerSec)}  ${eta}`,
  ];
  const nameWidth = Math.max(12, width - 48);
  for (const lane of p.lanes) {
    const label = `worker ${lane.slot}`.padEnd(9);
    if (lane.state === 'busy' && lane.path) {
      const pct = lane.size > 0 ? Math.min(100, (lane.bytesRead / lane.size) * 100) : 0;
      const part = partLabel(lane);
      lines.push(`${label} ${fitPath(terminalSafe(lane.path), nameWidth - part.length)}${part} ${pct.toFixed(0).padStart(3)}%  ${rate(lane.bytesPerSec).padStart(11)}  ${int(lane.filesDone)} done`);
    } else {
      lines.push(`${label} ${lane.state.padEnd(nameWidth)}       ${''.padStart(11)}  ${int(lane.filesDone)} done`);
    }
  }
  return lines.map((l) => (l.length > width ? l.slice(0, width - 1) : l));
}

export class ProgressView {
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly source: () => ProgressSnapshot,
  ) {}

  start(): void {
    this.stream.write(HIDE_CURSOR);
    this.timer = setInterval(() => this.draw(), 100);
    this.timer.unref();
  }

  draw(): void {
    const lines = renderProgress(this.source(), this.stream.columns || 100);
    let out = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const line of lines) out += `\r${CLEAR_LINE}${line}\n`;
    for (let i = lines.length; i < this.drawn; i++) out += `\r${CLEAR_LINE}\n`;
    const extra = Math.max(0, this.drawn - lines.length);
    if (extra > 0) out += `\x1b[${extra}A`;
    this.drawn = lines.length;
    this.stream.write(out);
  }

  /** Erase the display and give the cursor back. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    let out = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (let i = 0; i < this.drawn; i++) out += `\r${CLEAR_LINE}\n`;
    if (this.drawn > 0) out += `\x1b[${this.drawn}A`;
    this.drawn = 0;
    this.stream.write(out + SHOW_CURSOR);
  }
}
