/** The queries the differential tests run: every panel, and every filter alone and together. */
import { ALL_PANELS, type TestQuery } from './panel-outcomes';

export const PANEL_QUERIES: Array<{ name: string; query: TestQuery }> = [
  { name: 'every panel, no filter', query: { panels: [...ALL_PANELS], filters: {} } },
  { name: 'since and until (dates and date-times with offsets)', query: { panels: ['paths', 'hours', 'days', 'status'], filters: { since: '2012-06-01T20:00-04:00', until: '2012-07-02' } } },
  { name: 'since alone, a date-time without an offset (UTC)', query: { panels: ['hours', 'hosts'], filters: { since: '2012-07-01T02:30' } } },
  { name: 'status codes, classes and ranges', query: { panels: ['status', 'paths', 'book-paths'], filters: { status: ['4xx', '500-599', '304', '0'] } } },
  { name: 'methods (byte for byte)', query: { panels: ['methods', 'paths'], filters: { method: ['GET', 'HEAD', 'get'] } } },
  { name: 'path prefixes', query: { panels: ['paths', 'robots-hosts', 'book-paths'], filters: { pathPrefix: ['/book/f', '/robots', '/a'] } } },
  { name: 'hosts', query: { panels: ['hosts', 'user-agents', 'referers'], filters: { host: ['1.2.3.4', '2001:db8::1', 'crawl-1.googlebot.com'] } } },
  { name: 'every filter at once', query: { panels: [...ALL_PANELS], filters: { since: '2000-01-01', until: '2030-01-01T00:00Z', status: ['2xx', '404'], method: ['GET'], pathPrefix: ['/'], host: ['1.2.3.4', '2001:db8::1', 'crawl-1.googlebot.com', 'crawl-66-249-66-1.googlebot.com', '2001:db8:85a3::8a2e:370:7334'] } } },
  { name: 'other lists and prefix', query: { panels: ['book-paths', 'paths', 'hosts'], filters: {}, prefix: 'blog', names: ['x', 'caf\u00e9'], extensions: ['.css', '.xml'] } },
];
