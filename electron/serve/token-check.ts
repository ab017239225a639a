/**
 * The session token, compared in constant time. `timingSafeEqual` throws when the two buffers
 * differ in length, and a string of the right length in characters can differ in bytes (any
 * non-ASCII character), so lengths are compared in bytes first.
 */
import { timingSafeEqual } from 'node:crypto';

export function tokenMatcher(token: string): (given: string | null | undefined) => boolean {
  const expected = Buffer.from(token, 'utf8');
  return (given) => {
    if (typeof given !== 'string') return false;
    const actual = Buffer.from(given, 'utf8');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
}
