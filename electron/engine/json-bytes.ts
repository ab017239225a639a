/**
 * JSON.parse over bytes: a report of millions of keys is larger than any JavaScript string can
 * be (2^29 - 24 characters), so it cannot be read as text and parsed. This reads the UTF-8 bytes
 * themselves, and hands the elements of the arrays the caller names to it one at a time, never
 * building them (every key of a panel as an object was a gigabyte). The values it builds are
 * JSON.parse's: the same strings (escapes, invalid UTF-8 as U+FFFD), numbers and objects, and
 * what JSON.parse refuses it refuses, with the byte it stopped at.
 */

/** Where a value is: the keys and indexes from the top. */
export type JsonPath = ReadonlyArray<string | number>;

/** For an array at `path`: a function to take its elements one by one, or undefined to build it. */
export type ElementSink = (path: JsonPath) => ((element: unknown) => void) | undefined;

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const decoder = new TextDecoder();

export function parseJsonBytes(bytes: Uint8Array, sink: ElementSink = () => undefined): unknown {
  const reader = new Reader(bytes, sink);
  const value = reader.value();
  reader.end();
  return value;
}

class Reader {
  private at = 0;
  /** Where the value being read is. */
  private readonly path: Array<string | number> = [];

  constructor(
    private readonly b: Uint8Array,
    private readonly sink: ElementSink,
  ) {}

  value(): unknown {
    this.space();
    const c = this.b[this.at];
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return this.string();
    if (c === 0x74) return this.literal('true', true);
    if (c === 0x66) return this.literal('false', false);
    if (c === 0x6e) return this.literal('null', null);
    return this.number();
  }

  end(): void {
    this.space();
    if (this.at < this.b.length) this.fail('more after the value');
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    this.space();
    if (this.b[this.at] === 0x7d) {
      this.at++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.b[this.at] !== 0x22) this.fail('a key expected');
      const key = this.string();
      this.space();
      if (this.b[this.at] !== 0x3a) this.fail('":" expected');
      this.at++;
      this.path.push(key);
      // as JSON.parse: "__proto__" is a key like any other
      Object.defineProperty(out, key, { value: this.value(), writable: true, enumerable: true, configurable: true });
      this.path.pop();
      this.space();
      const c = this.b[this.at++];
      if (c === 0x7d) return out;
      if (c !== 0x2c) this.fail('"," or "}" expected', -1);
    }
  }

  private array(): unknown[] {
    const take = this.sink([...this.path]);
    const out: unknown[] = [];
    this.at++;
    this.space();
    if (this.b[this.at] === 0x5d) {
      this.at++;
      return out;
    }
    for (let i = 0; ; i++) {
      this.path.push(i);
      const element = this.value();
      this.path.pop();
      if (take) take(element);
      else out.push(element);
      this.space();
      const c = this.b[this.at++];
      if (c === 0x5d) return out;
      if (c !== 0x2c) this.fail('"," or "]" expected', -1);
    }
  }

  private string(): string {
    const b = this.b;
    const start = ++this.at;
    let escaped = false;
    for (;;) {
      const c = b[this.at];
      if (c === undefined) this.fail('a string not ended');
      if (c === 0x22) break;
      if (c < 0x20) this.fail('a control character in a string');
      if (c === 0x5c) {
        escaped = true;
        this.at++;
      }
      this.at++;
    }
    const end = this.at++;
    if (!escaped) return decoder.decode(b.subarray(start, end));
    // an escape: JSON.parse reads it (a string with one is short, and its rules are JSON.parse's)
    try {
      return JSON.parse(decoder.decode(b.subarray(start - 1, end + 1))) as string;
    } catch {
      return this.fail('a bad escape in a string', start - 1 - this.at);
    }
  }

  private literal(word: string, value: boolean | null): boolean | null {
    for (let i = 0; i < word.length; i++) if (this.b[this.at + i] !== word.charCodeAt(i)) this.fail('a value expected');
    this.at += word.length;
    return value;
  }

  private number(): number {
    const start = this.at;
    for (;;) {
      const c = this.b[this.at];
      // - + . 0-9 E e
      if (c === undefined || !(c === 0x2d || c === 0x2b || c === 0x2e || (c >= 0x30 && c <= 0x39) || c === 0x45 || c === 0x65)) break;
      this.at++;
    }
    const text = decoder.decode(this.b.subarray(start, this.at));
    if (!NUMBER.test(text)) this.fail('a value expected', start - this.at);
    return Number(text);
  }

  private space(): void {
    const b = this.b;
    for (;;) {
      const c = b[this.at];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.at++;
    }
  }

  private fail(what: string, offset = 0): never {
    throw new SyntaxError(`${what} at byte ${this.at + offset}`);
  }
}
