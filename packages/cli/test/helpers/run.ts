// Runs `intyg` in-process (runProgram with a captured io) — the same code path as bin/intyg.js, without the
// seconds a new Node process takes to load TypeScript from source.

import { readFile } from "node:fs/promises";
import type { CliIo } from "../../src/io";
import { runProgram } from "../../src/program";

export type Run = { code: number; stdout: string; stderr: string };

export type RunOptions = {
  env?: Record<string, string | undefined>;
  cwd: string;
  stdin?: string;
  /** What a hidden prompt answers (as if typed). */
  secret?: string;
  /** What a confirmation question is answered (no answer given: there is no one to ask). */
  answer?: string;
};

export async function intyg(args: string[], options: RunOptions): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => new TextEncoder().encode(options.stdin ?? ""),
    readFile: async (path) => new Uint8Array(await readFile(path)),
    env: { ...options.env },
    cwd: options.cwd,
    stderrIsTTY: false,
    ...(options.secret !== undefined ? { promptSecret: async () => options.secret! } : {}),
    ...(options.answer !== undefined
      ? {
          promptLine: async (question: string) => {
            stderr += question;
            return options.answer!;
          },
        }
      : {}),
  };
  const code = await runProgram(["node", "intyg", ...args], io);
  return { code, stdout, stderr };
}
