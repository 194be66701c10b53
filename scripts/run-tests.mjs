// Runs every test of every part, as CI does, and ends with one line "N passed, N failed".
// Each step's own output streams through; mocha's summary lines are counted, and lint and
// typecheck steps count as one test each.
// Every service the steps start also logs to .intyg/test-logs/ (INTYG_LOG_DIR, one file per process named
// after its step); the last step scans those logs for secrets and personal data (scripts/log-scan.ts).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const only = process.argv.slice(2);
const logDir = path.join(root, ".intyg", "test-logs");
/** Steps that start services, and so must leave logs behind. */
const LOGGING_STEPS = ["service", "cli"];

/** @type {{ name: string, cmd: string, args: string[], cwd: string, kind: "mocha" | "check" }[]} */
const steps = [
  // Compiling first gives typecheck the typechain types and packages/registry a fresh artifact to compare.
  { name: "compile", cmd: "pnpm", args: ["run", "compile:check"], cwd: root, kind: "check" },
  { name: "lint", cmd: "pnpm", args: ["run", "lint"], cwd: root, kind: "check" },
  { name: "typecheck", cmd: "pnpm", args: ["run", "typecheck"], cwd: root, kind: "check" },
  { name: "contracts", cmd: "pnpm", args: ["run", "coverage"], cwd: root, kind: "mocha" },
  // The repository's own tooling (scripts/), tested from the root so that no package reaches into it.
  {
    name: "scripts",
    cmd: "pnpm",
    args: ["exec", "mocha", "-r", "tsx/cjs", "--timeout", "60000", "test/scripts/**/*.test.ts"],
    cwd: root,
    kind: "mocha",
  },
];
for (const dir of readdirSync(path.join(root, "packages")).sort()) {
  const pkgPath = path.join(root, "packages", dir, "package.json");
  if (!existsSync(pkgPath)) continue;
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8"));
  if (pkg.scripts?.test) {
    steps.push({ name: dir, cmd: "pnpm", args: ["run", "test"], cwd: path.dirname(pkgPath), kind: "mocha" });
  }
}

const selected = steps.filter((step) => only.length === 0 || only.includes(step.name));
const ranLogging = selected.filter((step) => LOGGING_STEPS.includes(step.name)).map((step) => step.name);
// The scan runs after any step that starts services (or alone, on the logs of an earlier run).
if (ranLogging.length > 0 || only.includes("log-scan")) {
  selected.push({
    name: "log-scan",
    cmd: "pnpm",
    args: [
      "exec",
      "tsx",
      "scripts/log-scan.ts",
      logDir,
      "--min-lines",
      String(200 * Math.max(1, ranLogging.length)),
      ...(ranLogging.length > 0 ? ["--expect", ranLogging.join(",")] : []),
    ],
    cwd: root,
    kind: "check",
  });
}
if (ranLogging.length > 0) {
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
}

/** Runs a step; its output streams through, or with `buffered` is printed whole when the step ends. */
function run(step, buffered) {
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, {
      cwd: step.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        INTYG_LOG_DIR: logDir,
        INTYG_LOG_NAME: step.name,
        INTYG_LOG_FILE_LEVEL: process.env.INTYG_LOG_FILE_LEVEL || "debug",
      },
    });
    let out = "";
    const tee = (stream, sink) =>
      stream.on("data", (chunk) => {
        out += chunk;
        if (!buffered) sink.write(chunk);
      });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    const started = Date.now();
    if (!buffered) console.log(`\n=== ${step.name} ===`);
    child.on("close", (code) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      if (buffered) process.stdout.write(`\n=== ${step.name} ===\n${out}`);
      console.log(`=== ${step.name}: ${seconds} s ===`);
      resolve({ code: code ?? 1, out });
    });
  });
}

let passed = 0;
let failed = 0;
const summary = [];

function count(step, { code, out }) {
  if (step.kind === "check") {
    if (code === 0) passed += 1;
    else failed += 1;
    summary.push(`${step.name}: ${code === 0 ? "ok" : "FAILED"}`);
    return;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
  const plain = out.replace(/\u001b\[[0-9;]*m/g, "");
  const passing = [...plain.matchAll(/^\s*(\d+) passing/gm)].reduce((n, m) => n + Number(m[1]), 0);
  const failing = [...plain.matchAll(/^\s*(\d+) failing/gm)].reduce((n, m) => n + Number(m[1]), 0);
  passed += passing;
  failed += failing;
  // A step that failed without a mocha failure (a crash, a coverage threshold) counts as one failure.
  const extra = code !== 0 && failing === 0 ? 1 : 0;
  failed += extra;
  summary.push(
    `${step.name}: ${passing} passing, ${failing + extra} failing${code !== 0 ? ` (exit ${code})` : ""}`,
  );
}

// The service's suite, the longest by far, mostly waits on its chains, databases and timers: it runs beside the
// other steps (whose output is printed whole as each ends), once compiling has made the artifacts both use.
// INTYG_TEST_SERIAL=1 runs every step in turn instead.
const serial = process.env.INTYG_TEST_SERIAL === "1";
const first = selected.filter((step) => step.name === "compile");
const last = selected.filter((step) => step.name === "log-scan");
const beside = serial ? [] : selected.filter((step) => step.name === "service");
const rest = selected.filter(
  (step) => !first.includes(step) && !last.includes(step) && !beside.includes(step),
);
const inTurn = async (steps, buffered) => {
  for (const step of steps) count(step, await run(step, buffered));
};
await inTurn(first, false);
await Promise.all([inTurn(beside, false), inTurn(rest, beside.length > 0)]);
await inTurn(last, false);
console.log(`\n${summary.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
