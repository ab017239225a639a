/*
 * logpool's block reader: the canonical-line reading, the path rules and a key counter, for a
 * block of whole lines at once, compiled to WebAssembly with SIMD128 (see block-reader.ts and
 * `npm run build:wasm`).
 *
 * It reads the lines of the canonical shape (../parse/canonical-line.ts, taken more strictly, plus
 * absolute http(s) URIs), classifies their paths as ../parse/path-rules.ts does and counts their
 * keys; every other line goes back, as "undecided", to the JavaScript reader, which reads it with
 * the general CPython-exact matcher. The differential tests compare both readers, line by line,
 * with the spec's reference reading and with CPython.
 *
 * Memory: [config][input block + padding][undecided pairs] | per file: [key table][arena]...
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
enum { KIND_BOOK_PATHS = 0, KIND_ROBOTS_HOSTS = 1 };
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

static u32 host_end, path_start, path_end, parsed_to;
/* the date and zone bytes (clock bytes zeroed) of the last valid time, once there is one */
static v128_t last_date0, last_date1;
static int have_last_date;

/* The line starting at s: PARSED (host, path and parsed_to set: a byte of the line) or UNDECIDED. */
static int read_canonical_line(const u8 *b, u32 s) {
  /* host, identity, user */
  u32 i = field_end(b, s);
  if (i == s || !one_space(b, i)) return UNDECIDED;
  u32 hend = i;
  if (load_u32(b + i + 1) == WORD4('-', ' ', '-', ' ') && b[i + 5] == '[') {
    i += 4; /* the usual empty identity and user: what the scans below would find */
  } else {
    i = field_end(b, i + 1);
    if (!one_space(b, i)) return UNDECIDED;
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
    last_date0 = this0;
    last_date1 = this1;
    have_last_date = 1;
  }

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
  parsed_to = j + 1;
  return PARSED;
}

/* ---- options (path-rules.ts) ----------------------------------------------------------- */

typedef struct {
  const u8 *bytes;
  u32 len;
} word_t;

static int kind;
static u32 max_line;
static word_t prefix;
static word_t *names;
static u32 name_count;
static int max_name; /* -1: no names */
static u8 *name_hint; /* [(max_name + 1) * 256]: 1 when some name has this (length, first byte) */
static word_t *extensions;
static u32 extension_count;

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

static const u8 *read_word(const u8 *p, word_t *w) {
  w->len = read_u32(p);
  w->bytes = p + 4;
  return p + 4 + w->len;
}

/* ---- the key counter (byte-key-counter.ts) --------------------------------------------- */

/*
 * The table holds the counted keys and, for book-paths, also (up to MAX_REMEMBERED of them) paths
 * that were classified as excluded or other, so that a path seen before is classified by one
 * look-up. Those have kind != COUNTED and count 0, and are not keys.
 */
typedef struct {
  u32 hash;
  u32 offset;
  u32 length;
  u32 kind; /* COUNTED, or the class of a remembered path */
  double count;
} entry_t;

#define COUNTED 3u /* unlike EXCLUDED, OTHER and BOOK_PATH */
#define MAX_REMEMBERED 65536u
static u32 remembered;

static u32 *slots; /* entry index + 1; 0 = empty */
static u32 slot_mask;
static entry_t *entries;
static u32 entry_count, entry_capacity;
static u8 *arena;
static u32 arena_used, arena_capacity;

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

static int table_init(void) {
  slots = alloc(1024 * 4);
  entries = alloc(256 * sizeof(entry_t));
  arena = alloc(1 << 16);
  if (!slots || !entries || !arena) return 0;
  __builtin_memset(slots, 0, 1024 * 4);
  slot_mask = 1023;
  entry_count = 0;
  remembered = 0;
  entry_capacity = 256;
  arena_used = 0;
  arena_capacity = 1 << 16;
  return 1;
}

static void rehash(void) {
  u32 size = (slot_mask + 1) * 2;
  u32 *grown = alloc(size * 4);
  if (!grown) return;
  __builtin_memset(grown, 0, size * 4);
  u32 mask = size - 1;
  for (u32 n = 0; n < entry_count; n++) {
    u32 i = entries[n].hash & mask;
    while (grown[i]) i = (i + 1) & mask;
    grown[i] = n + 1;
  }
  slots = grown;
  slot_mask = mask;
}

/* the entry of key b[s, e) with hash h, or 0; *at is then the free slot where it would go */
static inline entry_t *find_key(const u8 *b, u32 s, u32 e, u32 h, u32 *at) {
  u32 len = e - s;
  u32 i = h & slot_mask;
  for (;;) {
    u32 slot = slots[i];
    if (!slot) break;
    entry_t *en = &entries[slot - 1];
    if (en->hash == h && en->length == len && equal_bytes(arena + en->offset, b + s, len)) return en;
    i = (i + 1) & slot_mask;
  }
  *at = i;
  return 0;
}

