/** CPU % of the worker lanes: steady between measures, never flickering to n/a. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CPU_WINDOW_MS, procCpuSampler, steadyCpu } from '../electron/main/process-cpu';

/** /proc/<pid>/stat with these utime and stime ticks. */
function stat(pid: number, ticks: number): string {
  const fields = ['S', ...Array.from({ length: 10 }, () => '0'), String(ticks), '0'];
  return `${pid} (node worker) ${fields.join(' ')}`;
}

test('a busy worker sampled every 50 ms reads about 100% on every sample after the first window', { skip: process.platform !== 'linux' && 'reads /proc (Linux)' }, () => {
  let now = 0;
  let ticks = 0;
  const raw = procCpuSampler((pid) => stat(pid, ticks), () => now)!;
  const cpu = steadyCpu(raw, () => now);
  const seen: Array<number | undefined> = [];
  for (let i = 0; i < 60; i++) {
    // 10 ms ticks land unevenly in 50 ms intervals: 4, 6, 4, 6 …
    ticks += i % 2 === 0 ? 4 : 6;
    now += i % 3 === 0 ? 49 : 51;
    seen.push(cpu.sample([42]).get(42));
  }
  const after = seen.slice(Math.ceil(CPU_WINDOW_MS / 45) + 1);
  assert.ok(after.every((v) => v !== undefined), `a value on every sample: ${after.join(' ')}`);
  for (const v of after) assert.ok(v! > 90 && v! < 110, `about one core: ${v}`);
});

test('a worker replaced: the old pid is forgotten, the new one measured afresh', () => {
  let now = 0;
  const values = new Map([[1, 50], [2, 80]]);
  const cpu = steadyCpu({ sample: (pids) => new Map(pids.flatMap((p) => (values.has(p) ? [[p, values.get(p)!] as [number, number]] : []))) }, () => now);
  assert.deepEqual([...cpu.sample([1])], [[1, 50]]);
  now += 100;
  assert.deepEqual([...cpu.sample([2])], [], 'pid 2 is not measured until the next window');
  now += CPU_WINDOW_MS;
  assert.deepEqual([...cpu.sample([2])], [[2, 80]]);
});
