/** The chart as a standalone SVG (theme colours resolved) and as a PNG data URL. */

const THEME_VARS = ['--accent', '--fg', '--muted', '--grid', '--bg', '--hover'];

export function chartSvg(container: HTMLElement): string | undefined {
  const svg = container.querySelector('svg.recharts-surface');
  if (!svg) return undefined;
  const { width, height } = svg.getBoundingClientRect();
  const style = getComputedStyle(container);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(Math.round(width)));
  clone.setAttribute('height', String(Math.round(height)));
  clone.setAttribute('style', `background:${style.getPropertyValue('--bg').trim() || '#fff'};font-family:system-ui,sans-serif`);
  let markup = new XMLSerializer().serializeToString(clone);
  for (const v of THEME_VARS) markup = markup.split(`var(${v})`).join(style.getPropertyValue(v).trim() || '#888');
  return markup;
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
