// The two languages every text of Intyg is written in, and how a request or a locale names one. Every package
// takes `Lang` from here, so a third language would be added in one place.

/** A language of Intyg's texts. */
export type Lang = "sv" | "en";

export const LANGS: readonly Lang[] = ["sv", "en"];

export function isLang(value: unknown): value is Lang {
  return value === "sv" || value === "en";
}

/**
 * The language an HTTP `Accept-Language` header prefers among Swedish and English: the supported language with
 * the highest weight (the first listed on a tie), or `fallback` when it names neither.
 */
export function acceptLanguageLang(header: string | null | undefined, fallback: Lang): Lang {
  let best: { lang: Lang; q: number } | null = null;
  for (const entry of (header ?? "").split(",")) {
    const [tag = "", ...params] = entry.trim().toLowerCase().split(";");
    const primary = tag.trim().split("-")[0];
    if (!isLang(primary)) continue;
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = weight === undefined ? 1 : Number(weight.slice(2));
    if (Number.isFinite(q) && q > 0 && (best === null || q > best.q)) best = { lang: primary, q };
  }
  return best?.lang ?? fallback;
}
