// `pnpm bench:compare REV`: the issuance benchmark of this checkout against the same benchmark of an earlier
// commit, in one run on one machine: the two alternate (the order flips every round, so a slow spell of the
// machine falls on both), and each round gives the ratio of this checkout to REV. Absolute times on a shared
// 2-core machine move with its load; the ratios of one run, and their median, are what to read.
//
//   pnpm bench:compare 7dfdfbd                      (4 rounds, both stores)
//   pnpm bench:compare 7dfdfbd --rounds 6 --stores pglite
//
// REV is checked out (detached) under .intyg/compare/<commit>, installed offline from the pnpm store and
// compiled once; later runs reuse it. Each round runs `bench/issuance.ts` in quick mode (1,000 credentials in
// bulk over HTTP until anchored, then single-credential requests for INTYG_BENCH_LOAD_SECONDS, default 3) and
// reads the figures the benchmark prints; this checkout's results go to a scratch directory, not bench/results.
// The table is written to bench/results/compare-issuance.md.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const rev = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
if (!rev) {
  console.error("usage: pnpm bench:compare REV [--rounds N] [--stores pglite,postgres]");
  console.error("  REV: the commit to compare this checkout with, e.g. main~3 or a commit hash");
  process.exit(2);
}
const rounds = Number(option("rounds", "4"));
const stores = option("stores", "pglite,postgres").split(",");
if (!Number.isInteger(rounds) || rounds < 1 || stores.some((s) => s !== "pglite" && s !== "postgres")) {
  console.error("--rounds must be a whole number ≥ 1 and --stores a comma list of pglite and postgres");
  process.exit(2);
}

const git = (...a) =>
  execFileSync("git", a, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
let commit;
try {
  commit = git("rev-parse", "--verify", `${rev}^{commit}`);
} catch {
  console.error(`"${rev}" is not a commit of this repository (try a hash from git log)`);
  process.exit(2);
}
const head = `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain") ? "+changes" : ""}`;
const baseDir = path.join(root, ".intyg", "compare", commit.slice(0, 12));

function run(cmd, cmdArgs, cwd) {
  const result = spawnSync(cmd, cmdArgs, { cwd, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(" ")} failed in ${cwd}`);
}

if (!existsSync(path.join(baseDir, "node_modules"))) {
  console.log(`Preparing ${commit.slice(0, 12)} in ${path.relative(root, baseDir)} (once)…`);
  if (!existsSync(baseDir)) {
    mkdirSync(path.dirname(baseDir), { recursive: true });
    git("worktree", "add", "--detach", baseDir, commit);
  }
  const offline = spawnSync("pnpm", ["install", "--frozen-lockfile", "--offline"], {
    cwd: baseDir,
    stdio: "inherit",
  });
  if (offline.status !== 0) run("pnpm", ["install", "--frozen-lockfile"], baseDir);
  run("pnpm", ["run", "compile"], baseDir);
}

const scratch = mkdtempSync(path.join(os.tmpdir(), "intyg-compare-"));

/** One quick issuance benchmark in `dir` for `store`: the bulk and singles figures it printed. */
function bench(dir, store) {
  const result = spawnSync("node", ["--expose-gc", "--import", "tsx", "bench/issuance.ts"], {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      INTYG_BENCH_QUICK: "1",
      INTYG_BENCH_STORES: store,
      INTYG_BENCH_LOAD_SECONDS: process.env.INTYG_BENCH_LOAD_SECONDS ?? "3",
      INTYG_BENCH_RESULTS_DIR: scratch,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = (label) => {
    const found = result.stdout.split("\n").find((l) => l.startsWith(`${store} ${label}: `));
    return found ? JSON.parse(found.slice(found.indexOf("{"))) : null;
  };
  const bulk = line("bulk 1000");
  const singles = line("singles");
  if (result.status !== 0 || !bulk || !singles) {
    process.stderr.write(result.stdout.slice(-4000) + result.stderr.slice(-4000));
    throw new Error(`the issuance benchmark failed in ${dir} (${store})`);
  }
  return {
    cpuMs: bulk.processCpuMs,
    anchoredMs: bulk.anchoredMs,
    singlesPerSecond: singles.requestsPerSecond,
  };
}

const rows = [];
for (let r = 1; r <= rounds; r++) {
  for (const store of stores) {
    const order = r % 2 === 1 ? ["base", "head"] : ["head", "base"];
    const got = {};
    for (const which of order) got[which] = bench(which === "base" ? baseDir : root, store);
    const row = {
      round: r,
      store,
      base: got.base,
      head: got.head,
      cpu: got.head.cpuMs / got.base.cpuMs,
      anchored: got.head.anchoredMs / got.base.anchoredMs,
      singles: got.head.singlesPerSecond / got.base.singlesPerSecond,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f2 = (x) => x.toFixed(2);
const lines = [
  `## Issuance: ${head} against ${commit.slice(0, 12)}`,
  "",
  `_${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ")} at the end; ${rounds} rounds, alternating._`,
  "",
  "Bulk: 1,000 credentials over HTTP until anchored, CPU of the service process (lower is better). Singles:",
  "requests per second under 10 connections (higher is better). A ratio is this checkout over the base.",
  "",
  "| round | store | bulk CPU base (ms) | bulk CPU this (ms) | × CPU | anchored × | singles/s base | singles/s this | × singles |",
  "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.round} | ${r.store} | ${r.base.cpuMs} | ${r.head.cpuMs} | ${f2(r.cpu)} | ${f2(r.anchored)} | ${r.base.singlesPerSecond} | ${r.head.singlesPerSecond} | ${f2(r.singles)} |`,
  ),
  ...stores.map((store) => {
    const of = rows.filter((r) => r.store === store);
    return `| median | ${store} | | | ${f2(median(of.map((r) => r.cpu)))} | ${f2(median(of.map((r) => r.anchored)))} | | | ${f2(median(of.map((r) => r.singles)))} |`;
  }),
];
const report = lines.join("\n");
console.log(`\n${report}`);
writeFileSync(path.join(root, "bench", "results", "compare-issuance.md"), `${report}\n`);
