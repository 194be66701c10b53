// The built page, for the service to serve at /verify (and for static hosting).

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fillPageConfig, holderPageCsp, organiserPageCsp, type PageConfig, verifyPageCsp } from "./html";

/**
 * The files of the page and their content types. `index.html` links `verify.css` and `verify.js` relatively;
 * `verify.js` imports the `verify-*.js` modules from its own directory when a reader first needs them.
 */
export const WEB_ASSETS = {
  "index.html": "text/html; charset=utf-8",
  "verify.css": "text/css; charset=utf-8",
  "verify.js": "text/javascript; charset=utf-8",
  "verify-early.js": "text/javascript; charset=utf-8",
  "verify-qr.js": "text/javascript; charset=utf-8",
  "verify-qr-image.js": "text/javascript; charset=utf-8",
  "holder.html": "text/html; charset=utf-8",
  "holder.css": "text/css; charset=utf-8",
  "holder.js": "text/javascript; charset=utf-8",
  "organiser.html": "text/html; charset=utf-8",
  "organiser.css": "text/css; charset=utf-8",
  "organiser.js": "text/javascript; charset=utf-8",
} as const;

export type WebAssetName = keyof typeof WEB_ASSETS;

/** The modules the verifier page imports on first use (from next to its script): QR reading and drawing. */
export const VERIFY_LAZY_MODULES = ["verify-qr.js", "verify-qr-image.js"] as const;

export type VerifyLazyModule = (typeof VERIFY_LAZY_MODULES)[number];

/** Where the build writes the pages, and where {@link webAssetsDir} serves them from. */
export const DEFAULT_OUT_DIR = path.join(__dirname, "..", "dist");

/** The directory with the built pages (`pnpm --filter @intyg/web build`, run by `pnpm install`). */
export function webAssetsDir(): string {
  return DEFAULT_OUT_DIR;
}

/** Whether every file of the pages has been built. */
export function webBuilt(): boolean {
  return Object.keys(WEB_ASSETS).every((name) => existsSync(path.join(webAssetsDir(), name)));
}

function read(name: WebAssetName): string {
  const file = path.join(webAssetsDir(), name);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm --filter @intyg/web build\``);
  return readFileSync(file, "utf8");
}

/** The contents of one built file. */
export function webAsset(name: WebAssetName): string {
  return read(name);
}

/**
 * The page's HTML with the chain configured, linking its script and style sheet under `assetBase` (default
 * relative: `verify.css`, `verify.js`). The service serves it at /verify with `assetBase` "/verify/" and the
 * policy of {@link verifyPageCsp}; the page has no inline script, so that policy can forbid them. Throws when
 * the page has not been built.
 */
export function verifyPageHtml(config: PageConfig = {}, options: { assetBase?: string } = {}): string {
  const html = fillPageConfig(read("index.html"), config);
  const base = options.assetBase ?? "";
  return html
    .replace(
      '<link rel="stylesheet" href="verify.css">',
      () => `<link rel="stylesheet" href="${base}verify.css">`,
    )
    .replace(
      '<script src="verify-early.js" async></script>',
      () => `<script src="${base}verify-early.js" async></script>`,
    )
    .replace('<script src="verify.js"></script>', () => `<script src="${base}verify.js"></script>`);
}

/**
 * The page as a server serves it: HTML linking its script and style under one path, and the policy for it; the
 * verifier page also has the modules its script imports on first use, to serve next to the script by name.
 */
export type ServedVerifyPage = {
  html: string;
  script: string;
  style: string;
  csp: string;
  modules?: Readonly<Partial<Record<VerifyLazyModule, string>>>;
  /** The verifier page's first script (`verify-early.js`, next to its script): reads the chain context early. */
  early?: string;
};

/**
 * Everything a server needs to serve the page at a path (default `/verify`, its files at `/verify/verify.js`,
 * `/verify/verify.css` and `/verify/verify-qr.js`…), configured with the chain and with the
 * Content-Security-Policy to send with it.
 */
export function servedVerifyPage(config: PageConfig, options: { assetBase?: string } = {}): ServedVerifyPage {
  return {
    html: verifyPageHtml(config, { assetBase: options.assetBase ?? "/verify/" }),
    script: read("verify.js"),
    style: read("verify.css"),
    csp: verifyPageCsp(config),
    modules: Object.fromEntries(VERIFY_LAZY_MODULES.map((name) => [name, read(name)])),
    early: read("verify-early.js"),
  };
}

/**
 * The holder page as a server serves it at `/holder/<token>`: HTML linking its script and style under
 * `assetBase` (default `/assets/`), with the registry and chain id in its meta tags (for the wallet), and the
 * Content-Security-Policy to send with it. The page reads its own URL as JSON (same origin) for the credential.
 */
export function servedHolderPage(
  config: Pick<PageConfig, "registry" | "chainId">,
  options: { assetBase?: string } = {},
): ServedVerifyPage {
  const base = options.assetBase ?? "/assets/";
  const html = fillPageConfig(read("holder.html"), config)
    .replace(
      '<link rel="stylesheet" href="holder.css">',
      () => `<link rel="stylesheet" href="${base}holder.css">`,
    )
    .replace('<script src="holder.js"></script>', () => `<script src="${base}holder.js"></script>`);
  return { html, script: read("holder.js"), style: read("holder.css"), csp: holderPageCsp() };
}

/**
 * The organiser web app as a server serves it at `/organiser`: HTML linking its script and style under
 * `assetBase` (default `/organiser/`), and its policy. It needs no chain configuration: it talks only to the
 * service's own API, with the session cookie.
 */
export function servedOrganiserPage(options: { assetBase?: string } = {}): ServedVerifyPage {
  const base = options.assetBase ?? "/organiser/";
  const html = read("organiser.html")
    .replace(
      '<link rel="stylesheet" href="organiser.css">',
      () => `<link rel="stylesheet" href="${base}organiser.css">`,
    )
    .replace('<script src="organiser.js"></script>', () => `<script src="${base}organiser.js"></script>`);
  return { html, script: read("organiser.js"), style: read("organiser.css"), csp: organiserPageCsp() };
}
