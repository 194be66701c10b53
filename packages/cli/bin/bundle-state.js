// Whether the CLI's bundle (dist/, written by src/build.ts) may run: it exists and every entry of its manifest
// (the workspace files it was built from, the folders that hold them, the package.json files above them,
// tsconfig.json, pnpm-workspace.yaml and the lockfile) has the size and modification time it had then. Anything else (no bundle, a
// file changed, moved or gone, a manifest that cannot be read) means running from the sources, which are
// always current. Plain JavaScript: it runs before anything can compile TypeScript.

const { readFileSync, statSync } = require("node:fs");
const path = require("node:path");

/**
 * @param {string} packageDir the CLI package's folder
 * @param {string} [distDir] where the bundle is (default: `dist` in the package folder)
 * @returns {{ fresh: true, bundle: string } | { fresh: false, reason: string }}
 */
function bundleState(packageDir, distDir = path.join(packageDir, "dist")) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(distDir, "manifest.json"), "utf8"));
  } catch {
    return { fresh: false, reason: "no bundle has been built" };
  }
  if (manifest?.version !== 1 || !Array.isArray(manifest.inputs) || manifest.inputs.length === 0) {
    return { fresh: false, reason: "the bundle's manifest is not one this version reads" };
  }
  for (const input of manifest.inputs) {
    if (!Array.isArray(input) || typeof input[0] !== "string") {
      return { fresh: false, reason: "the bundle's manifest is damaged" };
    }
    const [file, size, mtimeMs] = input;
    let stat;
    try {
      stat = statSync(path.resolve(packageDir, file));
    } catch {
      return { fresh: false, reason: `${file} is gone since the bundle was built` };
    }
    if (stat.size !== size || stat.mtimeMs !== mtimeMs) {
      return { fresh: false, reason: `${file} changed since the bundle was built` };
    }
  }
  const bundle = path.join(distDir, "intyg.cjs");
  try {
    statSync(bundle);
    statSync(path.join(distDir, "verifier-worker.cjs"));
  } catch {
    return { fresh: false, reason: "the bundle's files are missing" };
  }
  return { fresh: true, bundle };
}

module.exports = { bundleState };
