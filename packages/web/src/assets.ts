// The built page, for the service to serve at /verify (and for static hosting).

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_OUT_DIR } from "./build";
import { fillPageConfig, type PageConfig } from "./html";

/** The files of the page and their content types. `index.html` links `verify.css` and `verify.js` relatively. */
export const WEB_ASSETS = {
  "index.html": "text/html; charset=utf-8",
  "verify.css": "text/css; charset=utf-8",
  "verify.js": "text/javascript; charset=utf-8",
} as const;

export type WebAssetName = keyof typeof WEB_ASSETS;

/** The directory with the built page (`pnpm --filter @intyg/web build`). */
export function webAssetsDir(): string {
  return DEFAULT_OUT_DIR;
}

function read(name: WebAssetName): string {
  const file = path.join(webAssetsDir(), name);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm --filter @intyg/web build\``);
  return readFileSync(file, "utf8");
}

/** Builds the page into {@link webAssetsDir} unless it is there already (for a service starting from source). */
export async function ensureWebBuilt(): Promise<string> {
  const dir = webAssetsDir();
  if (!Object.keys(WEB_ASSETS).every((name) => existsSync(path.join(dir, name)))) {
    const { buildWeb } = await import("./build");
    await buildWeb();
  }
  return dir;
}

/** The contents of one built file. */
export function webAsset(name: WebAssetName): string {
  return read(name);
}

/**
 * The page as one self-contained HTML document (CSS and script inlined) with the chain configured: what the
 * service returns for GET /verify. Throws when the page has not been built.
 */
export function verifyPageHtml(config: PageConfig = {}): string {
  const html = fillPageConfig(read("index.html"), config);
  const css = read("verify.css");
  const script = read("verify.js").replace(/<\/script/gi, "<\\/script");
  return html
    .replace('<link rel="stylesheet" href="verify.css">', () => `<style>\n${css}</style>`)
    .replace('<script src="verify.js"></script>', () => `<script>\n${script}</script>`);
}
