/*
 * JSON lines' structure (analysis-semantics.md §12.4), read in WebAssembly for the JavaScript
 * reader (../parse/json-line.ts): a line must be exactly one JSON object (RFC 8259's grammar,
 * strict UTF-8), and only the values under the keys the maps name are
 * kept, as where they lie in the line. This is the first of simdjson's two stages: the bytes are
 * walked once, here, with 16 at a time for strings; json-line.ts then reads the few values it
 * kept (decoding a string only where it has escapes) and makes the line's fields of them.
 *
 * The keys come from json-line.ts as a tree of slots (json_configure), so that both readers
 * know the same keys: an object's member whose key is a child of its node is read into the
 * child's slot, an array's first element into the node's item slot; everything else is
 * validated and skipped, nesting of any depth, without recursion. A key met again is read
 * again, and the slots below it are cleared first: the last one counts, as in json.loads.
 *
 * Per slot: ABSENT, or the value's kind with where it lies (a string: between its quotes, and
 * whether it has escapes; a number: its text, and whether it is an integer, with no '.', 'e' or
 * 'E').
 */
#include <wasm_simd128.h>

typedef unsigned char u8;
typedef unsigned int u32;

#define WASM_EXPORT(name) __attribute__((export_name(name)))
#define NONE 0xffffffffu
#define MAX_SLOTS 64u
#define MAX_CHILDREN 128u
/* no key of the tree is longer: a longer key, decoded, is no key of it */
#define MAX_KEY 32u
/* containers skipped inside one another: one bit each; a line of the input area cannot nest more */
#define MAX_DEPTH (1u << 21)

/* as json-line.ts numbers them */
enum { ABSENT = 0, STRING = 1, NUMBER = 2, OBJECT = 3, ARRAY = 4, LITERAL = 5 };

/* ---- the tree of keys (json_configure) --------------------------------------------------- */

static u8 tree_area[8192];
static u32 slot_count;
static u32 root;
static u32 item_of[MAX_SLOTS];
static u8 has_children[MAX_SLOTS];
static u32 first_child[MAX_SLOTS], child_count[MAX_SLOTS];
static u32 first_below[MAX_SLOTS], below_count[MAX_SLOTS];
static u32 child_slot[MAX_CHILDREN];
static u32 child_len[MAX_CHILDREN];
static u8 child_key[MAX_CHILDREN][MAX_KEY];
static u8 below[MAX_SLOTS * MAX_SLOTS];

/* ---- what a line holds (json_read) ------------------------------------------------------- */

static struct {
  u32 start[MAX_SLOTS];
  u32 end[MAX_SLOTS];
  u8 kind[MAX_SLOTS];
  /* a string: it has escapes; a number: it is an integer */
  u8 flag[MAX_SLOTS];
} out;

static u32 depth_bits[MAX_DEPTH / 32];
static u8 key_buf[MAX_KEY + 4];

static inline int is_json_ws(u8 c) { return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d; }
static inline int is_digit(u8 c) { return (u8)(c - '0') <= 9; }

static inline u32 skip_ws(const u8 *b, u32 i, u32 e) {
  while (i < e && is_json_ws(b[i])) i++;
  return i;
}

static inline int hex(u8 c) {
  if (is_digit(c)) return c - '0';
  c |= 0x20;
  return (u8)(c - 'a') <= 5 ? c - 'a' + 10 : -1;
}

/* \uXXXX at b[k, k + 4): its value, or -1 */
static inline int hex4(const u8 *b, u32 k, u32 e) {
  if (k + 4 > e) return -1;
  int a = hex(b[k]), c = hex(b[k + 1]), d = hex(b[k + 2]), g = hex(b[k + 3]);
  if ((a | c | d | g) < 0) return -1;
  return (a << 12) | (c << 8) | (d << 4) | g;
}

/* the first '"', '\\', byte below 0x20 or byte above 0x7f at or after i (vector loads may read
   past e: the input area is followed by more memory, and nothing found past e is taken) */
static inline u32 string_stop(const u8 *b, u32 i, u32 e) {
  const v128_t quote = wasm_i8x16_splat('"'), slash = wasm_i8x16_splat('\\'), low = wasm_i8x16_splat(0x1f);
  while (i < e) {
    v128_t v = wasm_v128_load(b + i);
    /* a byte above 0x7f is negative as a signed byte */
    v128_t stop = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, quote), wasm_i8x16_eq(v, slash)), wasm_v128_or(wasm_u8x16_le(v, low), wasm_i8x16_lt(v, wasm_i8x16_splat(0))));
    u32 m = wasm_i8x16_bitmask(stop);
    if (m) return i + __builtin_ctz(m);
    i += 16;
  }
  return e;
}

