/**
 * Runs every compiled *.test.js under out/test with Node's test runner (Node 20 cannot take a
 * glob, and given a folder named "test" it would run every file in it, helpers included).
 * Extra arguments are passed on (e.g. --test-name-pattern=cancel).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

const files = testFiles(__dirname).sort();
const res = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...process.argv.slice(2), ...files], { stdio: 'inherit' });
process.exitCode = res.status ?? 1;
