/*
 * logpool's block reader: the canonical-line reading, the filters, the path rules and one key
 * table per panel, for a block of whole lines at once, compiled to WebAssembly with SIMD128 (see
 * block-reader.ts and `npm run build:wasm`).
 *
 * It reads the lines of the canonical shape (../parse/canonical-line.ts, taken more strictly, plus
 * absolute http(s) URIs), extracts the fields once per line (host, method, path, status, size,
 * the referer / user-agent pair when a panel needs it, the instant), applies the filters and
 * counts the line into every panel of the query (../parse/line-analyzer.ts); every other line
 * goes back, as "undecided", to the JavaScript reader, which reads it with the general
 * CPython-exact matcher. The differential tests compare both readers, line by line, with the
 * spec's reference reading and with CPython.
 *
 * Memory: [config][input block + padding][undecided pairs] | per file: [tables][arenas]...
 * A bump allocator; a file's tables are dropped at the next begin_file().
 */
#include <wasm_simd128.h>

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

#define WASM_EXPORT(name) __attribute__((export_name(name)))
#define NONE 0xffffffffu
#define PAD 128u

/* no MALFORMED: a line whose time does not exist is UNDECIDED too, and the JavaScript reader says so */
enum { UNDECIDED = 0, PARSED = 2 };
enum { EXCLUDED = 0, OTHER = 1, BOOK_PATH = 2 };
/* panels, as numbered in shared/panels.ts (PANEL_NAMES) */
enum { P_BOOK_PATHS, P_ROBOTS_HOSTS, P_PATHS, P_HOSTS, P_STATUS, P_METHODS, P_REFERERS, P_AGENTS, P_HOURS, P_DAYS, P_VHOSTS, PANELS };
enum { OK = 0, OUT_OF_MEMORY = 1 };

/* ---- memory ---------------------------------------------------------------------------- */

extern u8 __heap_base;
static u32 heap_top;
static u32 file_mark;
static int error_code;

static void *alloc(u32 n) {
  u32 p = (heap_top + 15u) & ~15u;
  u64 end = (u64)p + n + PAD;
  u64 have = (u64)__builtin_wasm_memory_size(0) * 65536u;
  if (end > 0xffff0000ull) {
    error_code = OUT_OF_MEMORY;
    return 0;
  }
  if (end > have) {
    u32 pages = (u32)((end - have + 65535u) / 65536u);
    if (__builtin_wasm_memory_grow(0, pages) == (__SIZE_TYPE__)-1) {
      error_code = OUT_OF_MEMORY;
      return 0;
    }
  }
  heap_top = (u32)end - PAD;
  return (void *)p;
}

/* ---- byte classes ---------------------------------------------------------------------- */

/* whitespace is exactly space, \t, \n, \v, \f, \r */
static inline int is_ws(u8 c) { return c == 0x20 || (u8)(c - 9) <= 4; }

static inline v128_t load(const u8 *p) { return wasm_v128_load(p); }

static inline u32 eq_mask(v128_t v, u8 c) { return wasm_i8x16_bitmask(wasm_i8x16_eq(v, wasm_i8x16_splat(c))); }

/* the same for 32 bytes, as two vectors: fewer loop turns, fewer mispredicted branches */
static inline u32 eq_mask32(v128_t a, v128_t b, u8 c) { return eq_mask(a, c) | (eq_mask(b, c) << 16); }

/* ---- the canonical line ------------------------------------------------------------------ */

/*
 * The shape canonical-line.ts reads, taken more strictly, so that a line can be read before its
 * end is known: every separator is exactly one space followed by a byte above 0x20, and fields
 * are runs of bytes above 0x20. Whatever does not fit (a tab, two spaces, a control byte, the
 * line ending early, a time that does not exist) is UNDECIDED and goes to the JavaScript reader.
 * No byte of a field, of the time's layout or of the fixed words compared ("- - [", "GET ",
 * "HTTP/1.1") is '\n', so what is read past a line's end (vector loads do) never makes it parse.
 *
 * One addition: the URI may also be absolute, http:// or https:// with an ASCII authority holding
 * no '[' or ']'. urlsplit then cuts the authority up to the first '/', '?' or '#' and raises
 * nothing, and the rest is read like a /path (both schemes use ;params).
 */

static signed char month_by_letters[1 << 15];
static const u8 days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* bytes <= 0x20: whitespace, controls and '\n' */
static inline u32 low_mask(v128_t v) { return wasm_i8x16_bitmask(wasm_u8x16_le(v, wasm_i8x16_splat(0x20))); }

/* the end of a field: the first byte <= 0x20 from i (there is one: the line ends in '\n') */
static inline u32 field_end(const u8 *b, u32 i) {
  for (;;) {
    u32 m = low_mask(load(b + i));
    if (m) return i + __builtin_ctz(m);
    i += 16;
  }
}

/* the first byte <= 0x20 or '"' from i */
static inline u32 word_end(const u8 *b, u32 i) {
  for (;;) {
    v128_t v = load(b + i);
    u32 m = low_mask(v) | eq_mask(v, '"');
    if (m) return i + __builtin_ctz(m);
    i += 16;
  }
}

/* b[i] is one space and b[i + 1] starts a field */
static inline int one_space(const u8 *b, u32 i) { return b[i] == ' ' && b[i + 1] > 0x20; }

static inline u32 load_u32(const u8 *p) {
  u32 v;
  __builtin_memcpy(&v, p, 4);
  return v;
}

static inline u64 load_u64(const u8 *p) {
  u64 v;
  __builtin_memcpy(&v, p, 8);
  return v;
}

