/**
 * The byte-level parser against CPython itself: the book's regex with `re` on bytes,
 * datetime.strptime and urllib.parse.urlparse, over the same adversarial lines. Skipped, with the
 * reason, only where no python3 is installed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { adversarialLines } from './support/adversarial-lines';
import { LogGenerator } from './support/log-generator';
import { OPTION_SETS, READERS, ourVerdicts } from './support/verdicts';

const ORACLE = path.join(__dirname, '..', '..', 'test', 'support', 'python_oracle.py');
const python = spawnSync('python3', ['-c', 'import sys; print(sys.version_info[:2] >= (3, 11))'], { encoding: 'utf8' });
const skip = python.status !== 0 ? 'python3 is not installed here: the CPython oracle cannot run' : python.stdout.trim() !== 'True' ? 'python3 is older than 3.11: its urlparse differs from the spec\'s reference' : false;

for (const options of OPTION_SETS) {
  test(`CPython oracle: ${options.analysis} prefix=${options.prefix} endings=${JSON.stringify(options.extensions)}`, { skip }, () => {
    const lines = [
      ...adversarialLines(25_000, 101 + options.names.length),
      ...new LogGenerator({ seed: 5, malformedRate: 0.02 }).lines(5_000).split('\n').map((l) => Buffer.from(l)),
    ];
    const res = spawnSync('python3', [ORACLE], {
      input: JSON.stringify({ options, lines: lines.map((l) => l.toString('base64')) }),
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    assert.equal(res.status, 0, res.stderr);
    const expected = JSON.parse(res.stdout) as unknown[];
    const bad: string[] = [];
    for (const reader of READERS) {
      const ours = ourVerdicts(lines, options, reader);
      for (let i = 0; i < lines.length; i++) {
        if (JSON.stringify(ours[i]) !== JSON.stringify(expected[i])) {
          bad.push(`${reader}: ${JSON.stringify(lines[i]!.toString('latin1'))}: ours ${JSON.stringify(ours[i])}, CPython ${JSON.stringify(expected[i])}`);
        }
      }
    }
    assert.deepEqual(bad.slice(0, 8), [], `${bad.length} of ${lines.length} × ${READERS.length} verdicts differ`);
  });
}
