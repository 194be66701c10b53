// Entry point of bin/intyg.js.

import { processIo } from "./io";
import { runProgram } from "./program";

export function main(argv: readonly string[] = process.argv): Promise<number> {
  return runProgram(argv, processIo());
}