/*
 * The UTF-8 sequence at b[k] (a byte above 0x7f): the position after it, or NONE when it is not
 * well-formed (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), as
 * Node's isUtf8 and Python's strict decoder read it. Outside strings such a byte is not JSON
 * at all, so checking strings checks the line.
 */
static u32 utf8_sequence(const u8 *b, u32 k, u32 e) {
  u8 c = b[k];
  u32 n;
  u8 lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 1;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 2;
    if (c == 0xe0) lo = 0xa0;
    if (c == 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 3;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;
  } else return NONE;
  if (k + n >= e) return NONE;
  if (b[k + 1] < lo || b[k + 1] > hi) return NONE;
  for (u32 x = 2; x <= n; x++) {
    if ((b[k + x] & 0xc0) != 0x80) return NONE;
  }
  return k + n + 1;
}

/* UTF-8 of code point u at key_buf[n], as far as it fits: the count after it */
static u32 put_code_point(u32 n, u32 u) {
  u8 enc[4];
  u32 len;
  if (u < 0x80) enc[0] = (u8)u, len = 1;
  else if (u < 0x800) enc[0] = (u8)(0xc0 | (u >> 6)), enc[1] = (u8)(0x80 | (u & 63)), len = 2;
  else if (u < 0x10000) enc[0] = (u8)(0xe0 | (u >> 12)), enc[1] = (u8)(0x80 | ((u >> 6) & 63)), enc[2] = (u8)(0x80 | (u & 63)), len = 3;
  else enc[0] = (u8)(0xf0 | (u >> 18)), enc[1] = (u8)(0x80 | ((u >> 12) & 63)), enc[2] = (u8)(0x80 | ((u >> 6) & 63)), enc[3] = (u8)(0x80 | (u & 63)), len = 4;
  for (u32 y = 0; y < len && n <= MAX_KEY; y++) key_buf[n++] = enc[y];
  return n;
}

/*
 * The string at b[i] = '"': the position after its closing quote, or NONE. *escaped: it has an
 * escape. When `decode` is set, its decoded bytes go to key_buf, up to MAX_KEY + 1 of them
 * (*length says how many there were, capped there: one more than MAX_KEY is too long for a key).
 */
