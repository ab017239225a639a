/**
 * Byte classes of the canonical semantics: whitespace is exactly space, \t, \n, \v, \f, \r.
 * The parser modules bind WS and the byte values they compare against module-locally: compiled
 * to CommonJS, an imported binding is a property load on every use, which costs in hot loops.
 */

export const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]) WS[c] = 1;

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isAsciiAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Index of the first byte equal to `c` in b[from, to), or -1. */
export function indexOfByte(b: Uint8Array, c: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (b[i] === c) return i;
  return -1;
}
