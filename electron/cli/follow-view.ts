/** The tables while following, redrawn on stderr at most twice a second, as far as the terminal's height allows. */
const CLEAR_SCREEN = '\x1b[H\x1b[2J';
const REDRAW_MS = 500;

export class FollowView {
  private last = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly header: () => string,
    private readonly body: () => string[],
  ) {}

  /** Something was counted: redraw now, or as soon as the last redraw is old enough. */
  changed(): void {
    if (this.timer) return;
    const wait = this.last + REDRAW_MS - Date.now();
    if (wait <= 0) this.draw();
    else this.timer = setTimeout(() => this.draw(), wait);
  }

  draw(): void {
    this.timer = undefined;
    this.last = Date.now();
    const rows = Math.max(5, (this.stream.rows ?? 40) - 2);
    const width = this.stream.columns ?? 100;
    const lines = this.body().join('').split('\n').slice(0, rows).map((l) => (l.length > width ? l.slice(0, width - 1) : l));
    this.stream.write(`${CLEAR_SCREEN}${this.header()}\n${lines.join('\n')}\n`);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
