/**
 * The only URLs the app may open in the user's browser: those it links to itself, exactly. A
 * renderer that asks for any other (an injected link, a crafted `window.open`) opens nothing;
 * `shell.openExternal` with an attacker's URL can start other programs (file:, custom schemes)
 * or phish. The app links nowhere outside itself today; add each link here when it does.
 */
export const ALLOWED_EXTERNAL_URLS: ReadonlySet<string> = new Set<string>([]);

export function isAllowedExternalUrl(url: string, allowed: ReadonlySet<string> = ALLOWED_EXTERNAL_URLS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && allowed.has(parsed.href);
}
