// ISO 8601 UTC timestamps as the credential uses them, and their unix seconds.

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?Z$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for a UTC date-time such as `2026-05-12T08:00:00Z` (optionally with milliseconds) that exists. */
export function isIsoDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return isRealDate(year, month, day) && hour < 24 && minute < 60 && second < 60;
}

/** True for a calendar date such as `2026-05-12` that exists. */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  return isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** A date as the credential writes it: UTC, whole seconds, e.g. `2026-05-12T08:00:00Z`. */
export function toIsoSeconds(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("Invalid date");
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The unix seconds of an ISO date-time (milliseconds are dropped). */
export function isoToUnixSeconds(iso: string): bigint {
  const ms = Date.parse(iso);
  if (!isIsoDateTime(iso) || Number.isNaN(ms)) throw new RangeError("Invalid ISO 8601 date-time");
  return BigInt(Math.floor(ms / 1000));
}

/** The start of a calendar day (`2026-05-12`) or a date-time, in milliseconds since the epoch. */
export function dateOrDateTimeToMillis(value: string): number {
  return Date.parse(isIsoDate(value) ? `${value}T00:00:00Z` : value);
}
