// Envelope encryption of personal data at rest: each credential's personal data is encrypted with its own
// data key (AES-256-GCM), and the data key is stored sealed by a key-encryption key. Destroying the sealed data
// key makes every copy of the ciphertext — dead tuples, WAL, replicas, backups — unreadable at once.
//
// Formats (text, so they fit any column): a sealed data key is `k1.<kek id>.<iv>.<ciphertext+tag>` and a
// ciphertext `c1.<iv>.<ciphertext+tag>`, base64url parts. Each is bound by AES-GCM's associated data to what it
// belongs to (a credential id and a purpose), so a value copied onto another row does not decrypt there.

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { IntygError } from "@intyg/credential/error";
import type { Keyring } from "./keyring";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A value cannot be opened: the wrong key, another row's value, or damaged. Says nothing of the content. */
export class EnvelopeError extends IntygError<"service.envelope-invalid"> {
  override name = "EnvelopeError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: "service.envelope-invalid", cause: options.cause });
  }
}

const b64 = (bytes: Buffer) => bytes.toString("base64url");
const unb64 = (text: string) => Buffer.from(text, "base64url");

function seal(key: Buffer, plaintext: Buffer, aad: string): [string, string] {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return [b64(iv), b64(body)];
}

function open(key: Buffer, iv: string, body: string, aad: string): Buffer {
  const bytes = unb64(body);
  const nonce = unb64(iv);
  if (nonce.length !== IV_BYTES || bytes.length < TAG_BYTES)
    throw new EnvelopeError("Damaged encrypted value");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, nonce);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch (cause) {
    throw new EnvelopeError("The encrypted value does not open with this key for this record", { cause });
  }
}

/** A fresh random data key (32 bytes). */
export function newDataKey(): Buffer {
  return randomBytes(32);
}

/** The data key sealed with the keyring's current KEK, bound to `aad` (e.g. `credential:<id>`). */
export function sealDataKey(keyring: Keyring, dataKey: Buffer, aad: string): string {
  const [iv, body] = seal(keyring.current.key, dataKey, `data-key|${aad}`);
  return `k1.${keyring.current.id}.${iv}.${body}`;
}

/** The id of the KEK that sealed a data key (to find the ones a rotation still has to re-seal). */
export function sealedWith(sealed: string): string | undefined {
  const parts = sealed.split(".");
  return parts.length === 4 && parts[0] === "k1" ? parts[1] : undefined;
}

/** Opens a sealed data key with whichever loaded KEK sealed it. */
export function openDataKey(keyring: Keyring, sealed: string, aad: string): Buffer {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== "k1") throw new EnvelopeError("Not a sealed data key");
  const kek = keyring.byId.get(parts[1]!);
  if (!kek)
    throw new EnvelopeError(`The key-encryption key "${parts[1]}" that sealed this data key is not loaded`);
  const key = open(kek.key, parts[2]!, parts[3]!, `data-key|${aad}`);
  if (key.length !== 32) throw new EnvelopeError("Damaged data key");
  return key;
}

/** Re-seals a data key with the current KEK (KEK rotation); the data it encrypts is untouched. */
export function resealDataKey(keyring: Keyring, sealed: string, aad: string): string {
  if (sealedWith(sealed) === keyring.current.id) return sealed;
  return sealDataKey(keyring, openDataKey(keyring, sealed, aad), aad);
}

/** Encrypts text with a data key, bound to `aad` (e.g. `credential:<id>|document`). */
export function encryptText(dataKey: Buffer, plaintext: string, aad: string): string {
  const [iv, body] = seal(dataKey, Buffer.from(plaintext, "utf8"), aad);
  return `c1.${iv}.${body}`;
}

/** Encrypts bytes with a data key, bound to `aad`; the same `c1.` format as {@link encryptText}. */
export function encryptBytes(dataKey: Buffer, plaintext: Buffer, aad: string): string {
  const [iv, body] = seal(dataKey, plaintext, aad);
  return `c1.${iv}.${body}`;
}

/** Decrypts what {@link encryptBytes} made with the same data key and `aad`. */
export function decryptBytes(dataKey: Buffer, ciphertext: string, aad: string): Buffer {
  const parts = ciphertext.split(".");
  if (parts.length !== 3 || parts[0] !== "c1") throw new EnvelopeError("Not an encrypted value");
  return open(dataKey, parts[1]!, parts[2]!, aad);
}

/** Decrypts what {@link encryptText} made with the same data key and `aad`. */
export function decryptText(dataKey: Buffer, ciphertext: string, aad: string): string {
  const parts = ciphertext.split(".");
  if (parts.length !== 3 || parts[0] !== "c1") throw new EnvelopeError("Not an encrypted value");
  return open(dataKey, parts[1]!, parts[2]!, aad).toString("utf8");
}
