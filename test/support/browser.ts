/** Debian's Chromium through playwright-core (no browser download), or the reason it is missing. */
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';

export const CHROMIUM = process.env.LOGPOOL_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const noBrowser = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does)`;

/** Where tests leave screenshots for people to look at. */
export function screenshotPath(name: string): string {
  const dir = path.join(__dirname, '..', '..', '..', 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
