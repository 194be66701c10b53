// What a command may touch of the outside world, so that tests can run commands in-process as well.

import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

export type CliIo = {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input. */
  readStdin(): Promise<Uint8Array>;
  readFile(path: string): Promise<Uint8Array>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whether standard error is a terminal (progress bars redraw in place there). */
  stderrIsTTY?: boolean;
  /** Asks for a secret without echoing it (a terminal), or reads one line of standard input. */
  promptSecret?(question: string): Promise<string>;
  /** Asks a question on standard error and reads one line of standard input (the answer). */
  promptLine?(question: string): Promise<string>;
};

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    // Read synchronously: a command reads its files before it does anything else, and for many small files (a
    // folder of 10,000 credentials) the promise API's open, stat, read and close each through the thread pool
    // took five times as long (0.7 s against 0.15 s). The bytes are taken as they are read, not copied.
    readFile: async (path) => {
      const bytes = readFileSync(path);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY === true,
    promptSecret: (question) => promptSecret(question),
    promptLine: (question) => promptLine(question),
  };
}

/** Reads one line of standard input after writing `question` to standard error. */
function promptLine(question: string): Promise<string> {
  process.stderr.write(question);
  return firstLine();
}

/** The first line of standard input, trimmed; empty when it ends first. */
function firstLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin, terminal: false });
    let answered = false;
    lines.once("line", (line) => {
      answered = true;
      lines.close();
      resolve(line.trim());
    });
    lines.once("close", () => {
      if (!answered) resolve("");
    });
    lines.once("error", reject);
  });
}

/** Reads one line from a terminal without echoing it; from a pipe, reads the first line of standard input. */
function promptSecret(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return firstLine();
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let value = "";
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value.trim());
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        if (char === "\u0003") return finish(new Error("cancelled"));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on("data", onData);
  });
}
