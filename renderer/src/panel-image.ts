/**
 * A panel's chart as a standalone SVG for export: drawn from the numbers (not copied from the
 * screen), at a fixed size and in the light theme whatever the window and theme, with a title
 * that says what it is (panel, folder, filters, date). chartPng turns it into a PNG.
 */
import type { KeyCount } from '../../shared/key-count';
import { int } from '../../shared/format';

const WIDTH = 1000;
const ROW = 24;
const HEAD = 92;
const KEY_COLUMN = 360;
const COLORS = { bg: '#ffffff', fg: '#1c2027', muted: '#677080', bar: '#3867d6', grid: '#e6e9ee' };

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text for SVG: markup escaped, and control characters (which XML cannot hold) shown as U+FFFD. */
function esc(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += ENTITIES[ch] ?? (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d ? '\ufffd' : ch);
  }
  return out;
}

function clip(text: string, chars: number): string {
  return text.length > chars ? `…${text.slice(-(chars - 1))}` : text;
}

export interface PanelImage {
  title: string;
  /** Lines under the title: the folder, the filters, the date. */
  lines: string[];
  data: KeyCount[];
  /** Time panels are drawn as columns in time order; others as the top N's bars. */
  time: boolean;
}

export function panelSvg({ title, lines, data, time }: PanelImage): string {
  const head = [
    `<text x="24" y="34" font-size="20" font-weight="600" fill="${COLORS.fg}">${esc(title)}</text>`,
    ...lines.map((l, i) => `<text x="24" y="${58 + i * 16}" font-size="12" fill="${COLORS.muted}">${esc(clip(l, 150))}</text>`),
  ];
  const max = data.reduce((m, d) => Math.max(m, d.count), 0) || 1;
  let body: string[];
  let height: number;
  if (time) {
    height = HEAD + 320;
    const left = 80;
    const plot = WIDTH - left - 24;
    const w = plot / Math.max(1, data.length);
    const base = HEAD + 260;
    body = data.map((d, i) => {
      const h = (d.count / max) * 240;
      return `<rect x="${(left + i * w).toFixed(2)}" y="${(base - h).toFixed(2)}" width="${Math.max(0.5, w - 1).toFixed(2)}" height="${h.toFixed(2)}" fill="${COLORS.bar}"><title>${esc(d.key)}: ${int(d.count)}</title></rect>`;
    });
    body.push(`<line x1="${left}" y1="${base}" x2="${WIDTH - 24}" y2="${base}" stroke="${COLORS.muted}"/>`);
    body.push(`<text x="${left - 8}" y="${base - 236}" font-size="12" text-anchor="end" fill="${COLORS.muted}">${int(max)}</text>`);
    body.push(`<text x="${left - 8}" y="${base + 4}" font-size="12" text-anchor="end" fill="${COLORS.muted}">0</text>`);
    if (data.length > 0) {
      body.push(`<text x="${left}" y="${base + 20}" font-size="12" fill="${COLORS.muted}">${esc(data[0]!.key)}</text>`);
      body.push(`<text x="${WIDTH - 24}" y="${base + 20}" font-size="12" text-anchor="end" fill="${COLORS.muted}">${esc(data[data.length - 1]!.key)}</text>`);
    }
  } else {
    height = HEAD + Math.max(1, data.length) * ROW + 24;
    const widest = int(max).length * 8 + 16;
    const plot = WIDTH - KEY_COLUMN - 24 - widest;
    body = data.flatMap((d, i) => {
      const y = HEAD + 8 + i * ROW;
      const w = Math.max(1, (d.count / max) * plot);
      return [
        `<text x="${KEY_COLUMN - 8}" y="${y + 16}" font-size="12" text-anchor="end" fill="${COLORS.fg}">${esc(clip(d.key, 48))}</text>`,
        `<rect x="${KEY_COLUMN}" y="${y + 3}" width="${w.toFixed(2)}" height="${ROW - 6}" fill="${COLORS.bar}"/>`,
        `<text x="${(KEY_COLUMN + w + 6).toFixed(2)}" y="${y + 16}" font-size="12" fill="${COLORS.fg}">${int(d.count)}</text>`,
      ];
    });
    if (data.length === 0) body.push(`<text x="24" y="${HEAD + 24}" font-size="14" fill="${COLORS.muted}">Nothing counted.</text>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">`,
    `<rect width="100%" height="100%" fill="${COLORS.bg}"/>`,
    ...head,
    ...body,
    '</svg>',
  ].join('\n');
}

export async function chartPng(svgMarkup: string, scale = 2): Promise<string> {
  const url = URL.createObjectURL(new Blob([svgMarkup], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn to an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = img.width * scale;
    canvas.height = img.height * scale;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return canvas.toDataURL('image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}
