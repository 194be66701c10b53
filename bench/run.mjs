// `pnpm bench [name…]`: runs the benchmarks (all, or those named), each writing bench/results/<name>.json,
// then prints one markdown summary of every result file. Benchmarks, not tests: nothing fails on a slow machine.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const benches = {
  gas: ["npx", ["hardhat", "run", "scripts/bench-gas.ts"]],
  growth: ["node", ["--expose-gc", "--import", "tsx", "bench/growth.ts"]],
  issuance: ["node", ["--expose-gc", "--import", "tsx", "bench/issuance.ts"]],
  verification: ["node", ["--expose-gc", "--import", "tsx", "bench/verification.ts"]],
  phone: ["node", ["--import", "tsx", "bench/phone.ts"]],
};
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(benches);
let failed = 0;
for (const name of wanted) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(benches).join(", ")}`);
    process.exit(2);
  }
  const script = bench[1].at(-1);
  if (!existsSync(path.join(root, script))) {
    console.log(`\n## ${name}: not present (${script})`);
    continue;
  }
  console.log(`\n## ${name}\n`);
  const result = spawnSync(bench[0], bench[1], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) failed++;
}
// The markdown report of every benchmark (this run's, or an earlier run's where one was not run now).
console.log("\n# Results (bench/results/*.md)\n");
for (const name of Object.keys(benches)) {
  const file = path.join(root, "bench", "results", `${name}.md`);
  if (existsSync(file)) console.log(`${readFileSync(file, "utf8").trim()}\n`);
  else console.log(`## ${name}\n\nNo results yet: run \`pnpm bench ${name}\`.\n`);
}
process.exitCode = failed ? 1 : 0;
