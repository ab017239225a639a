/** CSV of every key (RFC 4180: header row, CRLF, quoted when needed, UTF-8), streamed to a file. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { KeyCount } from '../../shared/key-count';

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export async function writeCsv(file: string, entries: Iterable<KeyCount>, keyHeader = 'key'): Promise<number> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([e]) => Promise.reject(e as Error));
  failed.catch(() => undefined);
  let rows = 0;
  let buffer = `${csvField(keyHeader)},count\r\n`;
  for (const { key, count } of entries) {
    buffer += `${csvField(key)},${count}\r\n`;
    rows++;
    if (buffer.length >= 1 << 16) {
      if (!out.write(buffer)) await Promise.race([once(out, 'drain'), failed]);
      buffer = '';
    }
  }
  out.end(buffer);
  await Promise.race([once(out, 'finish'), failed]);
  return rows;
}
