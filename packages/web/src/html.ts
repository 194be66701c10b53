// The page's chain configuration lives in two meta tags, `intyg-rpc` and `intyg-registry`.

export type PageConfig = { rpcUrl?: string; registry?: string };

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The page's HTML with the meta tags filled in (left empty for what is not given). */
export function fillPageConfig(html: string, config: PageConfig): string {
  return html
    .replace(
      /<meta name="intyg-rpc" content="[^"]*">/,
      `<meta name="intyg-rpc" content="${escapeAttribute(config.rpcUrl ?? "")}">`,
    )
    .replace(
      /<meta name="intyg-registry" content="[^"]*">/,
      `<meta name="intyg-registry" content="${escapeAttribute(config.registry ?? "")}">`,
    );
}
