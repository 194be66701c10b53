// Helpers shared by the benchmarks: machine description, rate measurement, results and markdown tables.

import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// INTYG_BENCH_RESULTS_DIR: elsewhere than bench/results (`pnpm bench:compare` keeps its runs out of it).
export const RESULTS_DIR = process.env.INTYG_BENCH_RESULTS_DIR ?? path.join(__dirname, "results");

/** What the figures were measured on (the load average tells how busy the shared machine was). */
export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? "unknown",
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Calls `fn` for about `ms` milliseconds (after a short warm-up) and returns the calls per second. */
export async function ratePerSecond(fn: (i: number) => unknown, ms = 1000): Promise<number> {
  for (let i = 0; i < 20; i++) await fn(i);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    await fn(n);
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

/** Milliseconds since `start` (a performance.now() value), one decimal. */
export function since(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

export const round = (value: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Writes bench/results/<name>.json, and <name>.md when given the benchmark's markdown report. */
export function writeResult(name: string, data: unknown, markdown?: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  if (markdown !== undefined) writeFileSync(path.join(RESULTS_DIR, `${name}.md`), `${markdown.trim()}\n`);
  return file;
}

/** Prints markdown as it goes and keeps it, for bench/results/<name>.md (what `pnpm bench` prints last). */
export function createReport(title: string) {
  const m = machine();
  const parts: string[] = [
    `## ${title}`,
    `_${m.cpus} × ${m.model}, Node ${m.node}; load average ${m.loadAverage.join(" / ")} at the end of the run._`,
  ];
  return {
    print(text: string): void {
      console.log(text);
      parts.push(text.trim());
    },
    markdown: (): string => {
      const now = machine();
      parts[1] = `_${now.cpus} × ${now.model}, Node ${now.node}; load average ${now.loadAverage.join(" / ")} at the end of the run._`;
      return parts.join("\n\n");
    },
  };
}

/** A markdown table; numbers right-aligned. */
export function markdownTable(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const align = headers.map((_, i) => (rows.some((r) => typeof r[i] === "number") ? "---:" : "---"));
  const line = (cells: unknown[]) =>
    `| ${cells.map((c) => (c === null || c === undefined ? "-" : c)).join(" | ")} |`;
  return [line(headers), line(align), ...rows.map(line)].join("\n");
}

/** Percentile of already sorted values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** `INTYG_BENCH_QUICK=1` (or `--quick`) skips the 10,000-credential cases. */
export function quickMode(): boolean {
  return process.env.INTYG_BENCH_QUICK === "1" || process.argv.includes("--quick");
}

/**
 * With `INTYG_BENCH_PROFILE=DIR`, records a V8 CPU profile of `fn` (this process only) into
 * DIR/<name>.cpuprofile; read it with `node bench/cpuprofile.mjs FILE`. Otherwise just runs `fn`.
 */
export async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.INTYG_BENCH_PROFILE;
  if (!dir) return fn();
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  try {
    return await fn();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  }
}
