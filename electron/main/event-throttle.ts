/**
 * Coalesces a stream of changes into at most one flush per interval (a leading flush, then one
 * per interval while changes keep coming). The renderer gets ~20 messages a second whether the
 * folder has 5 files or 50,000.
 */
export class EventThrottle {
  private timer: NodeJS.Timeout | undefined;
  private last = -Infinity;
  private dirty = false;

  constructor(
    private readonly intervalMs: number,
    private readonly flush: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Something changed: flush now if the interval has passed, or once it has. */
  poke(): void {
    this.dirty = true;
    if (this.timer) return;
    const wait = this.last + this.intervalMs - this.now();
    if (wait <= 0) this.fire();
    else this.timer = setTimeout(() => this.fire(), wait);
  }

  /** Drop anything pending (the final state is sent separately). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty = false;
  }

  private fire(): void {
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    this.last = this.now();
    this.flush();
  }
}
