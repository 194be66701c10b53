// The page's configuration lives in three meta tags, `intyg-rpc`, `intyg-registry` and `intyg-chain-id`, filled
// in by whoever serves the page (the service, or a static build). Nothing else configures it: the page never
// reads a chain, node or registry from its own URL.

export type PageConfig = { rpcUrl?: string; registry?: string; chainId?: number };

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function setMeta(html: string, name: string, value: string | undefined): string {
  return html.replace(
    new RegExp(`<meta name="${name}" content="[^"]*">`),
    `<meta name="${name}" content="${escapeAttribute(value ?? "")}">`,
  );
}

/** The page's HTML with the meta tags filled in (left empty for what is not given). */
export function fillPageConfig(html: string, config: PageConfig): string {
  let out = setMeta(html, "intyg-rpc", config.rpcUrl);
  out = setMeta(out, "intyg-registry", config.registry);
  return setMeta(out, "intyg-chain-id", config.chainId === undefined ? undefined : String(config.chainId));
}

/** The origin of an http(s) URL, or undefined for anything else (which the policy then does not allow). */
function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Content-Security-Policy to serve the page with: its own script and style files only (no inline script),
 * and network reads only from its own origin and the configured node, so that nothing injected into the page
 * could reach another node or send a credential away. The camera preview needs `media-src blob: mediastream:`
 * and QR images `img-src data: blob:`.
 */
export function verifyPageCsp(config: Pick<PageConfig, "rpcUrl">): string {
  const node = originOf(config.rpcUrl);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self'${node ? ` ${node}` : ""}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The policy of the holder page: its own script and style only, images (QR codes) from its origin, network reads
 * only from its own origin (the credential, links, vouchers); a wallet talks to its node itself.
 */
export function holderPageCsp(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The policy of the organiser app: its own script and style only, network reads and writes only to its own
 * origin (the service's API), no forms posted anywhere (the script sends every request), no framing.
 */
export function organiserPageCsp(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
