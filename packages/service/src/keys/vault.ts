// Organisation keys at rest: each private key is encrypted with a data key of its own, and the data key sealed
// by the key-encryption key (INTYG_KEK, or its keystore file), both bound to the key's row. The database alone —
// a dump, a backup, a replica — holds nothing that signs. An HSM or KMS fits behind the same Signer interface:
// a signer whose signTypedData and signTransaction call it, registered as an external key by address.

import { randomUUID } from "node:crypto";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { ServiceError, SignerError } from "../errors";
import {
  decryptText,
  encryptText,
  newDataKey,
  openDataKey,
  resealDataKey,
  sealDataKey,
} from "../privacy/envelope";
import type { Keyring } from "../privacy/keyring";
import { privateKeySigner, type Signer } from "../signer";
import type { NewOrganisationKey, OrganisationKeyRecord, OrganisationKeyRole } from "../store/store";

/** What an organisation key's data key is sealed under: bound to its row. */
export const organisationKeyAad = (id: string) => `organisation-key:${id}`;
const aadOf = organisationKeyAad;

/** A new key for `organisationId`, generated here and returned only in its encrypted form with its address. */
export function generateOrganisationKey(
  keyring: Keyring,
  organisationId: string,
  role: OrganisationKeyRole,
): NewOrganisationKey & { id: string } {
  const id = randomUUID();
  const privateKey = generatePrivateKey();
  const dataKey = newDataKey();
  const sealed = sealPrivateKey(keyring, id, privateKey, dataKey);
  dataKey.fill(0);
  return {
    id,
    organisationId,
    role,
    address: privateKeyToAccount(privateKey).address,
    custody: "service",
    ...sealed,
  };
}

/** An existing private key (e.g. one the organisation brings), encrypted for the row `id`. */
export function sealPrivateKey(
  keyring: Keyring,
  id: string,
  privateKey: Hex,
  dataKey: Buffer = newDataKey(),
): { sealedDataKey: string; encryptedKey: string } {
  const aad = aadOf(id);
  return {
    sealedDataKey: sealDataKey(keyring, dataKey, aad),
    encryptedKey: encryptText(dataKey, privateKey, `${aad}|private-key`),
  };
}

/** The signer of a key the service holds (decrypted in memory only). */
export function openOrganisationKey(keyring: Keyring, key: OrganisationKeyRecord): Signer {
  if (key.custody !== "service" || !key.sealedDataKey || !key.encryptedKey)
    throw new ServiceError("key.not-held", { address: key.address });
  const aad = aadOf(key.id);
  const dataKey = openDataKey(keyring, key.sealedDataKey, aad);
  try {
    const signer = privateKeySigner(decryptText(dataKey, key.encryptedKey, `${aad}|private-key`));
    if (signer.address.toLowerCase() !== key.address.toLowerCase())
      throw new SignerError(`the key stored for ${key.address} opens to another address`);
    return { ...signer, kind: "organisation-key" };
  } finally {
    dataKey.fill(0);
  }
}

/** The key's data key sealed with the current KEK (rotation); unchanged when it already is. */
export function resealOrganisationKey(keyring: Keyring, key: OrganisationKeyRecord): string | null {
  return key.sealedDataKey ? resealDataKey(keyring, key.sealedDataKey, aadOf(key.id)) : null;
}
