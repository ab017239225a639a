/**
 * Runs every compiled *.test.js under out/test with Node's test runner (Node 20 cannot take a
 * glob, and given a folder named "test" it would run every file in it, helpers included).
 * Extra arguments are passed on (e.g. --test-name-pattern=cancel).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

const files = testFiles(__dirname).sort();
// the result cache and the recent folders of whatever the tests run: their own, never the user's
const home = mkdtempSync(path.join(tmpdir(), 'logpool-tests-'));
const env = { ...process.env, XDG_CACHE_HOME: path.join(home, 'cache'), XDG_STATE_HOME: path.join(home, 'state') };
const res = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...process.argv.slice(2), ...files], { stdio: 'inherit', env });
rmSync(home, { recursive: true, force: true });
process.exitCode = res.status ?? 1;
