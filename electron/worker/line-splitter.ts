/**
 * Cuts a stream of chunks into lines at '\n' with bounded memory: a line is carried across
 * chunks only up to `maxLineBytes`; a longer one is skipped to its end and reported as long.
 */

export interface LineSink {
  line(b: Buffer, s: number, e: number): void;
  longLine(): void;
  /**
   * Optional: b[s, e) holds whole lines, each ending in '\n', handed over at once; the sink then
   * applies the line limit itself.
   */
  lines?(b: Buffer, s: number, e: number): void;
}

export class LineSplitter {
  private carry: Buffer = Buffer.alloc(0);
  private carryLen = 0;
  private skipping = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Buffer): void {
    const n = chunk.length;
    let pos = 0;
    if (this.skipping) {
      const nl = chunk.indexOf(10);
      if (nl < 0) return;
      this.skipping = false;
      this.sink.longLine();
      pos = nl + 1;
    } else if (this.carryLen > 0) {
      const nl = chunk.indexOf(10);
      const take = nl < 0 ? n : nl;
      if (this.carryLen + take > this.maxLineBytes) {
        this.carryLen = 0;
        if (nl < 0) {
          this.skipping = true;
          return;
        }
        this.sink.longLine();
      } else {
        this.append(chunk, 0, take);
        if (nl < 0) return;
        this.sink.line(this.carry, 0, this.carryLen);
        this.carryLen = 0;
      }
      pos = nl + 1;
    }
    const max = this.maxLineBytes;
    if (this.sink.lines !== undefined) {
      const last = chunk.lastIndexOf(10);
      if (last >= pos) {
        this.sink.lines(chunk, pos, last + 1);
        pos = last + 1;
      }
    }
    let nl: number;
    while ((nl = chunk.indexOf(10, pos)) >= 0) {
      if (nl - pos > max) this.sink.longLine();
      else this.sink.line(chunk, pos, nl);
      pos = nl + 1;
    }
    if (pos < n) {
      if (n - pos > max) this.skipping = true;
      else this.append(chunk, pos, n);
    }
  }

  /** The stream ended: a last line without '\n' is still a line. */
  end(): void {
    if (this.skipping) {
      this.skipping = false;
      this.sink.longLine();
    } else if (this.carryLen > 0) {
      this.sink.line(this.carry, 0, this.carryLen);
      this.carryLen = 0;
    }
  }

  private append(chunk: Buffer, s: number, e: number): void {
    const need = this.carryLen + (e - s);
    if (need > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(need, this.carry.length * 2, 4096), this.maxLineBytes));
      this.carry.copy(grown, 0, 0, this.carryLen);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carryLen, s, e);
    this.carryLen = need;
  }
}