/* little-endian words of 4 and 8 bytes, to compare with load_u32 and load_u64 */
#define WORD4(a, b, c, d) ((u32)(u8)(a) | (u32)(u8)(b) << 8 | (u32)(u8)(c) << 16 | (u32)(u8)(d) << 24)
#define WORD8(a, b, c, d, e, f, g, h) ((u64)WORD4(a, b, c, d) | (u64)WORD4(e, f, g, h) << 32)

static inline int all_set(u32 mask, u32 bits) { return (mask & bits) == bits; }

static inline int digits_at(const u8 *b, u32 i) { return (b[i] - '0') * 10 + (b[i + 1] - '0'); }

static u32 host_end, user_start, method_start, path_start, path_end, method_end, status_start, status_end, bytes_start;
/* the instant, whole seconds since 1970 (UTC) */
static double instant;
/* the date and zone bytes (clock bytes zeroed) of the last valid time, once there is one, and
   that date's midnight minus the zone's offset, in seconds since 1970 */
static v128_t last_date0, last_date1;
static double last_day_base;
static int have_last_date;

/* days since 1970-01-01 of a date, month 0-11 (days_from_civil, as shared/time-buckets.ts) */
static int days_from_civil(int y, int m, int d) {
  m += 1;
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* The line starting at s: PARSED (host, path and parsed_to set: a byte of the line) or UNDECIDED. */
static int read_canonical_line(const u8 *b, u32 s) {
  /* host, identity, user */
  u32 i = field_end(b, s);
  if (i == s || !one_space(b, i)) return UNDECIDED;
  u32 hend = i;
  if (load_u32(b + i + 1) == WORD4('-', ' ', '-', ' ') && b[i + 5] == '[') {
    user_start = i + 3;
    i += 4; /* the usual empty identity and user: what the scans below would find */
  } else {
    i = field_end(b, i + 1);
    if (!one_space(b, i)) return UNDECIDED;
    user_start = i + 1;
    i = field_end(b, i + 1);
    if (!one_space(b, i) || b[i + 1] != '[') return UNDECIDED;
  }

  /* [DD/Mon/YYYY:HH:MM:SS +ZZZZ] "  checked sixteen bytes at a time: t..t+15 and t+11..t+26 */
  u32 t = i + 2;
  v128_t v0 = load(b + t);
  v128_t v1 = load(b + t + 11);
  v128_t zero = wasm_i8x16_splat('0');
  v128_t nine = wasm_i8x16_splat(9);
  u32 d0 = wasm_i8x16_bitmask(wasm_u8x16_le(wasm_i8x16_sub(v0, zero), nine));
  u32 d1 = wasm_i8x16_bitmask(wasm_u8x16_le(wasm_i8x16_sub(v1, zero), nine));
  const v128_t layout0 = wasm_i8x16_make(0, 0, '/', 0, 0, 0, '/', 0, 0, 0, 0, ':', 0, 0, ':', 0);
  const v128_t layout1 = wasm_i8x16_make(':', 0, 0, ':', 0, 0, ':', 0, 0, ' ', 0, 0, 0, 0, 0, ']');
  /* Most lines share their date and zone with the line before: then only the clock is checked */
  const v128_t date0 = wasm_i8x16_make(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, -1, 0);
  const v128_t date1 = wasm_i8x16_make(-1, 0, 0, -1, 0, 0, -1, 0, 0, -1, -1, -1, -1, -1, -1, -1);
  v128_t this0 = wasm_v128_and(v0, date0), this1 = wasm_v128_and(v1, date1);
  if (have_last_date && wasm_i8x16_all_true(wasm_i8x16_eq(this0, last_date0)) &&
      wasm_i8x16_all_true(wasm_i8x16_eq(this1, last_date1))) {
    /* clock digits: t+12,13,15 | t+16,18,19 */
    if (!all_set(d0, 0xb000u) || !all_set(d1, 0x01a0u) || !one_space(b, t + 27) || b[t + 28] != '"') return UNDECIDED;
    if (digits_at(b, t + 12) > 23 || digits_at(b, t + 15) > 59 || digits_at(b, t + 18) > 59) return UNDECIDED;
  } else {
    u32 p0 = wasm_i8x16_bitmask(wasm_i8x16_eq(v0, layout0));
    u32 p1 = wasm_i8x16_bitmask(wasm_i8x16_eq(v1, layout1));
    /* digits: t+0,1,7,8,9,10,12,13,15 | t+16,18,19,22..25 (as t+11+5,7,8,11..14) */
    if (!all_set(d0, 0xb783u) || !all_set(d1, 0x79a0u) || !all_set(p0, 0x4844u) || !all_set(p1, 0x8249u)) return UNDECIDED;
    u8 sign = b[t + 21];
    if ((sign != '+' && sign != '-') || !one_space(b, t + 27) || b[t + 28] != '"') return UNDECIDED;
    u8 c3 = b[t + 3], c4 = b[t + 4], c5 = b[t + 5];
    int month = month_by_letters[((c3 & 31) << 10) | ((c4 & 31) << 5) | (c5 & 31)] - 1;
    if (month < 0 || (u8)((c3 | 0x20) - 'a') >= 26 || (u8)((c4 | 0x20) - 'a') >= 26 || (u8)((c5 | 0x20) - 'a') >= 26)
      return UNDECIDED;
    int day = digits_at(b, t);
    int year = digits_at(b, t + 7) * 100 + digits_at(b, t + 9);
    int zh = digits_at(b, t + 22), zm = digits_at(b, t + 24);
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    /* a time that does not exist is malformed: the JavaScript reader says so */
    if (day < 1 || day > (month == 1 && leap ? 29 : days_in_month[month]) || year < 1 || digits_at(b, t + 12) > 23 ||
        digits_at(b, t + 15) > 59 || digits_at(b, t + 18) > 59 || zm > 59 || zh * 3600 + zm * 60 >= 86400)
      return UNDECIDED;
    int zone = (zh * 3600 + zm * 60) * (sign == '+' ? 1 : -1);
    last_day_base = (double)days_from_civil(year, month, day) * 86400.0 - zone;
    last_date0 = this0;
    last_date1 = this1;
    have_last_date = 1;
  }
  instant = last_day_base + digits_at(b, t + 12) * 3600 + digits_at(b, t + 15) * 60 + digits_at(b, t + 18);

  /* "METHOD URI PROTOCOL" */
  u32 m0 = t + 29;
  u32 k = load_u32(b + m0) == WORD4('G', 'E', 'T', ' ') ? m0 + 3 : word_end(b, m0);
  if (k == m0 || !one_space(b, k)) return UNDECIDED;
  u32 u0 = k + 1;
  u32 path0 = u0;
  if (b[u0] == '/') {
    if (b[u0 + 1] == '/') return UNDECIDED;
  } else {
    /* http:// or https:// and an authority up to '/', '?', '#' or the URI's end */
    u32 a = u0 + 7;
    if (b[u0] != 'h' || b[u0 + 1] != 't' || b[u0 + 2] != 't' || b[u0 + 3] != 'p') return UNDECIDED;
    if (b[u0 + 4] == 's') a++;
    if (b[a - 3] != ':' || b[a - 2] != '/' || b[a - 1] != '/') return UNDECIDED;
    for (path0 = a;; path0 += 16) {
      v128_t v = load(b + path0);
      u32 stop = low_mask(v) | eq_mask(v, '"') | eq_mask(v, '/') | eq_mask(v, '?') | eq_mask(v, '#');
      u32 odd = eq_mask(v, '[') | eq_mask(v, ']') | wasm_i8x16_bitmask(v); /* brackets, non-ASCII */
      u32 before = stop ? (stop & (0u - stop)) - 1u : 0xffffu;
      if (odd & before) return UNDECIDED;
      if (stop) {
        path0 += __builtin_ctz(stop);
        break;
      }
    }
  }
  /* the path runs from path0 to the URI's end, cut at the first '?' or '#', then at the first
     ';' after the last '/' */
  u32 cut = NONE, semi = NONE, u1;
  for (u32 pos = path0;; pos += 32) {
    v128_t va = load(b + pos), vb = load(b + pos + 16);
    u32 stop = low_mask(va) | (low_mask(vb) << 16) | eq_mask32(va, vb, '"');
    if (cut == NONE) {
      u32 region = stop ? (stop & (0u - stop)) - 1u : 0xffffffffu;
      u32 qm = (eq_mask32(va, vb, '?') | eq_mask32(va, vb, '#')) & region;
      u32 semis = eq_mask32(va, vb, ';') & region;
      /* most paths have none of '?', '#', ';': then only a ';' seen before needs the slashes */
      if (qm | semis | (semi != NONE)) {
        if (qm) {
          cut = pos + __builtin_ctz(qm);
          region = (qm & (0u - qm)) - 1u;
          semis &= region;
        }
        u32 slashes = eq_mask32(va, vb, '/') & region;
        if (slashes) {
          u32 last = 31u - __builtin_clz(slashes);
          semi = NONE;
          semis &= last == 31u ? 0u : ~((2u << last) - 1u);
        }
        if (semi == NONE && semis) semi = pos + __builtin_ctz(semis);
      }
    }
    if (stop) {
      u1 = pos + __builtin_ctz(stop);
      break;
    }
  }
  if (!one_space(b, u1) || b[u1 + 1] == '"') return UNDECIDED;
  u64 protocol = load_u64(b + u1 + 1);
  k = protocol == WORD8('H', 'T', 'T', 'P', '/', '1', '.', '1') || protocol == WORD8('H', 'T', 'T', 'P', '/', '1', '.', '0')
          ? u1 + 9
          : word_end(b, u1 + 1);
  /* the closing quote, then " STATUS X" */
  if (b[k] != '"' || !one_space(b, k + 1) || (u8)(b[k + 2] - '0') > 9) return UNDECIDED;
  u32 j = k + 3;
  if ((u8)(b[j] - '0') <= 9 && (u8)(b[j + 1] - '0') <= 9 && one_space(b, j + 2)) {
    j += 2; /* the usual three digits */
  } else {
    while ((u8)(b[j] - '0') <= 9) j++;
    if (!one_space(b, j)) return UNDECIDED;
  }

  host_end = hend;
  path_start = path0;
  path_end = semi != NONE ? semi : cut != NONE ? cut : u1;
  method_start = m0;
  method_end = u0 - 1;
  status_start = k + 2;
  status_end = j;
  bytes_start = j + 1;
  return PARSED;
}

/* ---- options (path-rules.ts, line-filter.ts) ------------------------------------------ */

typedef struct {
  const u8 *bytes;
  u32 len;
} word_t;

typedef struct {
  word_t *items;
  u32 count;
} words_t;

static u32 max_line;
static u32 panels; /* bit p: panel p is computed */
static word_t prefix;
static word_t *names;
static u32 name_count;
static int max_name; /* -1: no names */
static u8 *name_hint; /* [(max_name + 1) * 256]: 1 when some name has this (length, first byte) */
static word_t *extensions;
static u32 extension_count;

enum { F_SINCE = 1, F_UNTIL = 2, F_STATUS = 4, F_METHOD = 8, F_PREFIX = 16, F_HOST = 32 };
static u32 filters;
static double since, until;
static u32 *status_ranges; /* lo, hi pairs */
static u32 status_range_count;
static words_t methods, prefixes, hosts;
static int need_pair, need_class;

static inline int has(int p) { return (panels >> p) & 1u; }

static inline int equal_bytes(const u8 *a, const u8 *b, u32 n) {
  u32 k = 0;
  for (; k + 16 <= n; k += 16) {
    if (!wasm_i8x16_all_true(wasm_i8x16_eq(load(a + k), load(b + k)))) return 0;
  }
  if (k < n) {
    u32 m = wasm_i8x16_bitmask(wasm_i8x16_eq(load(a + k), load(b + k)));
    u32 need = (1u << (n - k)) - 1u;
    if ((m & need) != need) return 0;
  }
  return 1;
}

static inline int is_name(const u8 *b, u32 s, u32 e) {
  u32 len = e - s;
  if ((int)len > max_name) return 0;
  if (!name_hint[len * 256u + (len > 0 ? b[s] : 0)]) return 0;
  for (u32 n = 0; n < name_count; n++) {
    if (names[n].len == len && equal_bytes(b + s, names[n].bytes, len)) return 1;
  }
  return 0;
}

static int classify(const u8 *b, u32 s, u32 e) {
  u32 non_empty = 0;
  int first_is_prefix = 0;
  u32 part = s;
  for (u32 pos = s; pos < e; pos += 32) {
    u32 m = eq_mask32(load(b + pos), load(b + pos + 16), '/');
    if (e - pos < 32) m &= (1u << (e - pos)) - 1u;
    while (m) {
      u32 k = pos + __builtin_ctz(m);
      m &= m - 1u;
      if (k > part) {
        non_empty++;
        if (non_empty == 1) first_is_prefix = k - part == prefix.len && equal_bytes(b + part, prefix.bytes, prefix.len);
      }
      if (max_name >= 0 && is_name(b, part, k)) return EXCLUDED;
      part = k + 1;
    }
  }
  if (e > part) {
    non_empty++;
    if (non_empty == 1) first_is_prefix = e - part == prefix.len && equal_bytes(b + part, prefix.bytes, prefix.len);
  }
  if (max_name >= 0 && is_name(b, part, e)) return EXCLUDED;
  if (non_empty == 0) return EXCLUDED;
  for (u32 x = 0; x < extension_count; x++) {
    u32 n = extensions[x].len;
    if (e - part >= n && equal_bytes(b + e - n, extensions[x].bytes, n)) return EXCLUDED;
  }
  return first_is_prefix && non_empty >= 2 ? BOOK_PATH : OTHER;
}

static u32 read_u32(const u8 *p) { return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24); }

