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

/**
 * Takes an element `{"key": "…", "count": n, "bytes": n}` (a report's key) without its being
 * built: the key's bytes b[s, e) as written (no escape among them; they may not be valid UTF-8,
 * which JSON.parse would read as U+FFFD), and the two numbers.
 */
export type KeyCountTaker = (b: Uint8Array, s: number, e: number, count: number, bytes: number) => void;

/**
 * Takes an array's elements one by one; with `keyCount`, an element that is a key in its plain
 * form (its three members in that order, the key without escapes, the numbers whole and at most
 * 15 digits) goes there instead, unbuilt: a merge of millions of keys built an object, a string
 * and two numbers' texts for each (8 s for 2.5 million, 2.5 of them for the rest).
 */
export interface ElementTaker {
  (element: unknown): void;
  keyCount?: KeyCountTaker;
}

/** For an array at `path`: a function to take its elements one by one, or undefined to build it. */
export type ElementSink = (path: JsonPath) => ElementTaker | undefined;

const KEY = Buffer.from('"key"');
const COUNT = Buffer.from('"count"');
const BYTES = Buffer.from('"bytes"');
/** Up to 15 digits, an integer is exact in a double (and so the same as JSON.parse's). */
const MAX_DIGITS = 15;

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const decoder = new TextDecoder();

export function parseJsonBytes(bytes: Uint8Array, sink: ElementSink = () => undefined): unknown {
  const reader = new Reader(bytes, sink, undefined);
  const value = reader.value();
  reader.end();
  return value;
}

/**
 * The next bytes of the input into `into` (from its start), as many as there are up to its length;
 * 0 at the input's end.
 */
export type ReadMore = (into: Uint8Array) => number;

/** Bytes read at a time by parseJsonStream (a window this large, and the element being read, are held). */
const WINDOW_BYTES = 8 * 1024 * 1024;

/**
 * parseJsonBytes() of an input read a window at a time (`readMore`): only the element being
 * read and the window are held, not the input (a partial of millions of keys is hundreds of MB).
 */
export function parseJsonStream(readMore: ReadMore, sink: ElementSink = () => undefined, windowBytes = WINDOW_BYTES): unknown {
  const reader = new Reader(new Uint8Array(0), sink, { readMore, windowBytes });
  const value = reader.retrying(() => reader.value());
  reader.end();
  return value;
}

/**
 * Thrown when a read ran past the window before the input's end: the array element or object
 * member being read is read again, from its start, with more of the input in the window.
 */
const NEED_MORE = Symbol('more of the input');
/** "false": what fail() may have looked ahead at most, past where it stands. */
const LONGEST_LITERAL = 5;

class Reader {
  private at = 0;
  /** Where b[0] is in the input. */
  private base = 0;
  /** The window holds the input's end (all of it, given as bytes). */
  private ended: boolean;
  /** Where the value being read is. */
  private readonly path: Array<string | number> = [];

  constructor(
    private b: Uint8Array,
    private readonly sink: ElementSink,
    private readonly input: { readMore: ReadMore; windowBytes: number } | undefined,
  ) {
    this.ended = input === undefined;
  }

  /**
   * `read()` from where the reader is now, read again with a larger window each time it runs past
   * the window's end. Nothing is handed to a sink before what is read here is whole, so that
   * reading it again hands nothing twice (every array and object reads each element, each member
   * and each separator this way).
   */
  retrying<T>(read: () => T): T {
    const from = this.base + this.at;
    for (;;) {
      try {
        return read();
      } catch (e) {
        if (e !== NEED_MORE) throw e;
        this.more(from);
      }
    }
  }

