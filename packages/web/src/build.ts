// Builds the page: esbuild bundles src/page/main.ts (with @intyg/verifier and its dependencies) for the
// browser into one script, next to the HTML and CSS, in dist/.

import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fillPageConfig, type PageConfig } from "./html";

export type BuildWebOptions = {
  /** Where to write the page (default: packages/web/dist). */
  outDir?: string;
  /** Minify the script (default true). */
  minify?: boolean;
  /** Chain to read, written into the page's meta tags (for a static site); the service may set it per request. */
  config?: PageConfig;
};

export type BuildWebResult = { outDir: string; files: string[]; scriptBytes: number };

const PAGE_DIR = path.join(__dirname, "page");

/** The default output directory, which {@link webAssetsDir} serves from. */
export const DEFAULT_OUT_DIR = path.join(__dirname, "..", "dist");

export async function buildWeb(options: BuildWebOptions = {}): Promise<BuildWebResult> {
  const { build } = await import("esbuild");
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [path.join(PAGE_DIR, "main.ts")],
    outfile: path.join(outDir, "verify.js"),
    bundle: true,
    format: "iife",
    platform: "browser",
    target: ["es2022"],
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
    define: { "process.env.NODE_ENV": '"production"', global: "globalThis" },
  });
  const html = await readFile(path.join(PAGE_DIR, "index.html"), "utf8");
  await writeFile(path.join(outDir, "index.html"), fillPageConfig(html, options.config ?? {}));
  await copyFile(path.join(PAGE_DIR, "verify.css"), path.join(outDir, "verify.css"));
  const scriptBytes = result.metafile.outputs[Object.keys(result.metafile.outputs)[0]!]!.bytes;
  return { outDir, files: ["index.html", "verify.css", "verify.js"], scriptBytes };
}
