// Builds the pages (`@intyg/web/build`; the package's build, which `pnpm install` runs; never a server): esbuild
// bundles src/page/main.ts (the verifier page, with @intyg/verifier and its dependencies), src/holder/main.ts
// (the holder page) and src/organiser/main.ts (the organiser app) for the browser, each into one script next to
// its HTML and CSS, in dist/.

import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_OUT_DIR } from "./assets";
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
const HOLDER_DIR = path.join(__dirname, "holder");
const ORGANISER_DIR = path.join(__dirname, "organiser");
const BASE_CSS = path.join(__dirname, "base.css");

/** A page's stylesheet as served: the rules every page shares, then the page's own. */
async function writeStylesheet(source: string, target: string): Promise<void> {
  const [base, own] = await Promise.all([readFile(BASE_CSS, "utf8"), readFile(source, "utf8")]);
  await writeFile(target, `${base}\n${own}`);
}

/**
 * zod's namespace re-exports its error messages in some sixty languages and a JSON Schema reader, which tree
 * shaking cannot drop. The pages never show zod's messages (the verifier words its own, in Swedish and English)
 * nor read JSON Schema, so only the English table (zod's default) is bundled, and `z.fromJSONSchema` throws. A
 * third of the verifier page's script otherwise.
 */
const zodTrimmed: import("esbuild").Plugin = {
  name: "zod-trimmed",
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      resolveDir: path.dirname(args.path),
      loader: "js",
    }));
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]classic[\\/]from-json-schema\.js$/ }, () => ({
      contents:
        'export function fromJSONSchema() { throw new Error("z.fromJSONSchema is not part of this bundle"); }\n',
      loader: "js",
    }));
  },
};

/**
 * The pages hash one credential, not thousands, and their Content-Security-Policy does not allow compiling
 * WebAssembly ('wasm-unsafe-eval'): the format's WebAssembly Keccak is left out and js-sha3 (the same digests)
 * does the hashing, with no refused compilation to report.
 */
const wasmHashingLeftOut: import("esbuild").Plugin = {
  name: "wasm-hashing-left-out",
  setup(build) {
    build.onResolve({ filter: /^hash-wasm$/ }, () => ({ path: "hash-wasm", namespace: "left-out" }));
    build.onLoad({ filter: /.*/, namespace: "left-out" }, () => ({
      contents:
        'export function createKeccak() { return Promise.reject(new Error("WebAssembly hashing is not part of this bundle")); }\n',
      loader: "js",
    }));
  },
};

export async function buildWeb(options: BuildWebOptions = {}): Promise<BuildWebResult> {
  const { build } = await import("esbuild");
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  await mkdir(outDir, { recursive: true });
  const common: import("esbuild").BuildOptions = {
    bundle: true,
    format: "iife",
    platform: "browser",
    target: ["es2022"],
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: "none",
    // Swedish texts as UTF-8, not \u escapes (the pages are served as UTF-8).
    charset: "utf8",
    metafile: true,
    logLevel: "warning",
    define: { "process.env.NODE_ENV": '"production"', global: "globalThis" },
    plugins: [zodTrimmed, wasmHashingLeftOut],
  };
  // The holder page, served by the service at /holder/<token> with its files under /assets/.
  await build({
    ...common,
    entryPoints: [path.join(HOLDER_DIR, "main.ts")],
    outfile: path.join(outDir, "holder.js"),
  });
  await writeFile(
    path.join(outDir, "holder.html"),
    fillPageConfig(await readFile(path.join(HOLDER_DIR, "index.html"), "utf8"), options.config ?? {}),
  );
  await writeStylesheet(path.join(HOLDER_DIR, "holder.css"), path.join(outDir, "holder.css"));
  // The organiser app, served by the service at /organiser with its files under /organiser/.
  await build({
    ...common,
    entryPoints: [path.join(ORGANISER_DIR, "main.ts")],
    outfile: path.join(outDir, "organiser.js"),
  });
  await copyFile(path.join(ORGANISER_DIR, "index.html"), path.join(outDir, "organiser.html"));
  await writeStylesheet(path.join(ORGANISER_DIR, "organiser.css"), path.join(outDir, "organiser.css"));
  const result = await build({
    ...common,
    entryPoints: [path.join(PAGE_DIR, "main.ts")],
    outfile: path.join(outDir, "verify.js"),
  });
  const html = await readFile(path.join(PAGE_DIR, "index.html"), "utf8");
  await writeFile(path.join(outDir, "index.html"), fillPageConfig(html, options.config ?? {}));
  await writeStylesheet(path.join(PAGE_DIR, "verify.css"), path.join(outDir, "verify.css"));
  const outputs = result.metafile?.outputs ?? {};
  const scriptBytes = outputs[Object.keys(outputs)[0]!]?.bytes ?? 0;
  return {
    outDir,
    files: [
      "index.html",
      "verify.css",
      "verify.js",
      "holder.html",
      "holder.css",
      "holder.js",
      "organiser.html",
      "organiser.css",
      "organiser.js",
    ],
    scriptBytes,
  };
}