  /** The window from input byte `from` on, with more of the input after what it held. */
  private more(from: number): void {
    const keep = this.b.subarray(from - this.base);
    const next = new Uint8Array(keep.length + Math.max(this.input!.windowBytes, keep.length));
    next.set(keep);
    let filled = keep.length;
    while (filled < next.length) {
      const n = this.input!.readMore(next.subarray(filled));
      if (n === 0) {
        this.ended = true;
        break;
      }
      filled += n;
    }
    this.b = next.subarray(0, filled);
    this.base = from;
    this.at = 0;
  }

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
    this.retrying(() => {
      this.space();
      if (this.at < this.b.length) this.fail('more after the value');
      if (!this.ended) throw NEED_MORE;
    });
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    if (this.retrying(() => this.closes(0x7d))) return out;
    for (;;) {
      this.retrying(() => {
        this.space();
        if (this.b[this.at] !== 0x22) this.fail('a key expected');
        const key = this.string();
        this.space();
        if (this.b[this.at] !== 0x3a) this.fail('":" expected');
        this.at++;
        this.path.push(key);
        try {
          // as JSON.parse: "__proto__" is a key like any other
          Object.defineProperty(out, key, { value: this.value(), writable: true, enumerable: true, configurable: true });
        } finally {
          this.path.pop();
        }
      });
      if (this.retrying(() => this.separator(0x7d, '"," or "}" expected'))) return out;
    }
  }

  private array(): unknown[] {
    const take = this.sink([...this.path]);
    const out: unknown[] = [];
    this.at++;
    if (this.retrying(() => this.closes(0x5d))) return out;
    const keyCount = take?.keyCount;
    for (let i = 0; ; i++) {
      this.retrying(() => {
        if (keyCount !== undefined && this.keyCount(keyCount)) return;
        this.path.push(i);
        let element: unknown;
        try {
          element = this.value();
        } finally {
          this.path.pop();
        }
        if (take) take(element);
        else out.push(element);
      });
      if (this.retrying(() => this.separator(0x5d, '"," or "]" expected'))) return out;
    }
  }

  /** After space: `close` (read, and true), or anything else (false; it is not read). */
  private closes(close: number): boolean {
    this.space();
    const c = this.b[this.at];
    if (c === undefined && !this.ended) throw NEED_MORE;
    if (c !== close) return false;
    this.at++;
    return true;
  }

  /** After space: "," (false) or `close` (true), read; anything else is refused. */
  private separator(close: number, expected: string): boolean {
    this.space();
    const c = this.b[this.at++];
    if (c === close) return true;
    if (c !== 0x2c) this.fail(expected, -1);
    return false;
  }

  /**
   * A key in its plain form (ElementTaker.keyCount), handed to `take`; false, and nothing read,
   * when the element is anything else (it is then read as any value, and checked as such).
   */
  private keyCount(take: KeyCountTaker): boolean {
    const b = this.b;
    this.space();
    const start = this.at;
    if (b[this.at] !== 0x7b) return false;
    this.at++;
    if (!this.member(KEY) || b[this.at] !== 0x22) return this.back(start);
    const s = ++this.at;
    for (;;) {
      const c = b[this.at];
      if (c === 0x22) break;
      // an escape, a control character (JSON.parse refuses it) or the end: the slow way says which
      if (c === undefined || c === 0x5c || c < 0x20) return this.back(start);
      this.at++;
    }
    const e = this.at++;
    if (!this.comma()) return this.back(start);
    const count = this.member(COUNT) ? this.wholeNumber() : -1;
    if (count < 0 || !this.comma()) return this.back(start);
    const bytes = this.member(BYTES) ? this.wholeNumber() : -1;
    this.space();
    if (bytes < 0 || b[this.at] !== 0x7d) return this.back(start);
    this.at++;
    take(b, s, e, count, bytes);
    return true;
  }

  /** `"name"` then `:` (with space around): read, and true; or false. */
  private member(name: Uint8Array): boolean {
    this.space();
    for (let i = 0; i < name.length; i++) if (this.b[this.at + i] !== name[i]) return false;
    this.at += name.length;
    this.space();
    if (this.b[this.at] !== 0x3a) return false;
    this.at++;
    this.space();
    return true;
  }

  /** A `,` (with space before): read, and true; or false. */
  private comma(): boolean {
    this.space();
    if (this.b[this.at] !== 0x2c) return false;
    this.at++;
    return true;
  }

  /**
   * The digits of a number that is 0 or an integer of at most MAX_DIGITS digits; -1 otherwise. (A
   * number that goes on, "1.5" or "1e3", stops at what the caller expects next, "," or "}".)
   */
  private wholeNumber(): number {
    const b = this.b;
    const start = this.at;
    let n = 0;
    while (this.at - start <= MAX_DIGITS) {
      const c = b[this.at];
      if (c === undefined || c < 0x30 || c > 0x39) break;
      n = n * 10 + (c - 0x30);
      this.at++;
    }
    const digits = this.at - start;
    if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && b[start] === 0x30)) return -1;
    return n;
  }

  private back(start: number): false {
    this.at = start;
    return false;
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
    // (a number cut by the window's end may go on)
    if (this.at === this.b.length && !this.ended) throw NEED_MORE;
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

  /**
   * Refuse the input, saying where; or, near the window's end before the input's, read more
   * first (what looked wrong may have been cut off: "tr" of "true" is 3 bytes from it at most).
   */
  private fail(what: string, offset = 0): never {
    if (!this.ended && this.at + LONGEST_LITERAL >= this.b.length) throw NEED_MORE;
    throw new SyntaxError(`${what} at byte ${this.base + this.at + offset}`);
  }
}