static double read_f64(const u8 *p) {
  double v;
  __builtin_memcpy(&v, p, 8);
  return v;
}

static const u8 *read_word(const u8 *p, word_t *w) {
  w->len = read_u32(p);
  w->bytes = p + 4;
  return p + 4 + w->len;
}

static const u8 *read_words(const u8 *p, words_t *w) {
  w->count = read_u32(p);
  p += 4;
  w->items = alloc(w->count * sizeof(word_t) + 1);
  if (!w->items) return 0;
  for (u32 n = 0; n < w->count; n++) p = read_word(p, &w->items[n]);
  return p;
}

static inline int any_equal(const words_t *w, const u8 *b, u32 s, u32 e) {
  for (u32 n = 0; n < w->count; n++) {
    if (w->items[n].len == e - s && equal_bytes(b + s, w->items[n].bytes, e - s)) return 1;
  }
  return 0;
}

static inline int any_prefix(const words_t *w, const u8 *b, u32 s, u32 e) {
  for (u32 n = 0; n < w->count; n++) {
    if (w->items[n].len <= e - s && equal_bytes(b + s, w->items[n].bytes, w->items[n].len)) return 1;
  }
  return 0;
}

/* ---- key tables (byte-key-counter.ts), one per panel ------------------------------------ */

/*
 * A table holds a panel's counted keys. For book-paths it also holds (up to MAX_REMEMBERED of
 * them) paths that were classified as excluded or other, and for paths those excluded, so that
 * a path seen before is classified by one look-up; those have kind != COUNTED and are not keys.
 * The time panels' keys are 8-byte hour or day numbers.
 *
 * An entry is a record in the table's arena: its header, then its key's bytes (padded to 8), so
 * that a look-up reads the key it compares and the count it adds to from one place. With the
 * keys in an arena of their own, a look-up went to three places (slot, entry, key), and a table
 * of 100,000 paths (~8 MB) is larger than a core's own cache: with two workers reading at once,
 * each with its table, the look-ups cost each line several times what they cost one worker alone
 * (from the paths panel's share of a 1 GB file read whole and in halves: ~15 ns a line, against
 * 50-80 ns).
 */
