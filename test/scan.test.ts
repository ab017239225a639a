/** The folder walk on a real tree: patterns, hidden entries, FIFOs, links, loops, broken links. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './support/temp-dir';
import { scan, type ScanEntry } from '../electron/engine/scan';
import { DEFAULT_FILE_PATTERNS } from '../shared/query';
import { globMatcher } from '../electron/engine/name-patterns';

async function all(roots: string[], patterns: readonly string[] = DEFAULT_FILE_PATTERNS): Promise<ScanEntry[]> {
  const out: ScanEntry[] = [];
  for await (const e of scan(roots, { patterns })) out.push(e);
  return out;
}

test('walks recursively with the default patterns; hidden entries skipped; sorted by name', async () => {
  const root = tempDir('logpool-scan-');
  const files = ['a.log', 'b.log.1', 'c.log.2.gz', 'site-access', 'x.gz', 'notes.txt', 'README', '.hidden.log'];
  for (const f of files) writeFileSync(path.join(root, f), 'x\n');
  mkdirSync(path.join(root, 'sub', 'deeper'), { recursive: true });
  writeFileSync(path.join(root, 'sub', 'deeper', 'd.log'), 'abc\n');
  mkdirSync(path.join(root, '.git'));
  writeFileSync(path.join(root, '.git', 'e.log'), 'x\n');
  const entries = await all([root]);
  assert.deepEqual(
    entries.map((e) => [e.kind, path.relative(root, e.path)]),
    [
      ['file', 'a.log'],
      ['file', 'b.log.1'],
      ['file', 'c.log.2.gz'],
      ['file', 'site-access'],
      ['file', path.join('sub', 'deeper', 'd.log')],
      ['file', 'x.gz'],
    ],
  );
  const d = entries.find((e) => e.path.endsWith('d.log'));
  assert.ok(d && d.kind === 'file' && d.size === 4);
});

test('FIFOs are reported, never opened; links followed; loops and duplicates survived; broken links reported', async () => {
  const root = tempDir('logpool-scan-');
  writeFileSync(path.join(root, 'real.log'), 'x\n');
  execFileSync('mkfifo', [path.join(root, 'pipe.log')]);
  symlinkSync(path.join(root, 'real.log'), path.join(root, 'alias.log'));
  symlinkSync(root, path.join(root, 'loop'));
  symlinkSync(path.join(root, 'missing.log'), path.join(root, 'broken.log'));
  const entries = await all([root]); // would hang on opening the FIFO, or never end on the loop
  const byName = new Map(entries.map((e) => [path.basename(e.path), e]));
  // the link sorts first: it is read, and the file it points to is the duplicate
  assert.equal(byName.get('alias.log')?.kind, 'file');
  const real = byName.get('real.log');
  assert.ok(real?.kind === 'skipped' && /same file as .*alias\.log/.test(real.reason));
  const pipe = byName.get('pipe.log');
  assert.ok(pipe?.kind === 'skipped' && /FIFO/.test(pipe.reason));
  const broken = byName.get('broken.log');
  assert.ok(broken?.kind === 'failed' && /ENOENT/.test(broken.reason));
  assert.equal(entries.length, 4);
});

test('a file named explicitly is read whatever its name; a missing root is reported', async () => {
  const root = tempDir('logpool-scan-');
  writeFileSync(path.join(root, 'odd-name.txt'), 'x\n');
  const entries = await all([path.join(root, 'odd-name.txt'), path.join(root, 'nope')]);
  assert.equal(entries[0]?.kind, 'file');
  assert.ok(entries[1]?.kind === 'failed' && /ENOENT: no such file or directory/.test(entries[1].reason));
});

test('name patterns: *, ?, classes', () => {
  const m = (glob: string, name: string): boolean => globMatcher(glob)(name);
  assert.ok(m('*.log.*', 'a.log.1'));
  assert.ok(!m('*.log.*', 'a.log'));
  assert.ok(m('acc?ss[0-9]*', 'access1.gz'));
  assert.ok(!m('[!a]*', 'abc'));
  assert.ok(m('a+b(c).log', 'a+b(c).log'));
  assert.ok(m('*', ''));
  assert.ok(!m('?', ''));
  assert.ok(m('[]x]y', ']y'));
  assert.ok(m('[!]]y', 'ay') && !m('[!]]y', ']y'));
  assert.ok(m('a[', 'a['), 'an unclosed [ is literal');
  assert.ok(m('*é?', 'xéy') && m('?', 'é'), 'one character, not one UTF-16 unit');
  assert.ok(m('*a*b', 'xaybab') && !m('*a*b', 'xaybaba'));
  assert.ok(m('*access*', 'site-access.log.1'));
});

test('name patterns take time linear in the name (a backtracking regex took 77 s on this one)', () => {
  const pathological = globMatcher('*a*a*a*a*a*a*a*a*a*a*c');
  const started = performance.now();
  for (let i = 0; i < 1000; i++) assert.equal(pathological('a'.repeat(40)), false);
  assert.equal(pathological(`${'a'.repeat(40)}c`), true);
  assert.equal(pathological('a'.repeat(100_000)), false);
  const ms = performance.now() - started;
  assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
});

/** The same patterns as a regular expression (slow on purpose-built patterns, exact on these). */
function regexOf(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[' && glob.indexOf(']', i + 2) > 0) {
      const close = glob.indexOf(']', i + 2);
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'su');
}

test('name patterns agree with a regular expression on 20,000 random short patterns and names', () => {
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  const alphabet = ['a', 'b', '.', '*', '?', '[a-b]', '[!a]', 'l', 'o', 'g'];
  for (let k = 0; k < 20_000; k++) {
    const glob = Array.from({ length: 1 + rand(6) }, () => alphabet[rand(alphabet.length)]!).join('');
    const name = Array.from({ length: rand(9) }, () => 'ab.log'[rand(6)]!).join('');
    assert.equal(globMatcher(glob)(name), regexOf(glob).test(name), `${glob} ~ ${name}`);
  }
});
