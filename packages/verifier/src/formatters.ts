// The `Intl` formatters reports use (times in Swedish time, calendar days, spans of days, numbers, lists), each
// made once. A module of its own, without the texts, so that a page can make them before its verifier has loaded.

import type { Lang } from "./types";

export const LOCALE: Record<Lang, string> = { sv: "sv-SE", en: "en-GB" };
/** The locale of `lang`; English for anything else a caller from JavaScript may pass. */
const localeOf = (lang: Lang): string => LOCALE[lang] ?? LOCALE.en;
/** The time zone times are given in. */
export const ZONE = "Europe/Stockholm";

const intlCache = new Map<string, unknown>();

/**
 * An `Intl` formatter, made once per kind, locale and options: making one costs a hundred times more than using
 * it, and a run of 1,000 credentials formats the same few dates thousands of times.
 */
export function cachedIntl<T, O>(make: new (locale: string, options: O) => T, locale: string, options: O): T {
  const key = `${make.name}|${locale}|${JSON.stringify(options)}`;
  let formatter = intlCache.get(key) as T | undefined;
  if (formatter === undefined) {
    formatter = new make(locale, options);
    intlCache.set(key, formatter);
  }
  return formatter;
}

/** Date and time in Swedish time ("12 maj 2026 kl. 10:00"). */
export const timeFormatter = (lang: Lang): Intl.DateTimeFormat =>
  cachedIntl(Intl.DateTimeFormat, localeOf(lang), {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: ZONE,
  });

/** A calendar date, kept as written. */
export const dayFormatter = (lang: Lang): Intl.DateTimeFormat =>
  cachedIntl(Intl.DateTimeFormat, localeOf(lang), { dateStyle: "long", timeZone: "UTC" });

/** Days for a span ("23–25 maj 2026"), in `timeZone`. */
export const rangeFormatter = (lang: Lang, timeZone: string): Intl.DateTimeFormat =>
  cachedIntl(Intl.DateTimeFormat, localeOf(lang), {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone,
  });

export const numberFormatter = (lang: Lang): Intl.NumberFormat =>
  cachedIntl(Intl.NumberFormat, localeOf(lang), { maximumFractionDigits: 2 });

export const listFormatter = (lang: Lang): Intl.ListFormat =>
  cachedIntl(Intl.ListFormat, localeOf(lang), { type: "conjunction" as const });

/**
 * Makes the formatters a report in `lang` uses ahead of time, for a caller with time to spare, such as while the
 * node answers. The first costs most (a tenth of a second on a phone: the time zone's and the locale's data,
 * which the engine then keeps for every later formatter, in any script of the page).
 */
export function prepareFormatters(lang: Lang): void {
  timeFormatter(lang);
  dayFormatter(lang);
  rangeFormatter(lang, "UTC");
  numberFormatter(lang);
  listFormatter(lang);
}
