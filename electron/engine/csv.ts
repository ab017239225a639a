/** CSV of every key (RFC 4180: header row, CRLF, quoted when needed, UTF-8), written whole or not at all. */
import type { KeyCount } from '../../shared/key-count';
import { writeFileAtomic } from './atomic-file';

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Returns the bytes written. */
export async function writeCsv(file: string, entries: Iterable<KeyCount>, keyHeader = 'key'): Promise<number> {
  return writeFileAtomic(file, csvRows(entries, keyHeader));
}

function* csvRows(entries: Iterable<KeyCount>, keyHeader: string): Generator<string> {
  yield `${csvField(keyHeader)},count\r\n`;
  for (const { key, count } of entries) yield `${csvField(key)},${count}\r\n`;
}
