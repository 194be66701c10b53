// Where an organiser command finds its service and API key: INTYG_URL / INTYG_API_KEY first, then what
// `intyg login` stored in ~/.config/intyg/credentials.json (mode 0600), then the `.intyg/dev.json` that
// `pnpm start` writes for a local development service.

import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import type { Lang } from "@intyg/credential/lang";
import { findDevConfig } from "../config";
import { CliError } from "../errors";
import type { CliIo } from "../io";
import { t } from "../texts";
import { checkServiceUrl, type Session } from "./api";

export type StoredCredentials = { url: string; apiKey: string };

/** `$XDG_CONFIG_HOME/intyg/credentials.json`, by default `~/.config/intyg/credentials.json`. */
export function credentialsPath(io: Pick<CliIo, "env">): string {
  const base = io.env.XDG_CONFIG_HOME || path.join(io.env.HOME || homedir(), ".config");
  return path.join(base, "intyg", "credentials.json");
}

export async function readStoredCredentials(
  io: Pick<CliIo, "env">,
  lang: Lang,
): Promise<StoredCredentials | undefined> {
  const file = credentialsPath(io);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError(t(lang, "session.unreadable", { file, reason: (error as Error).message }));
  }
  try {
    const value = JSON.parse(text) as Partial<StoredCredentials>;
    if (typeof value.url === "string" && typeof value.apiKey === "string") {
      return { url: value.url, apiKey: value.apiKey };
    }
  } catch {
    // fall through
  }
  throw new CliError(t(lang, "session.damaged", { file }));
}

/** Stores the credentials readable by the user alone (directory 0700, file 0600), replacing the file whole. */
export async function storeCredentials(
  io: Pick<CliIo, "env">,
  credentials: StoredCredentials,
): Promise<string> {
  const file = credentialsPath(io);
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return file;
}

/** Removes the stored credentials; says whether there were any. */
export async function removeCredentials(io: Pick<CliIo, "env">): Promise<boolean> {
  const file = credentialsPath(io);
  try {
    await stat(file);
  } catch {
    return false;
  }
  await rm(file, { force: true });
  return true;
}

/** The service and key an organiser command uses, or a usage error saying how to log in. */
export async function resolveSession(io: CliIo, lang: Lang): Promise<Session> {
  const stored = await readStoredCredentials(io, lang);
  const dev = findDevConfig(io.cwd);
  const fromDev = dev?.serviceUrl && dev.apiKey ? { url: dev.serviceUrl, apiKey: dev.apiKey } : undefined;
  const base = stored
    ? { ...stored, source: credentialsPath(io) }
    : fromDev
      ? { ...fromDev, source: dev!.file }
      : undefined;
  const url = io.env.INTYG_URL || base?.url;
  // A stored key is only ever sent to the service it was stored for.
  if (io.env.INTYG_URL && !io.env.INTYG_API_KEY && base && !sameService(base.url, io.env.INTYG_URL)) {
    throw new CliError(t(lang, "session.other-service", { url: base.url }));
  }
  const apiKey = io.env.INTYG_API_KEY || base?.apiKey;
  if (!url || !apiKey) {
    throw new CliError(t(lang, "session.not-logged-in"));
  }
  const source = io.env.INTYG_URL || io.env.INTYG_API_KEY ? "environment" : base!.source;
  return { url: checkServiceUrl(lang, url), apiKey, source };
}

function sameService(a: string, b: string): boolean {
  try {
    return checkServiceUrl("en", a) === checkServiceUrl("en", b);
  } catch {
    return false;
  }
}