static void insert_key(const u8 *b, u32 s, u32 e, u32 h, u32 at, u32 kind) {
  u32 len = e - s;
  if (entry_count == entry_capacity) {
    entry_t *grown = alloc(entry_capacity * 2 * sizeof(entry_t));
    if (!grown) return;
    __builtin_memcpy(grown, entries, entry_count * sizeof(entry_t));
    entries = grown;
    entry_capacity *= 2;
  }
  if (arena_used + len > arena_capacity) {
    u32 want = arena_capacity * 2 > arena_used + len ? arena_capacity * 2 : arena_used + len;
    u8 *grown = alloc(want);
    if (!grown) return;
    __builtin_memcpy(grown, arena, arena_used);
    arena = grown;
    arena_capacity = want;
  }
  __builtin_memcpy(arena + arena_used, b + s, len);
  entry_t *en = &entries[entry_count];
  en->hash = h;
  en->offset = arena_used;
  en->length = len;
  en->kind = kind;
  en->count = kind == COUNTED ? 1 : 0;
  arena_used += len;
  slots[at] = ++entry_count;
  if (entry_count * 2 > slot_mask + 1) rehash();
}

static void count_key(const u8 *b, u32 s, u32 e) {
  u32 h = hash_bytes(b + s, e - s);
  u32 at;
  entry_t *en = find_key(b, s, e, h, &at);
  if (en) en->count += 1;
  else insert_key(b, s, e, h, at, COUNTED);
}

/* book-paths: classify the path b[s, e) (by one look-up when seen before) and count it */
static int classify_and_count(const u8 *b, u32 s, u32 e) {
  u32 h = hash_bytes(b + s, e - s);
  u32 at;
  entry_t *en = find_key(b, s, e, h, &at);
  if (en) {
    if (en->kind != COUNTED) return (int)en->kind;
    en->count += 1;
    return BOOK_PATH;
  }
  int c = classify(b, s, e);
  if (c == BOOK_PATH) {
    insert_key(b, s, e, h, at, COUNTED);
  } else if (remembered < MAX_REMEMBERED) {
    remembered++;
    insert_key(b, s, e, h, at, (u32)c);
  }
  return c;
}

/* ---- a block of lines (line-analyzer.ts) ----------------------------------------------- */

/* lines, parsed, malformed, excluded, counted, longLines: of the lines this reader decided */
static double stats[6];
/* this block's counts (integers are cheaper per line), added to stats at its end */
static u32 block_stats[6];
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

static void count_parsed(const u8 *b, u32 s) {
  block_stats[0]++;
  block_stats[1]++;
  if (kind == KIND_ROBOTS_HOSTS) {
    if (path_end - path_start == sizeof ROBOTS - 1 && equal_bytes(b + path_start, ROBOTS, sizeof ROBOTS - 1)) {
      count_key(b, s, host_end);
      block_stats[4]++;
    }
    return;
  }
  int c = classify_and_count(b, path_start, path_end);
  if (c == EXCLUDED) {
    block_stats[3]++;
  } else if (c == BOOK_PATH) {
    block_stats[4]++;
  }
}

/* the line b[s, nl): decided here, or handed back right-stripped */
static inline u32 read_line(const u8 *b, u32 s, u32 *n_undecided) {
  int verdict = read_canonical_line(b, s);
  u32 nl = line_end(b, verdict == PARSED ? parsed_to : s);
  if (nl - s > max_line) {
    block_stats[0]++;
    block_stats[2]++;
    block_stats[5]++;
    return nl;
  }
  if (verdict == PARSED) {
    count_parsed(b, s);
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

/* Room for the options: [kind][max_line][prefix][n names][names...][n extensions][extensions...],
   numbers as u32 LE, words as u32 length + bytes. */
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
  kind = (int)read_u32(p);
  max_line = read_u32(p + 4);
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
WASM_EXPORT("entries_area") entry_t *entries_area(void) { return entries; }
WASM_EXPORT("arena_area") u8 *arena_area(void) { return arena; }
WASM_EXPORT("key_count") u32 key_count(void) { return entry_count; }

/* A new file: statistics and keys start empty. Returns 0, or an error code. */
WASM_EXPORT("begin_file")
int begin_file(void) {
  heap_top = file_mark;
  error_code = OK;
  for (int n = 0; n < 6; n++) stats[n] = 0;
  return table_init() ? OK : error_code;
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
  for (int k = 0; k < 6; k++) block_stats[k] = 0;
  for (u32 s = 0; s < n;) s = read_line(b, s, &n_undecided) + 1;
  for (int k = 0; k < 6; k++) stats[k] += block_stats[k];
  return error_code ? -1 : (int)n_undecided;
}

WASM_EXPORT("last_error") int last_error(void) { return error_code; }
