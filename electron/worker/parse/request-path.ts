/**
 * The path of a request, as the book computes it (analysis-semantics.md §4):
 * words = request.split(); uri = ' '.join(words[1:-1]); path = urllib.parse.urlparse(uri).path.
 *
 * Mirrors CPython 3.11 urlsplit/urlparse on the bytes (every delimiter is ASCII and UTF-8 never
 * hides an ASCII byte inside a multi-byte sequence, so working on bytes gives the same path):
 * leading C0 controls and spaces stripped; a scheme ([A-Za-z][A-Za-z0-9+.-]*:) cut; a //authority
 * cut (rejected, as urllib raises ValueError, for unbalanced brackets, a bracketed host that is
 * not IPv6/IPvFuture, or a non-ASCII authority that NFKC-normalises to a delimiter); query and
 * fragment cut; ;params after the last '/' cut for the schemes in urllib's uses_params.
 */
import { WS as WS_TABLE, isAsciiAlpha, indexOfByte } from './ascii';

const WS: Uint8Array = WS_TABLE;
// byte values kept module-local: hot loops compare against constants, not imports
const COLON = 0x3a;
const SLASH = 0x2f;
import { isValidBracketedHost } from './bracketed-host';

export interface ByteSlice {
  buf: Buffer;
  start: number;
  end: number;
}

export function newByteSlice(): ByteSlice {
  return { buf: Buffer.alloc(0), start: 0, end: 0 };
}

const QUESTION = 0x3f;
const HASH = 0x23;
const SEMICOLON = 0x3b;

const SCHEME_CHAR = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  if (isAsciiAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) SCHEME_CHAR[c] = 1;
}

const USES_PARAMS = new Set([
  '', 'ftp', 'hdl', 'prospero', 'http', 'imap', 'https', 'shttp', 'rtsp', 'rtsps', 'rtspu', 'sip', 'sips', 'mms', 'sftp', 'tel',
]);

const utf8 = new TextDecoder('utf-8');

/**
 * Set `out` to the path of the request b[rs, re). Returns false when urllib would raise
 * ValueError for the URI (the line then has no path; callers treat it like an empty path).
 */
export function requestPath(b: Buffer, rs: number, re: number, out: ByteSlice): boolean {
  // words[1:-1]: from the end of the first word to the start of the last word
  let i = rs;
  while (i < re && WS[b[i]!] === 1) i++;
  while (i < re && WS[b[i]!] === 0) i++; // first word
  let z = re;
  while (z > i && WS[b[z - 1]!] === 1) z--;
  while (z > i && WS[b[z - 1]!] === 0) z--; // start of the last word
  // middle words, trimmed
  let u0 = i;
  while (u0 < z && WS[b[u0]!] === 1) u0++;
  let u1 = z;
  while (u1 > u0 && WS[b[u1 - 1]!] === 1) u1--;
  let buf = b;
  if (u0 < u1) {
    // ' '.join(words): only when a separator is not already a single space
    for (let k = u0; k < u1; k++) {
      const c = b[k]!;
      if (WS[c] === 1 && (c !== 0x20 || WS[b[k + 1]!] === 1)) {
        buf = joinWords(b, u0, u1);
        u0 = 0;
        u1 = buf.length;
        break;
      }
    }
  }
  return uriPath(buf, u0, u1, out);
}

/**
 * Set `out` to urlparse(uri).path for the URI buf[u0, u1) (a uri field of its own: a JSON log's
 * or a format's $request_uri). Returns false when urllib would raise ValueError.
 */
export function uriPath(buf: Buffer, u0: number, u1: number, out: ByteSlice): boolean {
  // lstrip C0 controls and space; then urlsplit drops every tab, CR and LF
  while (u0 < u1 && buf[u0]! <= 0x20) u0++;
  for (let k = u0; k < u1; k++) {
    const c = buf[k]!;
    if (c === 0x09 || c === 0x0a || c === 0x0d) {
      buf = Buffer.from(buf.subarray(u0, u1).filter((x) => x !== 0x09 && x !== 0x0a && x !== 0x0d));
      u0 = 0;
      u1 = buf.length;
      break;
    }
  }
  out.buf = buf;
  if (u0 >= u1) {
    out.start = out.end = u0;
    return true;
  }

  // scheme
  let scheme = '';
  if (isAsciiAlpha(buf[u0]!)) {
    const colon = indexOfByte(buf, COLON, u0, u1);
    if (colon > u0) {
      let k = u0;
      while (k < colon && SCHEME_CHAR[buf[k]!] === 1) k++;
      if (k === colon) {
        scheme = latin1(buf, u0, colon).toLowerCase();
        u0 = colon + 1;
      }
    }
  }

  // authority
  if (u1 - u0 >= 2 && buf[u0] === SLASH && buf[u0 + 1] === SLASH) {
    let delim = u1;
    for (let k = u0 + 2; k < u1; k++) {
      const c = buf[k]!;
      if (c === SLASH || c === QUESTION || c === HASH) {
        delim = k;
        break;
      }
    }
    if (!isValidNetloc(buf, u0 + 2, delim)) return false;
    u0 = delim;
  }

  // query and fragment
  let pe = u1;
  for (let k = u0; k < u1; k++) {
    const c = buf[k]!;
    if (c === QUESTION || c === HASH) {
      pe = k;
      break;
    }
  }

  // ;params (after the last '/')
  if (USES_PARAMS.has(scheme)) {
    let from = u0;
    for (let k = pe - 1; k >= u0; k--) {
      if (buf[k] === SLASH) {
        from = k;
        break;
      }
    }
    const semi = indexOfByte(buf, SEMICOLON, from, pe);
    if (semi >= 0) pe = semi;
  }
  out.start = u0;
  out.end = pe;
  return true;
}

function joinWords(b: Uint8Array, s: number, e: number): Buffer {
  const parts: number[] = [];
  let inWord = false;
  for (let k = s; k < e; k++) {
    const c = b[k]!;
    if (WS[c] === 1) {
      inWord = false;
    } else {
      if (!inWord && parts.length > 0) parts.push(0x20);
      inWord = true;
      parts.push(c);
    }
  }
  return Buffer.from(parts);
}

function latin1(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let k = s; k < e; k++) out += String.fromCharCode(b[k]!);
  return out;
}

function isValidNetloc(b: Uint8Array, s: number, e: number): boolean {
  let open = -1;
  let close = -1;
  let ascii = true;
  for (let k = s; k < e; k++) {
    const c = b[k]!;
    if (c === 0x5b && open < 0) open = k;
    else if (c === 0x5d && close < 0) close = k;
    if (c >= 0x80) ascii = false;
  }
  if ((open >= 0) !== (close >= 0)) return false;
  const netloc = ascii ? latin1(b, s, e) : utf8.decode(b.subarray(s, e));
  if (open >= 0) {
    const afterOpen = netloc.slice(netloc.indexOf('[') + 1);
    const closeAt = afterOpen.indexOf(']');
    const host = closeAt >= 0 ? afterOpen.slice(0, closeAt) : afterOpen;
    if (!isValidBracketedHost(host)) return false;
  }
  if (!ascii) {
    const n = netloc.replace(/[@:#?]/g, '');
    const normalized = n.normalize('NFKC');
    if (n !== normalized && /[/?#@:]/.test(normalized)) return false;
  }
  return true;
}
