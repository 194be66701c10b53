// A progress bar on standard error. On a terminal it redraws one line in place (at most ten times a
// second); elsewhere (a log, CI) it writes a line when the label changes and at each quarter, so that logs
// stay short. Standard output is left alone for results.

import type { CliIo } from "../io";

const WIDTH = 30;

export type Progress = {
  /** Sets the count done (of `total`, when known) and optionally a new label. */
  update(done: number, total?: number, label?: string): void;
  /** Draws the final state and ends the line. */
  finish(label?: string): void;
};

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function progressBar(
  io: Pick<CliIo, "stderr" | "stderrIsTTY">,
  label: string,
  total?: number,
  options: { now?: () => number; quiet?: boolean } = {},
): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  let current = { done: 0, total, label };
  let lastDraw = 0;
  let lastPrinted = "";
  let finished = false;
  const tty = io.stderrIsTTY === true;
  let spin = 0;

  const render = () => {
    const { done, total: of, label: text } = current;
    const elapsed = seconds(now() - started);
    if (of && of > 0) {
      const ratio = Math.min(1, done / of);
      const filled = Math.round(ratio * WIDTH);
      const bar = `${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}`;
      return `${text} [${bar}] ${String(Math.floor(ratio * 100)).padStart(3)} % ${done}/${of} ${elapsed}`;
    }
    // Unknown total: a block that moves back and forth.
    const pos = spin % (2 * (WIDTH - 4));
    const at = pos < WIDTH - 4 ? pos : 2 * (WIDTH - 4) - pos;
    const bar = `${"░".repeat(at)}████${"░".repeat(WIDTH - 4 - at)}`;
    return `${text} [${bar}] ${elapsed}`;
  };

  const plain = () => {
    const { done, total: of, label: text } = current;
    const elapsed = seconds(now() - started);
    return of && of > 0
      ? `${text}: ${done}/${of} (${Math.floor(Math.min(1, done / of) * 100)} %) ${elapsed}`
      : `${text} … ${elapsed}`;
  };

  const draw = (force: boolean) => {
    if (options.quiet) return;
    if (tty) {
      const t = now();
      if (!force && t - lastDraw < 100) return;
      lastDraw = t;
      io.stderr(`\r\u001b[2K${render()}`);
      return;
    }
    // Not a terminal: one plain line per new label or quarter, never the same one twice.
    const quarter = current.total
      ? Math.floor((4 * Math.min(current.done, current.total)) / current.total)
      : -1;
    const key = `${current.label}|${quarter}|${current.total ?? ""}`;
    if (key !== lastPrinted) {
      lastPrinted = key;
      io.stderr(`${plain()}\n`);
    }
  };

  draw(true);
  return {
    update(done, of, text) {
      if (finished) return;
      spin += 1;
      current = { done, total: of ?? current.total, label: text ?? current.label };
      draw(false);
    },
    finish(text) {
      if (finished) return;
      finished = true;
      current = {
        done: current.total ?? current.done,
        total: current.total,
        label: text ?? current.label,
      };
      if (options.quiet) return;
      if (tty) io.stderr(`\r\u001b[2K${render()}\n`);
      else draw(false);
    },
  };
}
