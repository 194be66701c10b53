// Enforces the coverage floor of the registry: 100% of lines, at least 95% of branches.
import { readFileSync } from "node:fs";

const LINES = 100;
const BRANCHES = 95;
const summary = JSON.parse(readFileSync("coverage/coverage-summary.json", "utf8")).total;
const lines = summary.lines.pct;
const branches = summary.branches.pct;
console.log(
  `solidity coverage: lines ${lines}% (floor ${LINES}%), branches ${branches}% (floor ${BRANCHES}%)`,
);
if (lines < LINES || branches < BRANCHES) {
  console.error("coverage below the floor");
  process.exit(1);
}
