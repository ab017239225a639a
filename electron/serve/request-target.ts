/**
 * The target of an HTTP request, read without throwing: `new URL` rejects some request targets
 * (`http://[zz/`) and `decodeURIComponent` rejects malformed escapes (`/%ff`). Either is a 400,
 * never an exception out of the handler.
 */
export interface RequestTarget {
  pathname: string;
  searchParams: URLSearchParams;
}

export function parseRequestTarget(raw: string | undefined, base: string): RequestTarget | undefined {
  if (raw === undefined || raw.length === 0 || raw.length > 8192) return undefined;
  try {
    const url = new URL(raw, base);
    return { pathname: url.pathname, searchParams: url.searchParams };
  } catch {
    return undefined;
  }
}

/** A path segment's percent-escapes decoded, or undefined when they are not valid UTF-8. */
export function decodePathname(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}
