// What a command may touch of the outside world, so that tests can run commands in-process as well.

import { readFile } from "node:fs/promises";

export type CliIo = {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input. */
  readStdin(): Promise<Uint8Array>;
  readFile(path: string): Promise<Uint8Array>;
  env: Record<string, string | undefined>;
  cwd: string;
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
    readFile: async (path) => new Uint8Array(await readFile(path)),
    env: process.env,
    cwd: process.cwd(),
  };
}
