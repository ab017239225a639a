/**
 * Lines in the user's own formats (analysis-semantics.md §12.5): each format compiled once to a
 * pattern (shared/log-format.ts) run on the line's bytes as Latin-1, one character per byte, so
 * that its capture offsets are byte offsets. The first format whose pattern matches a prefix of
 * the line decides it: parsed when its status is ASCII digits and its time valid, else malformed.
 */
import { formatPattern, formatTimeLayout, parseLogFormat, type FormatField, type TimeLayout } from '../../../shared/log-format';
import { isUtf8 } from 'node:buffer';
import { readMethod, sizeOf, type LineFields } from './line-fields';
import { readLogTime } from './log-time';
import { readEpochTime, readIsoTime } from './iso-time';
import { requestPath, uriPath } from './request-path';

interface CompiledFormat {
  readonly pattern: RegExp;
  readonly groups: Partial<Record<FormatField, number>>;
  readonly time: TimeLayout;
}

export const NO_MATCH = -2;
export const MALFORMED_MATCH = -1;

export class UserFormatReader {
  private readonly formats: CompiledFormat[];

  constructor(texts: readonly string[]) {
    this.formats = texts.map((text) => {
      const parsed = parseLogFormat(text);
      if (!parsed.ok) throw new Error(`bad --log-format: ${parsed.error}`);
      const { source, groups } = formatPattern(parsed.value);
      return { pattern: new RegExp(source, 'yd'), groups, time: formatTimeLayout(parsed.value) };
    });
  }

  get count(): number {
    return this.formats.length;
  }

  /**
   * Read the line b[s, e) (stripped). Returns the index of the format that matched, with `f` set
   * (ranges into b) — MALFORMED_MATCH when that format's status or time is not valid, or NO_MATCH.
   */
  read(b: Buffer, s: number, e: number, f: LineFields): number {
    if (this.formats.length === 0) return NO_MATCH;
    const text = b.toString('latin1', s, e);
    for (let n = 0; n < this.formats.length; n++) {
      const format = this.formats[n]!;
      format.pattern.lastIndex = 0;
      const m = format.pattern.exec(text);
      if (m === null) continue;
      return this.fields(b, s, m.indices!, format, f) ? n : MALFORMED_MATCH;
    }
    return NO_MATCH;
  }

  private fields(b: Buffer, s: number, at: RegExpIndicesArray, format: CompiledFormat, f: LineFields): boolean {
    const g = format.groups;
    const range = (field: FormatField): [number, number] | null => {
      const k = g[field];
      const r = k === undefined ? undefined : at[k];
      return r === undefined ? null : [s + r[0], s + r[1]];
    };
    const status = range('status')!;
    if (status[1] === status[0]) return false;
    for (let k = status[0]; k < status[1]; k++) if (b[k]! < 0x30 || b[k]! > 0x39) return false;
    const time = range('time')!;
    if (format.time === 'clf') {
      if (!readLogTime(b, time[0], time[1], f)) return false;
    } else if (format.time === 'iso') {
      if (!isUtf8(b.subarray(time[0], time[1])) || !readIsoTime(b, time[0], time[1], f)) return false;
    } else if (!readEpochTime(b, time[0], time[1], false, f)) return false;
    const host = range('host')!;
    f.hostStart = host[0];
    f.hostEnd = host[1];
    f.statusStart = status[0];
    f.statusEnd = status[1];
    const request = range('request');
    f.methodStart = f.methodEnd = -1;
    f.hasPath = false;
    if (request !== null) {
      readMethod(b, request[0], request[1], f);
      f.hasPath = requestPath(b, request[0], request[1], f.path);
    } else {
      const method = range('method');
      const uri = range('uri');
      if (method !== null) {
        f.methodStart = method[0];
        f.methodEnd = method[1];
      }
      if (uri !== null) f.hasPath = uriPath(b, uri[0], uri[1], f.path);
    }
    const size = range('size');
    f.size = size === null ? 0 : sizeOf(b, size[0], size[1]);
    const referer = range('referer');
    const agent = range('userAgent');
    const vhost = range('vhost');
    f.refererStart = referer?.[0] ?? -1;
    f.refererEnd = referer?.[1] ?? -1;
    f.agentStart = agent?.[0] ?? -1;
    f.agentEnd = agent?.[1] ?? -1;
    f.vhostStart = vhost?.[0] ?? -1;
    f.vhostEnd = vhost?.[1] ?? -1;
    return true;
  }
}
