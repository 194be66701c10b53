// The CLI as one bundled file (and the verifier's worker thread beside it), so that a command starts in a
// fraction of the time that compiling the TypeScript sources on every run takes (tsx). bin/intyg.js runs the
// bundle only while everything its manifest lists is unchanged (bin/bundle-state.js); `pnpm install`
// builds it, and `pnpm --filter @intyg/cli build` again after a change.

import { existsSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

/** The bundle's files, in the package's `dist` folder. */
export const BUNDLE = { cli: "intyg.cjs", worker: "verifier-worker.cjs", manifest: "manifest.json" } as const;

/** What the bundle depends on (see manifestFiles), each with its size and modification time. */
export type BundleManifest = {
  version: 1;
  /** Paths relative to the package folder, with the size and mtime (ms) each had when it was read. */
  inputs: [file: string, size: number, mtimeMs: number][];
};

export type BuildCliParameters = {
  /** The CLI package's folder (default: this package). */
  packageDir?: string;
  /** Where to write the bundle (default: `dist` in the package folder). */
  outDir?: string;
};

export type BuildCliResult = {
  outDir: string;
  files: string[];
  inputs: number;
  bytes: number;
  /** Inputs changed just before or during the build: no manifest was written, and the CLI runs from source. */
  racy: string[];
};

/** An input changed this recently before the build (or during it) may not be what the bundle holds. */
const RACY_MS = 2_000;

/**
 * Builds the CLI's bundle and, unless a source changed while it was built, its manifest: without one the CLI
 * runs from source.
 */
export async function buildCli(parameters: BuildCliParameters = {}): Promise<BuildCliResult> {
  const packageDir = parameters.packageDir ?? path.resolve(__dirname, "..");
  const outDir = parameters.outDir ?? path.join(packageDir, "dist");
  // A failed or interrupted build leaves no manifest, so no older bundle can pass for current.
  rmSync(path.join(outDir, BUNDLE.manifest), { force: true });
  const started = Date.now();
  const verifierSource = path.dirname(require.resolve("@intyg/verifier", { paths: [packageDir] }));
  const result = await build({
    absWorkingDir: packageDir,
    entryPoints: [
      { in: path.join(packageDir, "src", "main.ts"), out: path.parse(BUNDLE.cli).name },
      { in: path.join(verifierSource, "worker.ts"), out: path.parse(BUNDLE.worker).name },
    ],
    outdir: outDir,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    minify: true,
    // Names kept: error classes are told apart by name, and stack traces stay readable.
    keepNames: true,
    legalComments: "none",
    // The pool starts its worker from the file beside the bundle; tsx is only for running from source.
    define: { INTYG_WORKER_BUNDLE: JSON.stringify(BUNDLE.worker) },
    external: ["tsx", "tsx/*"],
    metafile: true,
    logLevel: "warning",
  });
  const files = manifestFiles(
    packageDir,
    Object.keys(result.metafile.inputs)
      .filter((file) => !file.split(/[\\/]/).includes("node_modules"))
      .map((file) => path.resolve(packageDir, file)),
  );
  const inputs = files.map((file): [string, number, number] => {
    const stat = statSync(file);
    return [path.relative(packageDir, file), stat.size, stat.mtimeMs];
  });
  const outputs = Object.entries(result.metafile.outputs);
  const racy = inputs.filter(([, , mtimeMs]) => mtimeMs >= started - RACY_MS).map(([file]) => file);
  if (racy.length === 0) {
    const manifest: BundleManifest = { version: 1, inputs };
    writeFileSync(path.join(outDir, BUNDLE.manifest), `${JSON.stringify(manifest)}\n`);
  }
  return {
    outDir,
    files: [...outputs.map(([file]) => path.basename(file)), ...(racy.length === 0 ? [BUNDLE.manifest] : [])],
    inputs: inputs.length,
    bytes: outputs.reduce((sum, [, output]) => sum + output.bytes, 0),
    racy,
  };
}

/**
 * What decides the bundle's content besides the source files esbuild read: the folders that hold them (a file
 * added beside one can change what an import finds), every package.json on the way up from them (`exports`), the
 * workspace's tsconfig.json and pnpm-workspace.yaml, and the lockfile (what node_modules holds).
 */
function manifestFiles(packageDir: string, sources: string[]): string[] {
  const files = new Set(sources);
  const root = path.dirname(
    findUp(packageDir, "pnpm-workspace.yaml") ?? findUp(packageDir, "pnpm-lock.yaml") ?? packageDir,
  );
  for (const source of sources) {
    files.add(path.dirname(source));
    for (let dir = path.dirname(source); ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, "package.json"))) files.add(path.join(dir, "package.json"));
      if (dir === root || path.dirname(dir) === dir || !dir.startsWith(root)) break;
    }
  }
  for (const name of ["tsconfig.json", "pnpm-workspace.yaml", "pnpm-lock.yaml", "package.json"]) {
    if (existsSync(path.join(root, name))) files.add(path.join(root, name));
  }
  return [...files].sort();
}

/** The nearest `name` in `dir` or a folder above it. */
function findUp(dir: string, name: string): string | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, name))) return path.join(at, name);
    if (path.dirname(at) === at) return undefined;
  }
}
