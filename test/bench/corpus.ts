/** The benchmark corpus: many gzip access logs, made once from seeds and reused. */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
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

/** Millions of distinct paths (every key seen twice): 1 M as before, and the 5 M. */
const distinctSpec = (millions: number) => ({ files: 8 * millions, paths: millions * 1_000_000, linesPerFile: 250_000, version: 1 });

/** A corpus whose paths are `millions` million distinct keys (every key seen twice), for the memory of the merge. */
export function ensureDistinctCorpus(dir: string, log: (s: string) => void, millions = 1): Corpus {
  const DISTINCT_SPEC = distinctSpec(millions);
  const manifest = path.join(dir, 'manifest.json');
  const want = JSON.stringify(DISTINCT_SPEC);
  if (!existsSync(manifest) || readFileSync(manifest, 'utf8') !== want) {
    mkdirSync(dir, { recursive: true });
    log(`generating the ${millions} M distinct paths corpus in ${dir} (once)…`);
    for (const f of readdirSync(dir)) if (f.endsWith('.gz')) rmSync(path.join(dir, f));
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

/**
 * One large plain log (`mb` MB) for reading one file on every core: distinct generated stretches
 * of 100,000 lines, one after another, each with its own seed and later clock.
 */
export function ensureHugeFile(dir: string, mb: number, log: (s: string) => void): { file: string; bytes: number; lines: number } {
  const file = path.join(dir, 'huge-access.log');
  const manifest = path.join(dir, 'manifest.json');
  const want = JSON.stringify({ mb, version: 1 });
  if (!existsSync(manifest) || readFileSync(manifest, 'utf8') !== want) {
    mkdirSync(dir, { recursive: true });
    log(`generating a ${mb} MB plain log in ${dir} (once)…`);
    const fd = openSync(file, 'w');
    let bytes = 0;
    let lines = 0;
    for (let seed = 1; bytes < mb * 1e6; seed++) {
      const text = Buffer.from(new LogGenerator({ seed: 9000 + seed, start: Date.UTC(2012, 0, 1) + seed * 3_600_000 }).lines(100_000));
      writeSync(fd, text);
      bytes += text.length;
      lines += 100_000;
    }
    closeSync(fd);
    writeFileSync(`${manifest}.lines`, String(lines));
    writeFileSync(manifest, want);
  }
  return { file, bytes: statSync(file).size, lines: Number(readFileSync(`${manifest}.lines`, 'utf8')) };
}

/** Many small gzip logs (`files` of `lines` lines each): what a run costs per file. */
export function ensureSmallFiles(dir: string, files: number, lines: number, log: (s: string) => void): Corpus {
  const manifest = path.join(dir, 'manifest.json');
  const want = JSON.stringify({ files, lines, version: 1 });
  if (!existsSync(manifest) || readFileSync(manifest, 'utf8') !== want) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`generating ${files.toLocaleString('en-US')} files of ${lines} lines in ${dir} (once)…`);
    const gen = new LogGenerator({ seed: 77, start: Date.UTC(2012, 0, 1) });
    for (let i = 0; i < files; i++) writeFileSync(path.join(dir, `access-${String(i).padStart(5, '0')}.log.gz`), gzipSync(gen.lines(lines)));
    writeFileSync(manifest, want);
  }
  const names = readdirSync(dir).filter((f) => f.endsWith('.gz')).sort().map((f) => path.join(dir, f));
  return { dir, files: names, bytes: names.reduce((n, f) => n + statSync(f).size, 0), lines: files * lines };
}
