/**
 * Shell-style name patterns (*, ?, [abc], [a-z], [!abc]) matched against a file's base name,
 * in time linear in the name for a given pattern. (A regular expression built from the pattern
 * backtracks: `*a*a*a*a*a*a*a*a*a*a*c` against a 40-character name once blocked the process for
 * 77 s, deaf to SIGTERM.) Greedy matching that remembers only the last `*` is exact for these
 * patterns: a later `*` can absorb anything an earlier one could.
 */

export type NameMatcher = (name: string) => boolean;

type Token =
  | { t: 'star' }
  | { t: 'any' }
  | { t: 'char'; c: number }
  | { t: 'class'; negate: boolean; singles: Set<number>; ranges: Array<[number, number]> };

function compile(glob: string): Token[] {
  const cps = Array.from(glob, (c) => c.codePointAt(0)!);
  const out: Token[] = [];
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (c === 0x2a /* * */) {
      if (out[out.length - 1]?.t !== 'star') out.push({ t: 'star' });
    } else if (c === 0x3f /* ? */) out.push({ t: 'any' });
    else if (c === 0x5b /* [ */) {
      // as fnmatch: a ']' right after '[' or '[!' is a member; no closing ']' means a literal '['
      let j = i + 1;
      const negate = cps[j] === 0x21; /* ! */
      if (negate) j++;
      const bodyStart = j;
      if (cps[j] === 0x5d) j++;
      while (j < cps.length && cps[j] !== 0x5d) j++;
      if (j >= cps.length) {
        out.push({ t: 'char', c });
        continue;
      }
      const body = cps.slice(bodyStart, j);
      const singles = new Set<number>();
      const ranges: Array<[number, number]> = [];
      for (let k = 0; k < body.length; k++) {
        if (k + 2 < body.length && body[k + 1] === 0x2d /* - */) {
          ranges.push([body[k]!, body[k + 2]!]);
          k += 2;
        } else singles.add(body[k]!);
      }
      out.push({ t: 'class', negate, singles, ranges });
      i = j;
    } else out.push({ t: 'char', c });
  }
  return out;
}

function matchesOne(token: Token, c: number): boolean {
  switch (token.t) {
    case 'any':
      return true;
    case 'char':
      return token.c === c;
    case 'class': {
      const inside = token.singles.has(c) || token.ranges.some(([lo, hi]) => c >= lo && c <= hi);
      return inside !== token.negate;
    }
    case 'star':
      return false;
  }
}

export function globMatcher(glob: string): NameMatcher {
  const tokens = compile(glob);
  return (name) => {
    const s = Array.from(name, (c) => c.codePointAt(0)!);
    let ti = 0;
    let si = 0;
    let starTi = -1;
    let starSi = 0;
    while (si < s.length) {
      const token = tokens[ti];
      if (token && token.t === 'star') {
        starTi = ti++;
        starSi = si;
      } else if (token && matchesOne(token, s[si]!)) {
        ti++;
        si++;
      } else if (starTi >= 0) {
        // let the last star take one more character, and retry what follows it
        ti = starTi + 1;
        si = ++starSi;
      } else return false;
    }
    while (tokens[ti]?.t === 'star') ti++;
    return ti === tokens.length;
  };
}

export function nameMatcher(patterns: readonly string[]): NameMatcher {
  const matchers = patterns.map(globMatcher);
  return (name) => matchers.some((m) => m(name));
}
