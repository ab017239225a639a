/**
 * Writes the bundled sample logs (build/sample-logs): a small, reproducible folder that shows
 * what logpool does with ordinary and awkward files alike.
 *   node out/test/bench/make-sample-logs.js build/sample-logs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { LogGenerator } from '../support/log-generator';

export function writeSampleLogs(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, data: string | Buffer): void => {
    writeFileSync(path.join(dir, name), data);
    written.push(name);
  };
  const day = (n: number): number => Date.UTC(2012, 6, n);
  for (let d = 1; d <= 6; d++) {
    const gen = new LogGenerator({ seed: 1000 + d, start: day(d) });
    put(`access-2012-07-0${d}.log.gz`, gzipSync(gen.lines(4000 + d * 500)));
  }
  // logrotate + cat: two gzip members in one file
  const a = new LogGenerator({ seed: 2001, start: day(7) });
  put('access-2012-07-07.log.gz', Buffer.concat([gzipSync(a.lines(2500)), gzipSync(a.lines(2500))]));
  // a plain-text log with Windows line endings
  put('access-2012-07-08.log', new LogGenerator({ seed: 2002, start: day(8) }).lines(3000, '\r\n'));
  // a copy cut off mid-transfer: partial, the lines before the break still count
  const whole = gzipSync(new LogGenerator({ seed: 2003, start: day(9) }).lines(5000));
  put('access-2012-07-09.log.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
  return written;
}

if (require.main === module) {
  const dir = process.argv[2] ?? 'build/sample-logs';
  const names = writeSampleLogs(dir);
  process.stdout.write(`wrote ${names.length} files to ${dir}\n`);
}