typedef struct {
  u32 hash;
  u32 length;
  u32 kind; /* COUNTED, or the class of a remembered path */
  u32 unused;
  double count;
  double bytes;
} entry_t;

#define COUNTED 3u /* unlike EXCLUDED, OTHER and BOOK_PATH */
#define MAX_REMEMBERED 65536u

/* the bytes of an entry with a key of `length` bytes */
static inline u32 record_bytes(u32 length) { return (u32)sizeof(entry_t) + ((length + 7u) & ~7u); }

static inline const u8 *key_of(const entry_t *en) { return (const u8 *)(en + 1); }

typedef struct {
  u64 *slots; /* the entry's hash << 32 | (its offset in the arena / 8 + 1); 0 = empty */
  u32 slot_mask;
  u8 *arena; /* the entries, one after another */
  u32 arena_used, arena_capacity;
  u32 entry_count;
  u32 remembered;
  /* the time panels: the last key and its entry */
  long long last_number;
  entry_t *last_entry;
} table_t;

static table_t tables[PANELS];

static inline u64 mix(u64 a, u64 b) {
  u64 h = (a ^ 0x9e3779b97f4a7c15ull) * (b ^ 0xff51afd7ed558ccdull);
  return h ^ (h >> 29);
}

/* Keys of up to 32 bytes (most paths and hosts) are hashed as four independent 8-byte words (the
   first and last 16 bytes, overlapping when shorter; the bytes past a short key masked off),
   longer ones eight bytes at a time. Allocations end in PAD readable bytes, so reading past a
   key is safe. */
