// Reads a V8 .cpuprofile (node --cpu-prof) and prints the top frames by self time and by total time,
// optionally only the samples taken between two marks of the profile's own clock.
//   node bench/cpuprofile.mjs PROFILE.cpuprofile [top=30] [filter-substring]
import { readFileSync } from "node:fs";

const [file, topArg, filter] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/cpuprofile.mjs PROFILE.cpuprofile [top] [filter]");
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const counts = new Map();
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  counts.set(id, (counts.get(id) ?? 0) + dt);
});
const total = [...counts.values()].reduce((a, b) => a + b, 0);

const label = (n) => {
  const f = n.callFrame;
  const url = f.url
    .replace(/^file:\/\//, "")
    .replace(/.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, "~/");
  const short = url.replace(/^.*\/(packages|bench)\//, "$1/");
  return `${f.functionName || "(anonymous)"} ${short}:${f.lineNumber + 1}`;
};

const self = new Map();
const inclusive = new Map();
for (const [id, us] of counts) {
  const n = nodes.get(id);
  const l = label(n);
  self.set(l, (self.get(l) ?? 0) + us);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const cl = label(nodes.get(cur));
    if (seen.has(cl)) continue;
    seen.add(cl);
    inclusive.set(cl, (inclusive.get(cl) ?? 0) + us);
  }
}
const show = (title, map) => {
  console.log(`\n## ${title} (total ${(total / 1000).toFixed(0)} ms)`);
  const rows = [...map]
    .filter(([l]) => !filter || l.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  for (const [l, us] of rows) {
    console.log(
      `${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${l}`,
    );
  }
};
show("self", self);
show("total", inclusive);
