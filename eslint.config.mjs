// Lint rules that keep the layering: shared/ is pure (no Node, no Electron, nothing from the
// processes); the engine, worker and CLI never import electron; the renderer imports nothing
// from Node, Electron or the main-process code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'zlib', 'events', 'stream', 'http', 'net', 'crypto', 'url'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'build/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ is imported by every process; it imports none of them.' },
          { group: ['electron', ...nodeBuiltins], message: 'shared/ is pure: no Node or Electron modules.' },
        ],
      }],
    },
  },
  {
    files: ['electron/engine/**/*.ts', 'electron/worker/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The engine, worker and CLI run in plain Node: no electron import.' }],
        patterns: [{ group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'The engine does not depend on the app.' }],
      }],
    },
  },
  {
    // main-process logic shared with the browser host: Electron stays in index.ts and desktop/
    files: ['electron/main/*.ts', 'electron/serve/**/*.ts'],
    ignores: ['electron/main/index.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Shared main-process logic runs under logpool serve too: keep electron in electron/main/index.ts and electron/main/desktop/.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', ...nodeBuiltins], message: 'The renderer imports nothing from Node or Electron.' },
          { group: ['**/electron/**'], message: 'The renderer talks to main only through the preload API.' },
        ],
      }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