static inline u32 hash_bytes(const u8 *b, u32 n) {
  u64 h;
  if (n <= 16) {
    u64 lo = load_u64(b), hi = load_u64(b + 8);
    if (n < 8) {
      lo &= (1ull << (8u * n)) - 1u;
      hi = 0;
    } else if (n < 16) {
      hi &= (1ull << (8u * (n - 8))) - 1u;
    }
    h = mix(lo ^ n, hi);
  } else if (n <= 32) {
    h = mix(load_u64(b) ^ n, load_u64(b + 8)) ^ mix(load_u64(b + n - 16), load_u64(b + n - 8) ^ 0x632be59bd9b4e019ull);
  } else {
    h = 0x9e3779b97f4a7c15ull ^ n;
    u32 i = 0;
    for (; i + 8 <= n; i += 8) h = mix(h, load_u64(b + i));
    h = mix(h, load_u64(b + n - 8));
  }
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 32;
  return (u32)h;
}

static int table_init(table_t *t) {
  t->slots = alloc(1024 * 8);
  t->arena = alloc(1 << 14);
  if (!t->slots || !t->arena) return 0;
  __builtin_memset(t->slots, 0, 1024 * 8);
  t->slot_mask = 1023;
  t->entry_count = 0;
  t->remembered = 0;
  t->arena_used = 0;
  t->arena_capacity = 1 << 14;
  t->last_entry = 0;
  return 1;
}

static inline entry_t *entry_at(const table_t *t, u64 slot) { return (entry_t *)(t->arena + ((u32)slot - 1u) * 8u); }

static inline u64 slot_for(u32 hash, u32 at) { return (u64)hash << 32 | (at / 8u + 1u); }

static void rehash(table_t *t) {
  u32 size = (t->slot_mask + 1) * 2;
  u64 *grown = alloc(size * 8);
  if (!grown) return;
  __builtin_memset(grown, 0, size * 8);
  u32 mask = size - 1;
  for (u32 at = 0; at < t->arena_used;) {
    const entry_t *en = (const entry_t *)(t->arena + at);
    u32 i = en->hash & mask;
    while (grown[i]) i = (i + 1) & mask;
    grown[i] = slot_for(en->hash, at);
    at += record_bytes(en->length);
  }
  t->slots = grown;
  t->slot_mask = mask;
}

/* the entry of key b[s, e) with hash h, or 0; *at is then the free slot where it would go. A slot
   holds its entry's hash: an entry whose hash differs is not looked at (nor read from memory). */
static inline entry_t *find_key(table_t *t, const u8 *b, u32 s, u32 e, u32 h, u32 *at) {
  u32 len = e - s;
  u32 i = h & t->slot_mask;
  for (;;) {
    u64 slot = t->slots[i];
    if (!slot) break;
    if ((u32)(slot >> 32) == h) {
      entry_t *en = entry_at(t, slot);
      if (en->length == len && equal_bytes(key_of(en), b + s, len)) return en;
    }
    i = (i + 1) & t->slot_mask;
  }
  *at = i;
  return 0;
}

static entry_t *insert_key(table_t *t, const u8 *b, u32 s, u32 e, u32 h, u32 at, u32 kind, double size) {
  u32 len = e - s;
  u32 need = record_bytes(len);
  if (t->arena_used + need > t->arena_capacity) {
    u32 want = t->arena_capacity * 2 > t->arena_used + need ? t->arena_capacity * 2 : t->arena_used + need;
    u8 *grown = alloc(want);
    if (!grown) return 0;
    __builtin_memcpy(grown, t->arena, t->arena_used);
    t->arena = grown;
    t->arena_capacity = want;
    t->last_entry = 0;
  }
  entry_t *en = (entry_t *)(t->arena + t->arena_used);
  en->hash = h;
  en->length = len;
  en->kind = kind;
  en->unused = 0;
  en->count = kind == COUNTED ? 1 : 0;
  en->bytes = kind == COUNTED ? size : 0;
  __builtin_memcpy((u8 *)(en + 1), b + s, len);
  t->slots[at] = slot_for(h, t->arena_used);
  t->arena_used += need;
  t->entry_count++;
  if (t->entry_count * 2 > t->slot_mask + 1) rehash(t);
  return en;
}

/* count key b[s, e), whose hash is h */
static void count_hashed(table_t *t, const u8 *b, u32 s, u32 e, u32 h, double size) {
  u32 at;
  entry_t *en = find_key(t, b, s, e, h, &at);
  if (en) {
    en->count += 1;
    en->bytes += size;
  } else {
    insert_key(t, b, s, e, h, at, COUNTED, size);
  }
}

static void count_key(table_t *t, const u8 *b, u32 s, u32 e, double size) { count_hashed(t, b, s, e, hash_bytes(b + s, e - s), size); }

/* the hash of the path classify_and_count() last looked up (the paths panel counts it again) */
static u32 path_hash;

/* a time panel's key: an hour or day number, counted as its 8 bytes */
static void count_number(table_t *t, long long number, double size) {
  entry_t *en = t->last_entry;
  if (!en || number != t->last_number) {
    u8 key[8 + PAD];
    __builtin_memcpy(key, &number, 8);
    __builtin_memset(key + 8, 0, 16);
    u32 h = hash_bytes(key, 8);
    u32 at;
    en = find_key(t, key, 0, 8, h, &at);
    if (!en) {
      insert_key(t, key, 0, 8, h, at, COUNTED, size);
      t->last_entry = 0;
      return;
    }
    t->last_number = number;
    t->last_entry = en;
  }
  en->count += 1;
  en->bytes += size;
}

