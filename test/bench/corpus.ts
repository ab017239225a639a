/** The benchmark corpus: many gzip access logs, made once from seeds and reused. */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { LogGenerator } from '../support/log-generator';

export interface Corpus {
  dir: string;
  files: string[];
  bytes: number;
  lines: number;
}

const SPEC = { files: 48, linesPerFile: 60_000, version: 1 };

export function ensureCorpus(dir: string, log: (s: string) => void): Corpus {
  const manifest = path.join(dir, 'manifest.json');
  const want = JSON.stringify(SPEC);
  if (!existsSync(manifest) || readFileSync(manifest, 'utf8') !== want) {
    mkdirSync(dir, { recursive: true });
    log(`generating the corpus in ${dir} (once)…`);
    for (let i = 0; i < SPEC.files; i++) {
      // uneven sizes, as real rotations are
      const lines = Math.round(SPEC.linesPerFile * (0.5 + ((i * 37) % 11) / 10));
      const text = new LogGenerator({ seed: 5000 + i, start: Date.UTC(2012, 0, 1) + i * 86_400_000 }).lines(lines);
      writeFileSync(path.join(dir, `access-${String(i).padStart(3, '0')}.log.gz`), gzipSync(text));
    }
    writeFileSync(manifest, want);
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.gz')).sort().map((f) => path.join(dir, f));
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const lines = Array.from({ length: SPEC.files }, (_, i) => Math.round(SPEC.linesPerFile * (0.5 + ((i * 37) % 11) / 10))).reduce((a, b) => a + b, 0);
  return { dir, files, bytes, lines };
}

const DISTINCT_SPEC = { files: 8, paths: 1_000_000, linesPerFile: 250_000, version: 1 };

/** A corpus whose paths are a million distinct keys (every key seen twice), for the memory of the merge. */
export function ensureDistinctCorpus(dir: string, log: (s: string) => void): Corpus {
  const manifest = path.join(dir, 'manifest.json');
  const want = JSON.stringify(DISTINCT_SPEC);
  if (!existsSync(manifest) || readFileSync(manifest, 'utf8') !== want) {
    mkdirSync(dir, { recursive: true });
    log(`generating the 1 M distinct paths corpus in ${dir} (once)…`);
    for (let f = 0; f < DISTINCT_SPEC.files; f++) {
      const lines: string[] = [];
      for (let i = 0; i < DISTINCT_SPEC.linesPerFile; i++) {
        const n = (f * DISTINCT_SPEC.linesPerFile + i) % DISTINCT_SPEC.paths;
        lines.push(`10.0.${n % 250}.${f + 1} - - [01/Jan/2012:${String(i % 24).padStart(2, '0')}:00:00 +0000] "GET /book/item/${n.toString(36)}-page.html HTTP/1.1" 200 ${n % 5000} "-" "bench/${n % 50}"\n`);
      }
      writeFileSync(path.join(dir, `distinct-${f}.log.gz`), gzipSync(lines.join('')));
    }
    writeFileSync(manifest, want);
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.gz')).sort().map((f) => path.join(dir, f));
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  return { dir, files, bytes, lines: DISTINCT_SPEC.files * DISTINCT_SPEC.linesPerFile };
}
