/**
 * Instants as whole seconds since 1970-01-01T00:00Z (proleptic Gregorian, UTC), and the keys of
 * the time panels. Dates are converted with days_from_civil / civil_from_days (H. Hinnant), which
 * are exact for every year a log can name, before 1970 included.
 */

/** Days since 1970-01-01 of a date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day number: [year, month 1-12, day]. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const two = (n: number): string => String(n).padStart(2, '0');

function dateText(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${String(y).padStart(4, '0')}-${two(m)}-${two(d)}`;
}

/** The `days` key of a day number (whole days since the epoch): `YYYY-MM-DD`. */
export function dayKey(dayNumber: number): string {
  return dateText(dayNumber);
}

/** The `hours` key of an hour number (whole hours since the epoch): `YYYY-MM-DDTHH:00Z`. */
export function hourKey(hourNumber: number): string {
  const days = Math.floor(hourNumber / 24);
  return `${dateText(days)}T${two(hourNumber - days * 24)}:00Z`;
}

export const SECONDS_PER_DAY = 86400;
