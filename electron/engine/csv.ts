/** CSV of every key of every panel (RFC 4180: header row, CRLF, quoted when needed, UTF-8), written whole or not at all. */
import type { RunTally } from './panel-tally';
import { writeFileAtomic } from './atomic-file';

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** `panel,key,count,bytes`, each panel's keys in its order. Returns the bytes written. */
export async function writeCsv(file: string, panels: readonly RunTally[]): Promise<number> {
  return writeFileAtomic(file, csvRows(panels));
}

function* csvRows(panels: readonly RunTally[]): Generator<string> {
  yield 'panel,key,count,bytes\r\n';
  for (const tally of panels) {
    const name = csvField(tally.name);
    // places, not every key as an object: a panel of millions of keys is written as it is read
    const order = tally.sortedPlaces();
    for (let i = 0; i < order.length; i++) {
      const { key, count, bytes } = tally.entryAt(order[i]!);
      yield `${name},${csvField(key)},${count},${bytes}\r\n`;
    }
  }
}
