import { hkdfSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Address, Hex, LocalAccount, SignableMessage, TransactionSerializable } from "viem";
import { isHex } from "viem";
import { privateKeyToAccount, toAccount } from "viem/accounts";
import { SignerError } from "../errors";

/**
 * What the service needs from a signing key: its address, EIP-712 signatures (credentials, batch roots,
 * issue requests, claim vouchers) and transaction signatures (the key sends `createEvent` and `anchorBatch`).
 * A private key in the environment and an encrypted keystore implement it here; a KMS or HSM can implement it
 * elsewhere. Implementations never expose the key material.
 */
export interface Signer {
  readonly address: Address;
  /** A short label for logs ("env", "keystore", "kms:…"): never the key. */
  readonly kind: string;
  /** viem's own signature of it, so a viem account is a signer and a signer a viem account, without casts. */
  signTypedData: LocalAccount["signTypedData"];
  signTransaction(transaction: TransactionSerializable): Promise<Hex>;
  signMessage(parameters: { message: SignableMessage }): Promise<Hex>;
  /**
   * A signer of its own for `label`, derived one-way from this key (HKDF-SHA-256): the relayer gives each
   * organisation a sending account of its own this way. Absent where the key cannot leave its store (KMS, HSM).
   */
  derive?(label: string): Signer;
}

/** The order of secp256k1: a private key is in [1, n). */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** A private key derived from `privateKey` for `label`; a different key for every label, none revealing it. */
function derivedKey(privateKey: Hex, label: string): Hex {
  for (let round = 0; ; round++) {
    const bytes = Buffer.from(
      hkdfSync(
        "sha256",
        Buffer.from(privateKey.slice(2), "hex"),
        "intyg-derived-key",
        `${label}#${round}`,
        32,
      ),
    );
    const value = BigInt(`0x${bytes.toString("hex")}`);
    if (value > 0n && value < SECP256K1_N) return `0x${bytes.toString("hex")}`;
  }
}

function fromAccount(account: LocalAccount, kind: string, privateKey?: Hex): Signer {
  return {
    address: account.address,
    kind,
    signTypedData: (parameters) => account.signTypedData(parameters),
    signTransaction: (transaction) => account.signTransaction(transaction),
    signMessage: (parameters) => account.signMessage(parameters),
    ...(privateKey
      ? {
          derive: (label: string) => {
            const derived = derivedKey(privateKey, label);
            return fromAccount(privateKeyToAccount(derived), `${kind}/derived`, derived);
          },
        }
      : {}),
    // The account (and its key) stays in this closure; JSON.stringify and loggers see only these fields.
  };
}

/** A signer over a raw secp256k1 private key (0x-prefixed, 32 bytes), e.g. from INTYG_SIGNER_KEY. */
export function privateKeySigner(privateKey: string): Signer {
  const key = privateKey.trim();
  if (!isHex(key) || key.length !== 66)
    throw new SignerError("the signing key must be 32 bytes of 0x-prefixed hex");
  return fromAccount(privateKeyToAccount(key), "env", key);
}

/** A signer from an encrypted JSON keystore (Web3 Secret Storage v3, as geth, ethers and foundry write them). */
export async function keystoreSigner(parameters: { json: string; password: string }): Promise<Signer> {
  const { Wallet } = await import("ethers");
  let privateKey: string;
  try {
    privateKey = (await Wallet.fromEncryptedJson(parameters.json, parameters.password)).privateKey;
  } catch {
    throw new SignerError("the keystore could not be decrypted (wrong password or not a keystore)");
  }
  return fromAccount(privateKeyToAccount(privateKey as Hex), "keystore", privateKey as Hex);
}

/** Reads and decrypts a keystore file. */
export async function keystoreFileSigner(path: string, password: string): Promise<Signer> {
  let json: string;
  try {
    json = await readFile(path, "utf8");
  } catch {
    throw new SignerError(`the keystore file ${path} cannot be read`);
  }
  return keystoreSigner({ json, password });
}

/** Encrypts a private key into a keystore JSON (for tools and tests; `scryptN` lower than default is faster). */
export async function encryptKeystore(privateKey: Hex, password: string, scryptN = 131072): Promise<string> {
  const { encryptKeystoreJson } = await import("ethers");
  const address = privateKeyToAccount(privateKey).address;
  return encryptKeystoreJson({ address, privateKey }, password, { scrypt: { N: scryptN } });
}

/** A viem account backed by a signer, so viem wallet clients can send transactions from it. */
export function signerAccount(signer: Signer): LocalAccount {
  return toAccount({
    address: signer.address,
    signMessage: (parameters) => signer.signMessage(parameters),
    signTransaction: (transaction) => signer.signTransaction(transaction),
    signTypedData: (parameters) => signer.signTypedData(parameters),
  });
}
