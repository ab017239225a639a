/**
 * Realistic, reproducible access-log lines (Combined and Common formats) from a seed: book
 * pages with a skewed popularity, static assets, crawlers, robots.txt, query strings, params,
 * IPv6 and named hosts, and a small share of malformed lines.
 */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'curl/8.4.0',
  'python-requests/2.31.0',
];
const REFERERS = ['-', 'https://www.google.com/', 'https://duckduckgo.com/', 'http://www.itmaybeahack.com/book/', 'https://news.ycombinator.com/item?id=123'];
const PARTS = ['python-1.6', 'oodesign-3.1', 'fp-python', 'building-skills', 'algorithms', 'web-apps'];
const CRAWLERS = ['crawl-66-249-66-1.googlebot.com', 'msnbot-157-55-39-1.search.msn.com', '2001:db8::1', '2001:db8:85a3::8a2e:370:7334'];

export interface GeneratorOptions {
  seed: number;
  /** Start of the log's clock (ms since epoch, UTC). */
  start?: number;
  /** Share of lines that are not access-log lines at all. */
  malformedRate?: number;
  /** Share of lines in Common Log Format (no referer / user agent). */
  commonRate?: number;
}

export class LogGenerator {
  private readonly rnd: () => number;
  private clock: number;
  private readonly pages: string[] = [];
  private readonly hosts: string[] = [];

  constructor(private readonly options: GeneratorOptions) {
    this.rnd = mulberry32(options.seed);
    this.clock = options.start ?? Date.UTC(2012, 6, 1);
    for (const part of PARTS) {
      const chapters = 8 + Math.floor(this.rnd() * 20);
      this.pages.push(`/book/${part}/`);
      for (let c = 1; c <= chapters; c++) this.pages.push(`/book/${part}/${this.pick(['ch', 'p', 'section-'])}${c}.html`);
    }
    for (let i = 0; i < 400; i++) {
      this.hosts.push(`${this.int(1, 223)}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`);
    }
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)]!;
  }

  /** Zipf-like pick: low indexes much more likely. */
  private skewed<T>(items: readonly T[]): T {
    const r = this.rnd();
    return items[Math.floor(items.length * r * r * r)]!;
  }

  private path(): string {
    const r = this.rnd();
    if (r < 0.5) {
      let p = this.skewed(this.pages);
      const q = this.rnd();
      if (q < 0.05) p += `?utm_source=feed&n=${this.int(1, 99)}`;
      else if (q < 0.07) p += `;jsessionid=${this.int(100000, 999999)}`;
      else if (q < 0.08) p += '#top';
      return p;
    }
    if (r < 0.62) return `/book/${this.pick(PARTS)}/_static/${this.pick(['basic.css', 'pygments.css', 'jquery.js', 'doctools.js'])}`;
    if (r < 0.7) return `/book/${this.pick(PARTS)}/_images/fig${this.int(1, 40)}.png`;
    if (r < 0.74) return '/favicon.ico';
    if (r < 0.77) return '/robots.txt';
    if (r < 0.8) return '/';
    if (r < 0.83) return `/book/${this.pick(PARTS)}/${this.pick(['searchindex.js', 'genindex.html', 'search.html'])}`;
    if (r < 0.9) return `/blog/${2008 + this.int(0, 5)}/${this.int(1, 12)}/post-${this.int(1, 200)}.html`;
    if (r < 0.93) return `http://www.itmaybeahack.com${this.skewed(this.pages)}`;
    return `/${this.pick(['index.html', 'about.html', 'feed.xml', 'wp-login.php', 'book/'])}`;
  }

  private time(): string {
    this.clock += this.int(0, 3000);
    // the log's local time is UTC-04:00
    const d = new Date(this.clock - 4 * 3600_000);
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} -0400`;
  }

  line(): string {
    const malformed = this.options.malformedRate ?? 0.002;
    if (this.rnd() < malformed) {
      return this.pick(['', 'garbage', '- - - [bad time] "GET / HTTP/1.1" 200 5', `${this.skewedHost()} - - [31/Feb/2012:10:00:00 -0400] "GET /book/x/y.html HTTP/1.1" 200 5`]);
    }
    const host = this.rnd() < 0.03 ? this.pick(CRAWLERS) : this.skewedHost();
    const status = this.rnd() < 0.85 ? 200 : this.pick([304, 404, 301, 500]);
    const size = status === 304 ? '-' : String(this.int(200, 40000));
    const method = this.rnd() < 0.97 ? 'GET' : this.pick(['HEAD', 'POST']);
    const base = `${host} - - [${this.time()}] "${method} ${this.path()} HTTP/1.1" ${status} ${size}`;
    if (this.rnd() < (this.options.commonRate ?? 0.05)) return base;
    return `${base} "${this.pick(REFERERS)}" "${this.pick(AGENTS)}"`;
  }

  private skewedHost(): string {
    return this.skewed(this.hosts);
  }

  /** `count` lines, each ending in `eol`. */
  lines(count: number, eol = '\n'): string {
    let out = '';
    for (let i = 0; i < count; i++) out += this.line() + eol;
    return out;
  }
}