/* Classify the path b[s, e) by one look-up when seen before, and count it in t when its class is
   `counted` (BOOK_PATH), or is not EXCLUDED (`counted` = OTHER). Other classes are remembered. */
static int classify_and_count(table_t *t, const u8 *b, u32 s, u32 e, int counted, double size) {
  u32 h = path_hash = hash_bytes(b + s, e - s);
  u32 at;
  entry_t *en = find_key(t, b, s, e, h, &at);
  if (en) {
    if (en->kind != COUNTED) return (int)en->kind;
    en->count += 1;
    en->bytes += size;
    return counted;
  }
  int c = classify(b, s, e);
  if (c == counted || (counted == OTHER && c != EXCLUDED)) {
    insert_key(t, b, s, e, h, at, COUNTED, size);
  } else if (t->remembered < MAX_REMEMBERED) {
    t->remembered++;
    insert_key(t, b, s, e, h, at, (u32)c, 0);
  }
  return c;
}

/* ---- a block of lines (line-analyzer.ts) ----------------------------------------------- */

/* lines, parsed, malformed, filtered, excluded, longLines, then the parsed lines read as combined
   and as vhost_combined: of the lines this reader decided */
#define STATS 8
static double stats[STATS];
/* this block's counts (integers are cheaper per line), added to stats at its end */
static u32 block_stats[STATS];
static u8 *input;
static u32 input_capacity;
static u32 *undecided;

static const u8 ROBOTS[] = "/robots.txt";

/* the first '\n' from i (there is one: a block ends in '\n') */
static inline u32 line_end(const u8 *b, u32 i) {
  v128_t nl = wasm_i8x16_splat('\n');
  for (;; i += 64) {
    v128_t v0 = wasm_i8x16_eq(load(b + i), nl), v1 = wasm_i8x16_eq(load(b + i + 16), nl);
    v128_t v2 = wasm_i8x16_eq(load(b + i + 32), nl), v3 = wasm_i8x16_eq(load(b + i + 48), nl);
    if (wasm_v128_any_true(wasm_v128_or(wasm_v128_or(v0, v1), wasm_v128_or(v2, v3)))) {
      u64 m = (u64)wasm_i8x16_bitmask(v0) | ((u64)wasm_i8x16_bitmask(v1) << 16) | ((u64)wasm_i8x16_bitmask(v2) << 32) |
              ((u64)wasm_i8x16_bitmask(v3) << 48);
      return i + (u32)__builtin_ctzll(m);
    }
  }
}

/* the first '"' or '\n' from i */
static inline u32 quote_or_end(const u8 *b, u32 i) {
  for (;; i += 16) {
    v128_t v = load(b + i);
    u32 m = eq_mask(v, '"') | eq_mask(v, '\n');
    if (m) return i + __builtin_ctz(m);
  }
}

static double line_size;
static u32 vhost_start, vhost_end; /* NONE when the line has no vhost */
static u32 referer_start, referer_end, agent_start, agent_end; /* NONE when absent */

/*
 * The size, and (when `pair`) the referer / user-agent pair after the bytes token, in the shape
 * nearly every line has: ` "REFERER" "AGENT"` with single spaces, no '"' inside the referer and
 * an agent that does not start with '"'. Returns where the line's reading ended, or NONE when the
 * shape is otherwise (the JavaScript reader then reads the line).
 */
static u32 read_tail(const u8 *b, int pair) {
  u32 be = field_end(b, bytes_start);
  if (!is_ws(b[be])) return NONE; /* a control byte inside the token: \S+ goes on */
  u32 n = be - bytes_start;
  double size = 0;
  for (u32 k = bytes_start; k < be; k++) {
    u32 c = (u32)b[k] - '0';
    if (c > 9) {
      size = 0;
      n = 0;
      break;
    }
    size = size * 10 + c;
  }
  line_size = n >= 1 && n <= 15 ? size : 0;
  referer_start = referer_end = agent_start = agent_end = NONE;
  if (!pair || b[be] == '\n') return be;
  if (is_ws(b[be])) {
    /* only whitespace to the line's end (a CRLF line): no pair */
    u32 k = be;
    while (b[k] != '\n' && is_ws(b[k])) k++;
    if (b[k] == '\n') return be;
  }
  if (b[be] != ' ' || b[be + 1] <= 0x20) return NONE;
  if (b[be + 1] != '"') return be; /* \s+" cannot match: no pair */
  u32 q = be + 1;
  u32 r = quote_or_end(b, q + 1);
  if (b[r] != '"' || b[r + 1] != ' ' || b[r + 2] != '"') return NONE;
  u32 u = r + 2;
  if (b[u + 1] == '"' || b[u + 1] == '\n') return NONE;
  u32 v = quote_or_end(b, u + 1);
  if (b[v] != '"') return NONE;
  referer_start = q + 1;
  referer_end = r;
  agent_start = u + 1;
  agent_end = v;
  return v;
}

static inline u32 status_value(const u8 *b) {
  u32 v = 0;
  for (u32 k = status_start; k < status_end; k++) {
    v = v * 10 + (b[k] - '0');
    if (v > 999999999u) return 0xffffffffu;
  }
  return v;
}

static int passes(const u8 *b, u32 s) {
  if ((filters & F_SINCE) && instant < since) return 0;
  if ((filters & F_UNTIL) && instant >= until) return 0;
  if (filters & F_STATUS) {
    u32 v = status_value(b);
    int ok = 0;
    for (u32 n = 0; n < status_range_count && !ok; n++) ok = v >= status_ranges[2 * n] && v <= status_ranges[2 * n + 1];
    if (!ok) return 0;
  }
  if ((filters & F_METHOD) && !any_equal(&methods, b, method_start, method_end)) return 0;
  if ((filters & F_PREFIX) && !any_prefix(&prefixes, b, path_start, path_end)) return 0;
  if ((filters & F_HOST) && !any_equal(&hosts, b, s, host_end)) return 0;
  return 1;
}

