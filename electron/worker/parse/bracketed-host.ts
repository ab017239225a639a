/**
 * urllib's check of a bracketed host in an authority (CPython 3.11 `_check_bracketed_host`):
 * valid when it is an IPvFuture literal (v<hex>.<anything>) or an IPv6 address as
 * `ipaddress.ip_address` reads it (an IPv4 address in brackets is invalid).
 */

const HEX = /^[0-9a-fA-F]{1,4}$/;
const IPV_FUTURE = /^v[a-fA-F0-9]+\.[^\n]+$/;

export function isValidBracketedHost(host: string): boolean {
  if (host.startsWith('v')) return IPV_FUTURE.test(host) && !host.endsWith('\n');
  return !isIPv4(host) && isIPv6(host);
}

export function isIPv4(s: string): boolean {
  if (s.length === 0 || s.includes('/')) return false;
  const octets = s.split('.');
  if (octets.length !== 4) return false;
  return octets.every((o) => {
    if (o.length === 0 || o.length > 3 || !/^[0-9]+$/.test(o)) return false;
    if (o !== '0' && o[0] === '0') return false;
    return Number(o) <= 255;
  });
}

export function isIPv6(s: string): boolean {
  if (s.includes('/')) return false;
  const pct = s.indexOf('%');
  let addr = s;
  if (pct >= 0) {
    const scope = s.slice(pct + 1);
    if (scope.length === 0 || scope.includes('%')) return false;
    addr = s.slice(0, pct);
  }
  if (addr.length === 0) return false;
  const parts = addr.split(':');
  if (parts.length < 3) return false;
  const last = parts[parts.length - 1]!;
  if (last.includes('.')) {
    if (!isIPv4(last)) return false;
    parts.pop();
    parts.push('0', '0'); // two hextets; their values do not matter for validity
  }
  if (parts.length > 9) return false;
  let skip = -1;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] === '') {
      if (skip >= 0) return false;
      skip = i;
    }
  }
  let hi: number;
  let lo: number;
  if (skip >= 0) {
    hi = skip;
    lo = parts.length - skip - 1;
    if (parts[0] === '') {
      hi -= 1;
      if (hi) return false;
    }
    if (parts[parts.length - 1] === '') {
      lo -= 1;
      if (lo) return false;
    }
    if (8 - (hi + lo) < 1) return false;
  } else {
    if (parts.length !== 8 || parts[0] === '' || parts[parts.length - 1] === '') return false;
    hi = parts.length;
    lo = 0;
  }
  for (let i = 0; i < hi; i++) if (!HEX.test(parts[i]!)) return false;
  for (let i = parts.length - lo; i < parts.length; i++) if (!HEX.test(parts[i]!)) return false;
  return true;
}