static u32 string(const u8 *b, u32 i, u32 e, int *escaped, int decode, u32 *length) {
  u32 k = i + 1;
  u32 n = 0;
  *escaped = 0;
  for (;;) {
    u32 run = string_stop(b, k, e);
    if (decode) {
      for (u32 x = k; x < run && n <= MAX_KEY; x++) key_buf[n++] = b[x];
    }
    k = run;
    if (k >= e) return NONE;
    u8 c = b[k];
    if (c == '"') {
      if (decode) *length = n;
      return k + 1;
    }
    if (c >= 0x80) {
      u32 after = utf8_sequence(b, k, e);
      if (after == NONE) return NONE;
      if (decode) {
        for (u32 x = k; x < after && n <= MAX_KEY; x++) key_buf[n++] = b[x];
      }
      k = after;
      continue;
    }
    if (c < 0x20) return NONE;
    /* an escape */
    *escaped = 1;
    u8 x = b[k + 1];
    k += 2;
    if (k > e) return NONE;
    int code;
    switch (x) {
      case '"': code = '"'; break;
      case '\\': code = '\\'; break;
      case '/': code = '/'; break;
      case 'b': code = 0x08; break;
      case 'f': code = 0x0c; break;
      case 'n': code = 0x0a; break;
      case 'r': code = 0x0d; break;
      case 't': code = 0x09; break;
      case 'u': {
        code = hex4(b, k, e);
        if (code < 0) return NONE;
        k += 4;
        if (code >= 0xd800 && code <= 0xdbff && k + 1 < e && b[k] == '\\' && b[k + 1] == 'u') {
          int low = hex4(b, k + 2, e);
          if (low >= 0xdc00 && low <= 0xdfff) {
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            k += 6;
          }
        }
        /* a lone surrogate is U+FFFD */
        if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
        break;
      }
      default:
        return NONE;
    }
    if (decode) n = put_code_point(n, (u32)code);
  }
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?: the position after it, or NONE */
static u32 number(const u8 *b, u32 i, u32 e) {
  if (b[i] == '-') i++;
  if (i >= e || !is_digit(b[i])) return NONE;
  if (b[i] == '0') i++;
  else while (i < e && is_digit(b[i])) i++;
  if (i < e && b[i] == '.') {
    i++;
    if (i >= e || !is_digit(b[i])) return NONE;
    while (i < e && is_digit(b[i])) i++;
  }
  if (i < e && (b[i] == 'e' || b[i] == 'E')) {
    i++;
    if (i < e && (b[i] == '+' || b[i] == '-')) i++;
    if (i >= e || !is_digit(b[i])) return NONE;
    while (i < e && is_digit(b[i])) i++;
  }
  return i;
}

static u32 literal(const u8 *b, u32 i, u32 e) {
  const char *word = b[i] == 't' ? "true" : b[i] == 'f' ? "false" : b[i] == 'n' ? "null" : 0;
  if (!word) return NONE;
  u32 k = 0;
  for (; word[k]; k++) {
    if (i + k >= e || b[i + k] != (u8)word[k]) return NONE;
  }
  return i + k;
}

static inline void push(u32 depth, int object) {
  if (object) depth_bits[depth >> 5] |= 1u << (depth & 31);
  else depth_bits[depth >> 5] &= ~(1u << (depth & 31));
}

static inline int is_object(u32 depth) { return (depth_bits[depth >> 5] >> (depth & 31)) & 1; }

/* `"key" :` and whitespace at b[i]: where the member's value starts, or NONE */
static u32 member_key(const u8 *b, u32 i, u32 e) {
  int escaped;
  if (i >= e || b[i] != '"') return NONE;
  i = string(b, i, e, &escaped, 0, 0);
  if (i == NONE) return NONE;
  i = skip_ws(b, i, e);
  if (i >= e || b[i] != ':') return NONE;
  return skip_ws(b, i + 1, e);
}

/* validate and pass over any value at b[i]: the position after it, or NONE */
static u32 skip(const u8 *b, u32 i, u32 e) {
  u32 depth = 0;
  int escaped;
  for (;;) {
    /* a value at i */
    if (i >= e) return NONE;
    u8 c = b[i];
    if (c == '"') i = string(b, i, e, &escaped, 0, 0);
    else if (c == '{' || c == '[') {
      u8 close = c == '{' ? '}' : ']';
      i = skip_ws(b, i + 1, e);
      if (i < e && b[i] == close) {
        i++;
      } else {
        if (depth == MAX_DEPTH) return NONE;
        push(depth++, c == '{');
        if (c == '{' && (i = member_key(b, i, e)) == NONE) return NONE;
        continue;
      }
    } else if (c == '-' || is_digit(c)) i = number(b, i, e);
    else i = literal(b, i, e);
    if (i == NONE) return NONE;
    /* after a value: close containers, or go on to the next member */
    for (;;) {
      if (depth == 0) return i;
      i = skip_ws(b, i, e);
      if (i >= e) return NONE;
      int object = is_object(depth - 1);
      if (b[i] == (object ? '}' : ']')) {
        depth--;
        i++;
        continue;
      }
      if (b[i] != ',') return NONE;
      i = skip_ws(b, i + 1, e);
      if (object && (i = member_key(b, i, e)) == NONE) return NONE;
      break;
    }
  }
}

/* the child of `node` with the key bytes k[0, n), or NONE */
static u32 child_of(u32 node, const u8 *k, u32 n) {
  u32 last = first_child[node] + child_count[node];
  for (u32 c = first_child[node]; c < last; c++) {
    if (child_len[c] != n) continue;
    u32 x = 0;
    while (x < n && child_key[c][x] == k[x]) x++;
    if (x == n) return child_slot[c];
  }
  return NONE;
}

static u32 object(const u8 *b, u32 i, u32 e, u32 node);

/* a value the tree names, at node n: its slot set */
static u32 value(const u8 *b, u32 i, u32 e, u32 n) {
  for (u32 k = 0; k < below_count[n]; k++) out.kind[below[first_below[n] + k]] = ABSENT;
  if (i >= e) return NONE;
  u8 c = b[i];
  if (c == '"') {
    int escaped;
    u32 after = string(b, i, e, &escaped, 0, 0);
    if (after == NONE) return NONE;
    out.kind[n] = STRING;
    out.start[n] = i + 1;
    out.end[n] = after - 1;
    out.flag[n] = (u8)escaped;
    return after;
  }
  if (c == '{' && has_children[n]) {
    out.kind[n] = OBJECT;
    return object(b, i, e, n);
  }
  if (c == '[' && item_of[n] != NONE) {
    out.kind[n] = ARRAY;
    i = skip_ws(b, i + 1, e);
    if (i < e && b[i] == ']') return i + 1;
    i = value(b, i, e, item_of[n]);
    for (;;) {
      if (i == NONE) return NONE;
      i = skip_ws(b, i, e);
      if (i >= e) return NONE;
      if (b[i] == ']') return i + 1;
      if (b[i] != ',') return NONE;
      i = skip(b, skip_ws(b, i + 1, e), e);
    }
  }
  if (c == '-' || is_digit(c)) {
    u32 after = number(b, i, e);
    if (after == NONE) return NONE;
    out.kind[n] = NUMBER;
    out.start[n] = i;
    out.end[n] = after;
    u8 integer = 1;
    for (u32 k = i; k < after; k++) {
      if (b[k] == '.' || b[k] == 'e' || b[k] == 'E') integer = 0;
    }
    out.flag[n] = integer;
    return after;
  }
  out.kind[n] = c == '{' ? OBJECT : c == '[' ? ARRAY : LITERAL;
  return skip(b, i, e);
}

/* the object at b[i] = '{', its members read at `node` (the tree is a few levels deep: so is
   the recursion) */
static u32 object(const u8 *b, u32 i, u32 e, u32 node) {
  i = skip_ws(b, i + 1, e);
  if (i < e && b[i] == '}') return i + 1;
  for (;;) {
    if (i >= e || b[i] != '"') return NONE;
    int escaped;
    u32 after = string(b, i, e, &escaped, 0, 0);
    if (after == NONE) return NONE;
    u32 child;
    if (!escaped) child = child_of(node, b + i + 1, after - i - 2);
    else {
      /* read again, decoded: escapes in keys are rare */
      u32 n = 0;
      string(b, i, e, &escaped, 1, &n);
      child = n <= MAX_KEY ? child_of(node, key_buf, n) : NONE;
    }
    i = skip_ws(b, after, e);
    if (i >= e || b[i] != ':') return NONE;
    i = skip_ws(b, i + 1, e);
    i = child == NONE ? skip(b, i, e) : value(b, i, e, child);
    if (i == NONE) return NONE;
    i = skip_ws(b, i, e);
    if (i >= e) return NONE;
    if (b[i] == ',') {
      i = skip_ws(b, i + 1, e);
      continue;
    }
    return b[i] == '}' ? i + 1 : NONE;
  }
}

/* ---- exports ----------------------------------------------------------------------------- */

/* Room for the tree (json-line.ts encodes it): u32 LE words; keys as u32 length + bytes. */
WASM_EXPORT("json_tree_area") u8 *json_tree_area(void) { return tree_area; }

static u32 word_at(u32 at) { return (u32)tree_area[at] | (u32)tree_area[at + 1] << 8 | (u32)tree_area[at + 2] << 16 | (u32)tree_area[at + 3] << 24; }

/*
 * Read the tree written at json_tree_area (`size` bytes): the slot count, the root's slot, then per slot in
 * order: its item slot (or NONE), whether it has children, their count and each as key, slot;
 * the count of the slots below it and each. Returns 0, or 1 when it does not fit here.
 */
WASM_EXPORT("json_configure")
int json_configure(u32 size) {
  u32 at = 0;
#define WORD(v) do { if (at + 4 > size || size > sizeof tree_area) return 1; (v) = word_at(at); at += 4; } while (0)
  WORD(slot_count);
  WORD(root);
  if (slot_count > MAX_SLOTS || root >= slot_count) return 1;
  u32 children = 0, belows = 0;
  for (u32 s = 0; s < slot_count; s++) {
    u32 flag;
    WORD(item_of[s]);
    if (item_of[s] != NONE && item_of[s] >= slot_count) return 1;
    WORD(flag);
    has_children[s] = (u8)(flag != 0);
    WORD(child_count[s]);
    first_child[s] = children;
    for (u32 c = 0; c < child_count[s]; c++, children++) {
      if (children >= MAX_CHILDREN) return 1;
      WORD(child_len[children]);
      if (child_len[children] > MAX_KEY || at + child_len[children] > size) return 1;
      for (u32 x = 0; x < child_len[children]; x++) child_key[children][x] = tree_area[at + x];
      at += child_len[children];
      WORD(child_slot[children]);
      if (child_slot[children] >= slot_count) return 1;
    }
    WORD(below_count[s]);
    first_below[s] = belows;
    for (u32 k = 0; k < below_count[s]; k++, belows++) {
      u32 slot;
      if (belows >= sizeof below) return 1;
      WORD(slot);
      if (slot >= slot_count) return 1;
      below[belows] = (u8)slot;
    }
  }
#undef WORD
  return at == size ? 0 : 1;
}

WASM_EXPORT("json_slots_area") void *json_slots_area(void) { return &out; }

/*
 * b[0, n): a line (stripped; b[0] is '{'), read at the tree's root. Returns 1 when it
 * is one JSON object (then json_slots_area holds its values), 0 when it is not.
 */
WASM_EXPORT("json_read")
int json_read(const u8 *b, u32 n) {
  for (u32 s = 0; s < slot_count; s++) out.kind[s] = ABSENT;
  if (n == 0 || b[0] != '{') return 0;
  return object(b, 0, n, root) == n;
}
