// What the verifier page's first script (early.ts) leaves for its main script: the chain context it asked the
// configured node for, and which node and registry it asked about; and how both scripts read the page's meta tags.

import type { EarlyRead } from "@intyg/verifier/early";

export type PageEarlyRead = { rpcUrl: string; registry: string; read: EarlyRead };

/** The global the first script leaves it under. */
export const EARLY_READ = "__intygEarlyRead";

/** A meta tag's content, trimmed; undefined when it is empty or missing. */
export function meta(name: string): string | undefined {
  const value = document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content.trim();
  return value ? value : undefined;
}