static inline int shown(const u8 *b, u32 s, u32 e) { return s != NONE && e > s && !(e - s == 1 && b[s] == '-'); }

static inline long long floor_div(double x, double d) { return (long long)__builtin_floor(x / d); }

/* A parsed line of b that passed the filters, its host at [s, host_end) and its other fields in
   the globals above, counted into every panel. `has_path` is 0 for a line without a path (§4:
   excluded), `has_method` for a request without a method. Returns whether the lists excluded it. */
static int count_panels(const u8 *b, u32 s, int has_path, int has_method) {
  double size = line_size;
  int excluded = 0;
  if (need_class) {
    int c = !has_path            ? EXCLUDED
            : has(P_BOOK_PATHS) ? classify_and_count(&tables[P_BOOK_PATHS], b, path_start, path_end, BOOK_PATH, size)
                                : classify_and_count(&tables[P_PATHS], b, path_start, path_end, OTHER, size);
    if (c == EXCLUDED) excluded = 1;
    else if (has(P_BOOK_PATHS) && has(P_PATHS)) count_hashed(&tables[P_PATHS], b, path_start, path_end, path_hash, size);
  }
  if (has(P_ROBOTS_HOSTS) && has_path && path_end - path_start == sizeof ROBOTS - 1 && equal_bytes(b + path_start, ROBOTS, sizeof ROBOTS - 1)) {
    count_key(&tables[P_ROBOTS_HOSTS], b, s, host_end, size);
  }
  if (has(P_HOSTS)) count_key(&tables[P_HOSTS], b, s, host_end, size);
  if (has(P_STATUS)) count_key(&tables[P_STATUS], b, status_start, status_end, size);
  if (has(P_METHODS) && has_method) count_key(&tables[P_METHODS], b, method_start, method_end, size);
  if (has(P_REFERERS) && shown(b, referer_start, referer_end)) count_key(&tables[P_REFERERS], b, referer_start, referer_end, size);
  if (has(P_AGENTS) && shown(b, agent_start, agent_end)) count_key(&tables[P_AGENTS], b, agent_start, agent_end, size);
  if (has(P_HOURS)) count_number(&tables[P_HOURS], floor_div(instant, 3600), size);
  if (has(P_DAYS)) count_number(&tables[P_DAYS], floor_div(instant, 86400), size);
  if (has(P_VHOSTS) && vhost_end != NONE) count_key(&tables[P_VHOSTS], b, vhost_start, vhost_end, size);
  return excluded;
}

/* a parsed line of b whose host starts at s: filters, then every panel */
static void count_parsed(const u8 *b, u32 s) {
  block_stats[0]++;
  block_stats[1]++;
  block_stats[vhost_end == NONE ? 6 : 7]++;
  if (filters && !passes(b, s)) {
    block_stats[3]++;
    return;
  }
  if (count_panels(b, s, 1, 1)) block_stats[4]++;
}

/* the line b[s, nl): decided here, or handed back stripped */
static inline u32 read_line(const u8 *b, u32 s, u32 *n_undecided) {
  u32 line_start = s;
  while (b[s] != '\n' && is_ws(b[s])) s++; /* leading whitespace is stripped (§12.1) */
  u32 host = s;
  vhost_start = vhost_end = NONE;
  /* a line that starts with '{' is JSON, read by nothing else: the JavaScript reader's */
  int verdict = b[s] == '{' ? UNDECIDED : read_canonical_line(b, s);
  if (verdict == UNDECIDED && b[s] != '{') {
    /* vhost_combined: a token, then the book's shape. Only when the book's pattern cannot match
       the line at all: that needs '[' to open its fourth token, here the shape's user field. */
    u32 t = field_end(b, s);
    if (t > s && one_space(b, t) && read_canonical_line(b, t + 1) == PARSED && b[user_start] != '[') {
      verdict = PARSED;
      host = t + 1;
      vhost_start = s;
      vhost_end = t;
    }
  }
  u32 read_to = s;
  if (verdict == PARSED) {
    read_to = read_tail(b, need_pair);
    if (read_to == NONE) {
      verdict = UNDECIDED;
      read_to = s;
    }
  }
  u32 nl = line_end(b, read_to);
  if (nl - line_start > max_line) {
    block_stats[0]++;
    block_stats[2]++;
    block_stats[5]++;
    return nl;
  }
  if (verdict == PARSED) {
    count_parsed(b, host);
    return nl;
  }
  u32 e = nl;
  while (e > s && is_ws(b[e - 1])) e--;
  if (e == s) {
    block_stats[0]++;
    block_stats[2]++;
    return nl;
  }
  undecided[2 * *n_undecided] = s;
  undecided[2 * *n_undecided + 1] = e;
  ++*n_undecided;
  return nl;
}

/* ---- exports --------------------------------------------------------------------------- */

/* Room for the options (block-reader.ts encodes them): numbers as u32 LE, times as f64, words as
   u32 length + bytes, lists as u32 count + items. */
WASM_EXPORT("config_area")
u8 *config_area(u32 size) {
  heap_top = (u32)&__heap_base;
  error_code = OK;
  return alloc(size);
}

/* Read the options written at config_area; make room for blocks of up to `capacity` bytes.
   Returns 0, or an error code. */
