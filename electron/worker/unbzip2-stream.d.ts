declare module 'unbzip2-stream' {
  import type { Duplex } from 'node:stream';
  /** A through stream: bzip2 in, text out (concatenated streams are all read). */
  // the package's own shape: one default export
  // eslint-disable-next-line no-restricted-syntax
  export default function unbzip2Stream(): Duplex;
}
