/**
 * A panel's first n kept up as files merge (leaders, for a run shown live) is always the first n
 * of every key (top), whatever the files add: new keys, ties, keys already leading.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PanelTally } from '../electron/engine/panel-tally';
import type { PanelName } from '../shared/panels';
import { mulberry32 } from './support/log-generator';

function randomFile(rnd: () => number, keySpace: number): { keys: string[]; counts: number[]; bytes: number[] } {
  const picked = new Set<string>();
  const size = 1 + Math.floor(rnd() * 40);
  while (picked.size < size) picked.add(`k${Math.floor(rnd() * keySpace)}`);
  const keys = [...picked];
  return { keys, counts: keys.map(() => 1 + Math.floor(rnd() * 5)), bytes: keys.map(() => Math.floor(rnd() * 1000)) };
}

for (const name of ['paths', 'hours'] as PanelName[]) {
  test(`${name}: leaders(n) after each merge equals top(n)`, () => {
    const rnd = mulberry32(name.length);
    const tally = new PanelTally(name);
    for (let file = 0; file < 400; file++) {
      tally.merge(randomFile(rnd, file < 200 ? 60 : 600));
      // updates come now and then, not after every file
      if (rnd() < 0.4) assert.deepEqual(tally.leaders(7), tally.top(7), `after file ${file}`);
    }
    assert.deepEqual(tally.leaders(7), tally.top(7));
    assert.deepEqual(tally.leaders(3), tally.top(3), 'another n');
    assert.deepEqual(tally.leaders(1000), tally.top(1000), 'more than there are');
  });
}
