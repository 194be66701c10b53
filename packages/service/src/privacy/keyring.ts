// The key-encryption keys (KEKs) that seal each credential's data key. Several may be loaded at once so that
// the KEK can be rotated without downtime: the first is current (new data keys are sealed with it), the others
// only open what they sealed until every data key has been re-sealed with the current one.
//
// Sources, in order: INTYG_KEK (`id:base64key[,id:base64key…]`), a keystore file (INTYG_KEK_FILE, JSON
// `{ "keys": [{ "id", "key" }] }`), or for development a keystore generated once under the data directory.

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { IntygError } from "@intyg/credential/error";

/** One key-encryption key: 32 bytes for AES-256, and the short id stored beside what it sealed. */
export type Kek = { id: string; key: Buffer };

export type Keyring = {
  /** The KEK new data keys are sealed with. */
  current: Kek;
  /** Every loaded KEK by id, the current one included. */
  byId: ReadonlyMap<string, Kek>;
};

/** The keyring could not be loaded: what is wrong, and how to fix it (never the key material). */
export class KeyringError extends IntygError<"service.keyring-invalid"> {
  override name = "KeyringError";
  constructor(message: string) {
    super(message, { code: "service.keyring-invalid" });
  }
}

const KEK_ID = /^[A-Za-z0-9_-]{1,32}$/;

function parseKek(id: string, encoded: string, where: string): Kek {
  if (!KEK_ID.test(id))
    throw new KeyringError(`${where}: the key id "${id.slice(0, 40)}" must be 1–32 letters, digits, - or _`);
  const key = Buffer.from(encoded.trim(), "base64");
  if (key.length !== 32 || key.toString("base64").replace(/=+$/, "") !== encoded.trim().replace(/=+$/, ""))
    throw new KeyringError(
      `${where}: the key "${id}" is not 32 bytes in base64 (make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")`,
    );
  return { id, key };
}

function ring(keks: Kek[], where: string): Keyring {
  if (keks.length === 0) throw new KeyringError(`${where}: no key-encryption key is given`);
  const byId = new Map<string, Kek>();
  for (const kek of keks) {
    if (byId.has(kek.id)) throw new KeyringError(`${where}: the key id "${kek.id}" is given twice`);
    byId.set(kek.id, kek);
  }
  return { current: keks[0]!, byId };
}

/** A keyring from INTYG_KEK's text: `id:base64key`, comma-separated, current first. */
export function keyringFromText(text: string, where = "INTYG_KEK"): Keyring {
  const keks = text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(":");
      if (colon <= 0) throw new KeyringError(`${where}: each key is written id:base64key`);
      return parseKek(entry.slice(0, colon), entry.slice(colon + 1), where);
    });
  return ring(keks, where);
}

/** A keyring from a keystore file: `{ "keys": [{ "id": "…", "key": "base64" }] }`, current first. */
export function keyringFromFile(file: string): Keyring {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new KeyringError(`${file}: the keystore cannot be read as JSON`);
  }
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new KeyringError(`${file}: the keystore has no "keys" list`);
  return ring(
    keys.map((entry: { id?: unknown; key?: unknown }) => {
      if (typeof entry?.id !== "string" || typeof entry.key !== "string")
        throw new KeyringError(`${file}: each key needs a string "id" and "key"`);
      return parseKek(entry.id, entry.key, file);
    }),
    file,
  );
}

/**
 * The development keystore under `dataDir` (created once, readable by its owner only). A production service
 * must be given INTYG_KEK or INTYG_KEK_FILE, kept apart from the database and its backups.
 */
export function developmentKeyring(dataDir: string): Keyring {
  const file = path.join(dataDir, "kek.json");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const keystore = { keys: [{ id: "dev1", key: randomBytes(32).toString("base64") }] };
    writeFileSync(file, `${JSON.stringify(keystore, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  }
  return keyringFromFile(file);
}

/** The keyring the environment names, else the development keystore under `dataDir`. */
export function loadKeyring(env: NodeJS.ProcessEnv, dataDir: string): Keyring {
  if (env.INTYG_KEK) return keyringFromText(env.INTYG_KEK);
  if (env.INTYG_KEK_FILE) return keyringFromFile(env.INTYG_KEK_FILE);
  return developmentKeyring(dataDir);
}

/**
 * Why a store on PostgreSQL is refused without INTYG_KEK or INTYG_KEK_FILE, and how to fix it. A key made on one
 * machine (in memory, or a development keystore on its disk) would seal personal data that is lost when the
 * process or the disk goes, and that another replica on the same database cannot open.
 */
export function missingKekMessage(keystoreDir?: string): string {
  const existing = keystoreDir ? path.join(keystoreDir, "kek.json") : undefined;
  return [
    "No key-encryption key for a PostgreSQL database: set INTYG_KEK or INTYG_KEK_FILE, the same for every process on the database and kept apart from it and its backups.",
    `INTYG_KEK is id:base64key (make one with: node -e "console.log('kek1:' + require('crypto').randomBytes(32).toString('base64'))");`,
    'INTYG_KEK_FILE names a keystore file {"keys":[{"id":"kek1","key":"<32 bytes in base64>"}]}.',
    ...(existing && existsSync(existing)
      ? [
          `A development keystore exists at ${existing}: to keep opening what it sealed, set INTYG_KEK_FILE=${existing}.`,
        ]
      : []),
  ].join(" ");
}

/**
 * The keyring of the service and its tools on their database: INTYG_KEK or INTYG_KEK_FILE; without either, the
 * development keystore beside the embedded database's directory, and for PostgreSQL a KeyringError that says what
 * to set (see {@link missingKekMessage}).
 */
export function serviceKeyring(
  env: NodeJS.ProcessEnv,
  where: { databaseUrl?: string | undefined; dataDir: string },
): Keyring {
  const keystoreDir = path.dirname(path.resolve(where.dataDir));
  if (!env.INTYG_KEK && !env.INTYG_KEK_FILE && where.databaseUrl)
    throw new KeyringError(missingKekMessage(keystoreDir));
  return loadKeyring(env, keystoreDir);
}
