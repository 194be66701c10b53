// Reading credential files in a thread of the pool (Node only). A run of many files is read by the threads that
// verify it, each reading the files of the chunks it takes, so that no thread waits while one reads them all.

import { readFileSync } from "node:fs";
import { CredentialFileError } from "./errors";

/**
 * The bytes of each file, in order. Read synchronously: for many small files, the promise API's open, stat, read
 * and close each through the thread pool take several times as long, and a thread has nothing else to do meanwhile.
 * Throws {@link CredentialFileError} for the first file that cannot be read.
 */
export function readCredentialFiles(files: readonly string[]): Uint8Array[] {
  return files.map((file) => {
    try {
      const bytes = readFileSync(file);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      throw new CredentialFileError(file, { cause: error });
    }
  });
}
