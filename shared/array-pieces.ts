/**
 * Large typed arrays sent across a process boundary in pieces of PIECE_BYTES, each put back
 * into one array allocated once at its size on the other side.
 *
 * Why: a pipe (child_process IPC) delivers a message as 64 KiB reads that are all kept until the
 * message is whole, then joined into one buffer and deserialized. A file's result with 250,000
 * keys a panel is ~24 MB, so the main process held three copies of it at once for each worker
 * sending one, and the memory it freed came back to it in pieces the tables could not reuse:
 * ~200 MB of a run of 10 M keys. In pieces, what is held besides the result is one piece.
 */

/** Arrays at least this large are sent in pieces of this size. */
export const PIECE_BYTES = 1 << 20;

const KINDS = { Uint8Array, Int32Array, Uint32Array, Float64Array } as const;
export type PieceKind = keyof typeof KINDS;

/** One piece of a large array: `bytes` go at byte `at` of the array `id` (`byteLength` long). */
export interface ArrayPiece {
  type: 'array-piece';
  id: number;
  kind: PieceKind;
  byteLength: number;
  at: number;
  bytes: Uint8Array;
}

/** Where a large array sent in pieces stood in its message. */
const MARK = '__logpoolArrayPiece';
interface Placeholder {
  [MARK]: number;
}

type TypedArray = InstanceType<(typeof KINDS)[PieceKind]>;

function kindOf(value: unknown): PieceKind | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  // a Buffer is a Uint8Array (and arrives as one)
  return (Object.keys(KINDS) as PieceKind[]).find((kind) => value instanceof KINDS[kind]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function isArrayPiece(value: unknown): value is ArrayPiece {
  return isPlainObject(value) && value.type === 'array-piece';
}

/** The sending side: one per channel (ids are its own). */
export class PieceSender {
  private nextId = 1;

  constructor(private readonly post: (message: unknown) => void) {}

  /** Post `message`, its large typed arrays (in plain objects and arrays) sent ahead in pieces. */
  send(message: unknown): void {
    this.post(this.lift(message));
  }

  private lift(value: unknown): unknown {
    const kind = kindOf(value);
    if (kind !== undefined) {
      const array = value as TypedArray;
      return array.byteLength >= PIECE_BYTES ? this.sendArray(kind, array) : array;
    }
    if (Array.isArray(value)) return value.map((v: unknown) => this.lift(v));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.lift(v);
      return out;
    }
    return value;
  }

  private sendArray(kind: PieceKind, array: TypedArray): Placeholder {
    const id = this.nextId++;
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
      // a copy of its own: structured clone (Electron's) would send a view's whole buffer
      const piece: ArrayPiece = { type: 'array-piece', id, kind, byteLength: bytes.length, at, bytes: bytes.slice(at, at + PIECE_BYTES) };
      this.post(piece);
    }
    return { [MARK]: id };
  }
}

/** The receiving side: one per channel. */
export class PieceReceiver {
  /** Arrays being put back, with how many of their bytes have come. */
  private readonly arrays = new Map<number, { array: TypedArray; filled: number }>();

  /**
   * The message to deliver, its arrays put back; undefined for a piece (kept until its message
   * comes). A message that names an array that did not arrive whole is an Error to report.
   */
  receive(message: unknown): unknown {
    if (isArrayPiece(message)) {
      this.addPiece(message);
      return undefined;
    }
    if (this.arrays.size === 0) return message;
    try {
      return this.restore(message);
    } finally {
      this.arrays.clear();
    }
  }

  private addPiece(piece: ArrayPiece): void {
    let entry = this.arrays.get(piece.id);
    if (entry === undefined) {
      const Make = KINDS[piece.kind];
      entry = { array: new Make(piece.byteLength / Make.BYTES_PER_ELEMENT), filled: 0 };
      this.arrays.set(piece.id, entry);
    }
    new Uint8Array(entry.array.buffer, entry.array.byteOffset, entry.array.byteLength).set(piece.bytes, piece.at);
    entry.filled += piece.bytes.length;
  }

  private restore(value: unknown): unknown {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.restore(value[i]);
      return value;
    }
    if (!isPlainObject(value)) return value;
    if (MARK in value) {
      const entry = this.arrays.get(value[MARK] as number);
      if (entry === undefined || entry.filled !== entry.array.byteLength) throw new Error('a large array of the worker\'s result did not arrive whole');
      return entry.array;
    }
    for (const k of Object.keys(value)) value[k] = this.restore(value[k]);
    return value;
  }
}
