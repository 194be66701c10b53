// Builds the pages (`@intyg/web/build`; the package's build, which `pnpm install` runs; never a server): esbuild
// bundles src/page/main.ts (the verifier page, with @intyg/verifier and its dependencies), src/holder/main.ts
// (the holder page) and src/organiser/main.ts (the organiser app) for the browser, each into one script next to
// its HTML and CSS, in dist/. What the verifier page's first verdict does not need is built apart, as ES
// modules the page imports on first use (LAZY_MODULES).

import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_OUT_DIR, type VerifyLazyModule } from "./assets";
import { fillPageConfig, type PageConfig } from "./html";

export type BuildWebOptions = {
  /** Where to write the page (default: packages/web/dist). */
  outDir?: string;
  /** Minify the script (default true). */
  minify?: boolean;
  /** Chain to read, written into the page's meta tags (for a static site); the service may set it per request. */
  config?: PageConfig;
};

export type BuildWebResult = {
  outDir: string;
  files: string[];
  scriptBytes: number;
  /** esbuild's account of the verifier page's script: which inputs it holds, and how many bytes of each. */
  metafile: import("esbuild").Metafile;
};

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
 * zod's namespace re-exports its error messages in some sixty languages, a JSON Schema reader and writer and a
 * schema compiler, which tree shaking cannot drop. The pages never show zod's messages (the verifier words its
 * own, in Swedish and English), never read or write JSON Schema and never compile a schema, so only the English
 * table (zod's default) is bundled, and `z.fromJSONSchema`, `toJSONSchema` and `z.compile` throw. A third of the
 * verifier page's script otherwise; the writer and the compiler were another 40 KB.
 */
/**
 * A module whose functions throw, whose method factories make methods that throw when called (zod makes some
 * while reading a schema's properties), and whose classes cannot be made: what the pages never use of a library,
 * kept out of their scripts.
 */
function stubModule(
  what: string,
  parts: { functions?: string[]; factories?: string[]; classes?: string[]; extra?: string },
): string {
  const fail = `throw new Error("${what} is not part of this bundle")`;
  return [
    ...(parts.functions ?? []).map((name) => `export function ${name}() { ${fail}; }`),
    ...(parts.factories ?? []).map((name) => `export const ${name} = () => () => { ${fail}; };`),
    ...(parts.classes ?? []).map(
      (name) => `export class ${name} extends Error { constructor() { super(); ${fail}; } }`,
    ),
    parts.extra ?? "",
  ].join("\n");
}

/**
 * zod's JSON Schema processors (one per schema type, all attached to every schema for `toJSONSchema`) without
 * the processors: what the module holds before them is kept as it is, `aggregateChecks` among it (a string
 * schema's `minLength`, `maxLength` and `format` read it), and each processor, `allProcessors` and
 * `toJSONSchema` are replaced by ones that throw. Found by name in zod's own file, so a processor zod adds is
 * stubbed too; a file whose layout this does not recognise fails the build rather than being half-trimmed.
 */
function jsonSchemaProcessorsTrimmed(source: string): string {
  const end = source.search(/^const formatMap = /m);
  const processors = [...source.matchAll(/^export const (\w+Processor) = /gm)].map((match) => match[1]!);
  if (
    end < 0 ||
    !/^export function aggregateChecks\(/m.test(source.slice(0, end)) ||
    processors.length === 0
  ) {
    throw new Error(
      "zod's json-schema-processors.js is not laid out as expected: update jsonSchemaProcessorsTrimmed",
    );
  }
  return [
    source.slice(0, end),
    stubModule("toJSONSchema", {
      factories: [],
      functions: ["toJSONSchema"],
      extra: [
        ...processors.map(
          (name) =>
            `export const ${name} = () => { throw new Error("toJSONSchema is not part of this bundle"); };`,
        ),
        `export const allProcessors = {};`,
      ].join("\n"),
    }),
  ].join("\n");
}

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
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]to-json-schema\.js$/ }, () => ({
      contents: stubModule("toJSONSchema", {
        functions: ["initializeContext", "handleUnrepresentable", "processSchema", "extractDefs", "finalize"],
        factories: ["createToJSONSchemaMethod", "createStandardJSONSchemaMethod"],
        extra: "export { processSchema as process };",
      }),
      loader: "js",
    }));
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]json-schema-generator\.js$/ }, () => ({
      contents: stubModule("JSONSchemaGenerator", { classes: ["JSONSchemaGenerator"] }),
      loader: "js",
    }));
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]json-schema-processors\.js$/ }, async (args) => ({
      contents: jsonSchemaProcessorsTrimmed(await readFile(args.path, "utf8")),
      resolveDir: path.dirname(args.path),
      loader: "js",
    }));
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]compile\.js$/ }, () => ({
      // The parser recognises a compiled validator by this symbol (zod's own parse.js mirrors it).
      contents: stubModule("z.compile", {
        functions: ["compile", "withParser", "compileFn"],
        classes: ["ZodCompileAsyncError", "ZodCompileUnsupportedError"],
        extra: 'export const INVALID = Symbol.for("zod.compile.invalid");',
      }),
      loader: "js",
    }));
  },
};

/**
 * The verifier page's modules that are not in its script but imported by it on first use, each built on its own
 * (they share no code with the page) next to verify.js: source under src/page, and the file it is served as.
 * A phone waits for every byte of verify.js before its verdict; jsQR alone was a sixth of it.
 */
export const LAZY_MODULES = {
  "./qr": "verify-qr.js",
  "./qr-image": "verify-qr-image.js",
} as const satisfies Record<string, VerifyLazyModule>;

/** The page imports each lazy module by its served name, relative to its own script (kept out of the bundle). */
const lazyModules: import("esbuild").Plugin = {
  name: "lazy-modules",
  setup(build) {
    build.onResolve({ filter: /^\.\/qr(-image)?$/ }, (args) => {
      const served = LAZY_MODULES[args.path as keyof typeof LAZY_MODULES];
      if (args.kind !== "dynamic-import" || !served) return undefined;
      return { path: `./${served}`, external: true };
    });
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
    plugins: [...(common.plugins ?? []), lazyModules],
    // V8's explicit compile hint (Chromium 136 and later; others read a comment): every function is compiled
    // while the script streams in, off the main thread, instead of on its first call. Nearly all of the
    // script runs before the first verdict, and compiling it lazily took a third of a throttled phone's
    // main-thread time to the verdict.
    banner: { js: "//# allFunctionsCalledOnLoad" },
  });
  // Its first script, loaded `async` from the head: the chain context asked for while verify.js downloads.
  await build({
    ...common,
    entryPoints: [path.join(PAGE_DIR, "early.ts")],
    outfile: path.join(outDir, "verify-early.js"),
  });
  for (const [source, served] of Object.entries(LAZY_MODULES)) {
    await build({
      ...common,
      format: "esm",
      entryPoints: [path.join(PAGE_DIR, `${source}.ts`)],
      outfile: path.join(outDir, served),
    });
  }
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
      "verify-early.js",
      ...Object.values(LAZY_MODULES),
      "holder.html",
      "holder.css",
      "holder.js",
      "organiser.html",
      "organiser.css",
      "organiser.js",
    ],
    scriptBytes,
    metafile: result.metafile!,
  };
}
