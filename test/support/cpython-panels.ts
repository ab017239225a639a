/** The CPython oracle (python_panels_oracle.py), run once over lines for a query: one outcome per line. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Query } from '../../shared/query';
import type { Outcome } from './panel-outcomes';

const ORACLE = path.join(__dirname, '..', '..', '..', 'test', 'support', 'python_panels_oracle.py');

/** Why the oracle cannot run here (no python3 3.11 or later), or false. */
export function cpythonSkip(): string | false {
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.version_info[:2] >= (3, 11))'], { encoding: 'utf8' });
  if (python.status !== 0) return 'python3 is not installed here: the CPython oracle cannot run';
  return python.stdout.trim() === 'True' ? false : 'python3 is older than 3.11: its fromisoformat and urlparse differ from the spec\'s reference';
}

export function cpythonOutcomes(query: Query, lines: readonly Buffer[]): Outcome[] {
  const res = spawnSync('python3', [ORACLE], {
    input: JSON.stringify({ query, lines: lines.map((l) => l.toString('base64')) }),
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  assert.equal(res.status, 0, res.stderr);
  const outcomes = JSON.parse(res.stdout) as Outcome[];
  assert.equal(outcomes.length, lines.length);
  return outcomes;
}
