/**
 * The formats a line can be read with (analysis-semantics.md §12), by the names the JSON report
 * and the summary use. A file's `formats` counts its parsed lines by the format that read them.
 */

export const BUILTIN_FORMATS = ['combined', 'vhost_combined', 'json-caddy', 'json-traefik', 'json-nginx'] as const;
export type BuiltinFormat = (typeof BUILTIN_FORMATS)[number];

/** The index of each built-in format in a reader's per-format counts; the user's formats follow. */
export const FORMAT_COMBINED = 0;
export const FORMAT_VHOST_COMBINED = 1;
export const FORMAT_JSON_CADDY = 2;
export const FORMAT_JSON_TRAEFIK = 3;
export const FORMAT_JSON_NGINX = 4;
export const FIRST_USER_FORMAT = BUILTIN_FORMATS.length;

/** The name of the format at `index` in a reader's counts: a built-in one, or `user-1`, `user-2`, ... */
export function formatName(index: number): string {
  return index < FIRST_USER_FORMAT ? BUILTIN_FORMATS[index]! : `user-${index - FIRST_USER_FORMAT + 1}`;
}

/** Per-format line counts as a record, formats that read no line left out. */
export function formatCounts(counts: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) out[formatName(i)] = counts[i]!;
  return out;
}

/** Add one record of per-format counts into another. */
export function addFormatCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [name, n] of Object.entries(from)) into[name] = (into[name] ?? 0) + n;
}
