/**
 * What an installed package needs at run time is declared as a dependency: every package that
 * the compiled engine, worker, CLI, browser host or app requires (electron aside, which the app
 * brings itself) is in `dependencies`, not only in `devDependencies`.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? jsFiles(p) : p.endsWith('.js') ? [p] : [];
  });
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

test('every package the compiled code requires is a runtime dependency', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const builtins = new Set(builtinModules);
  const missing = new Set<string>();
  const files = [...jsFiles(path.join(ROOT, 'out', 'electron')), ...jsFiles(path.join(ROOT, 'out', 'shared'))];
  assert.ok(files.length > 40, 'the compiled output is there');
  let required = 0;
  for (const file of files) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
      if (spec!.startsWith('.') || spec!.startsWith('node:') || builtins.has(spec!)) continue;
      required++;
      const name = packageName(spec!);
      if (name !== 'electron' && !(name in pkg.dependencies)) missing.add(`${name} (${path.relative(ROOT, file)})`);
    }
  }
  assert.ok(required > 0, 'some package is required');
  assert.deepEqual([...missing], []);
});