WASM_EXPORT("configure")
int configure(const u8 *p, u32 capacity) {
  const char *m = "janfebmaraprmayjunjulaugsepoctnovdec";
  for (int n = 0; n < 12; n++) {
    month_by_letters[((m[3 * n] & 31) << 10) | ((m[3 * n + 1] & 31) << 5) | (m[3 * n + 2] & 31)] = (signed char)(n + 1);
  }
  have_last_date = 0;
  max_line = read_u32(p);
  panels = read_u32(p + 4);
  p = read_word(p + 8, &prefix);
  name_count = read_u32(p);
  p += 4;
  names = alloc(name_count * sizeof(word_t) + 1);
  max_name = -1;
  if (!names) return error_code;
  for (u32 n = 0; n < name_count; n++) {
    p = read_word(p, &names[n]);
    if ((int)names[n].len > max_name) max_name = (int)names[n].len;
  }
  name_hint = alloc(((u32)max_name + 1) * 256u + 1);
  if (!name_hint) return error_code;
  __builtin_memset(name_hint, 0, ((u32)max_name + 1) * 256u + 1);
  for (u32 n = 0; n < name_count; n++) {
    name_hint[names[n].len * 256u + (names[n].len > 0 ? names[n].bytes[0] : 0)] = 1;
  }
  extension_count = read_u32(p);
  p += 4;
  extensions = alloc(extension_count * sizeof(word_t) + 1);
  if (!extensions) return error_code;
  for (u32 x = 0; x < extension_count; x++) p = read_word(p, &extensions[x]);
  filters = read_u32(p);
  since = read_f64(p + 4);
  until = read_f64(p + 12);
  status_range_count = read_u32(p + 20);
  p += 24;
  status_ranges = alloc(status_range_count * 8 + 1);
  if (!status_ranges) return error_code;
  for (u32 n = 0; n < 2 * status_range_count; n++) status_ranges[n] = read_u32(p + 4 * n);
  p += 8 * status_range_count;
  if (!(p = read_words(p, &methods)) || !(p = read_words(p, &prefixes)) || !(p = read_words(p, &hosts))) return error_code;
  need_pair = has(P_REFERERS) || has(P_AGENTS);
  need_class = has(P_BOOK_PATHS) || has(P_PATHS);
  input_capacity = capacity;
  input = alloc(capacity + PAD);
  undecided = alloc((capacity / 2 + 2) * 8);
  if (!input || !undecided) return error_code;
  file_mark = heap_top;
  return OK;
}

WASM_EXPORT("input_area") u8 *input_area(void) { return input; }
WASM_EXPORT("undecided_area") u32 *undecided_area(void) { return undecided; }
WASM_EXPORT("stats_area") double *stats_area(void) { return stats; }
WASM_EXPORT("arena_area") u8 *arena_area(u32 panel) { return tables[panel].arena; }
WASM_EXPORT("key_count") u32 key_count(u32 panel) { return tables[panel].entry_count; }

/* A line the JavaScript reader parsed (a JSON line, or one of another shape), counted here:
   where its fields lie in the input area, as start / end pairs (NONE for a field it lacks). */
enum { LF_HOST, LF_HOST_END, LF_PATH, LF_PATH_END, LF_STATUS, LF_STATUS_END, LF_METHOD, LF_METHOD_END, LF_REFERER, LF_REFERER_END,
       LF_AGENT, LF_AGENT_END, LF_VHOST, LF_VHOST_END, LINE_FIELDS };
static u32 line_fields[LINE_FIELDS];
/* its instant (whole seconds) and its size */
static double line_numbers[2];

WASM_EXPORT("line_fields_area") u32 *line_fields_area(void) { return line_fields; }
WASM_EXPORT("line_numbers_area") double *line_numbers_area(void) { return line_numbers; }

/* The line at line_fields_area (and line_numbers_area), which passed the filters, counted into
   every panel as a line read here is (its lines, parsed and format counted by its reader).
   Returns 1 when the lists excluded its path, 0 when not, -1 on an error (see last_error). */
WASM_EXPORT("count_line_fields")
int count_line_fields(void) {
  const u32 *f = line_fields;
  host_end = f[LF_HOST_END];
  path_start = f[LF_PATH];
  path_end = f[LF_PATH_END];
  status_start = f[LF_STATUS];
  status_end = f[LF_STATUS_END];
  method_start = f[LF_METHOD];
  method_end = f[LF_METHOD_END];
  referer_start = f[LF_REFERER];
  referer_end = f[LF_REFERER_END];
  agent_start = f[LF_AGENT];
  agent_end = f[LF_AGENT_END];
  vhost_start = f[LF_VHOST];
  vhost_end = f[LF_VHOST_END];
  instant = line_numbers[0];
  line_size = line_numbers[1];
  int excluded = count_panels(input, f[LF_HOST], path_start != NONE, method_start != NONE);
  return error_code ? -1 : excluded;
}

/* A new file: statistics and keys start empty. Returns 0, or an error code. */
WASM_EXPORT("begin_file")
int begin_file(void) {
  heap_top = file_mark;
  error_code = OK;
  for (int n = 0; n < STATS; n++) stats[n] = 0;
  for (int p = 0; p < PANELS; p++) {
    if (has(p) && !table_init(&tables[p])) return error_code;
    if (!has(p)) tables[p].entry_count = 0;
  }
  return OK;
}

/* input[0, n): whole lines, each ending in '\n'. Decides what it can; the lines it cannot
   decide are left at undecided_area as (start, end) pairs, right-stripped. Returns how many,
   or -1 on an error (see last_error). */
WASM_EXPORT("read_block")
int read_block(u32 n) {
  if (n > input_capacity) return -1;
  __builtin_memset(input + n, 0, PAD);
  const u8 *b = input;
  u32 n_undecided = 0;
  for (int k = 0; k < STATS; k++) block_stats[k] = 0;
  for (u32 s = 0; s < n;) s = read_line(b, s, &n_undecided) + 1;
  for (int k = 0; k < STATS; k++) stats[k] += block_stats[k];
  return error_code ? -1 : (int)n_undecided;
}

WASM_EXPORT("last_error") int last_error(void) { return error_code; }
