// Which key signs for an organisation, and which chain client sends for it: the organisation's current signing
// key when it has one, else the service's own key — but only for the organisation that key is authorised for
// on chain. Decrypted keys are kept in memory by key id; which key is current is read again after a short
// while, so that a key made current on another replica is taken up within seconds.

import { type Address, getAddress } from "viem";
import type { ChainClient } from "../chain/client";
import { ServiceError } from "../errors";
import type { Keyring } from "../privacy/keyring";
import type { Signer } from "../signer";
import type { OrganisationKeyRecord, Store } from "../store/store";
import type { Organisation } from "../store/types";
import { openOrganisationKey } from "./vault";

/** An organisation's signer and the chain client that sends its transactions. */
export type OrganisationSigner = {
  signer: Signer;
  chain: ChainClient;
  /**
   * The organisation's own key: it signs, and the organisation's own relayer (topped up by the service's) sends
   * what it signs; the key itself never holds ether.
   */
  own: boolean;
  /** The key's row, when it is the organisation's own. */
  key: OrganisationKeyRecord | null;
};

export type KeyDirectoryOptions = {
  store: Store;
  /** Opens the keys the service holds; without it only the service's own key signs. */
  keyring?: Keyring;
  /** How long which key is current is remembered, ms (default 5 s). */
  currentTtlMs?: number;
};

export interface KeyDirectory {
  /**
   * The organisation's signer: its current signing key, else `fallback` (the service's key) when that key is
   * authorised for the organisation on chain; otherwise a `key.no-signing-key` error.
   */
  resolve(
    organisation: Organisation,
    fallback: { signer: Signer; chain: ChainClient },
    /** That key, which signed something that it must now send (a batch root): of the organisation, or the fallback. */
    address?: Address | null,
  ): Promise<OrganisationSigner>;
  /**
   * The organisation's admin key when the service holds it (null otherwise): the one account that may revoke
   * whatever any of the organisation's keys anchored, including keys since retired or removed.
   */
  admin(
    organisation: Organisation,
    fallback: { signer: Signer; chain: ChainClient },
  ): Promise<OrganisationSigner | null>;
  /** Forgets what it remembers of the organisation (after a step of its keys' lifecycle). */
  forget(organisationId: string): void;
  /** The keyring, when the service holds keys. */
  readonly keyring: Keyring | undefined;
}

export function createKeyDirectory(options: KeyDirectoryOptions): KeyDirectory {
  const ttl = options.currentTtlMs ?? 5000;
  const current = new Map<string, { key: OrganisationKeyRecord | null; at: number }>();
  const opened = new Map<string, Signer>();
  // The chain organisation each fallback key is authorised for (only positive answers are kept).
  const fallbackFor = new Map<string, number>();

  /** A key the service holds, opened once (kept in memory by its row id) with its sending client. */
  function ownKey(
    keyring: Keyring,
    key: OrganisationKeyRecord,
    chain: ChainClient,
    organisation: Organisation,
  ) {
    let signer = opened.get(key.id);
    if (!signer) {
      signer = openOrganisationKey(keyring, key);
      opened.set(key.id, signer);
    }
    return {
      signer,
      chain: chain.forKey(signer, { organisation: organisation.chainOrganisationId }),
      own: true as const,
    };
  }

  // Bumped by forget(): a read that began before a key was made current must not cache what it read after.
  const generations = new Map<string, number>();

  async function currentKey(organisationId: string) {
    const known = current.get(organisationId);
    if (known && Date.now() - known.at < ttl) return known.key;
    const generation = generations.get(organisationId) ?? 0;
    const key = await options.store.organisationKeys.current(organisationId, "signing");
    if ((generations.get(organisationId) ?? 0) === generation)
      current.set(organisationId, { key, at: Date.now() });
    return key;
  }

  return {
    keyring: options.keyring,
    async resolve(organisation, fallback, address) {
      const open = (key: OrganisationKeyRecord): OrganisationSigner => {
        if (key.custody !== "service" || !options.keyring)
          throw new ServiceError("key.not-held", { address: key.address });
        return { ...ownKey(options.keyring, key, fallback.chain, organisation), key };
      };
      if (address && address.toLowerCase() !== fallback.signer.address.toLowerCase()) {
        const key = await options.store.organisationKeys.get(organisation.id, getAddress(address));
        if (!key) throw new ServiceError("key.not-found", { address });
        return open(key);
      }
      if (address) return { ...fallback, own: false, key: null };
      const key = options.keyring ? await currentKey(organisation.id) : null;
      if (key && key.custody === "service") return open(key);
      const service = fallback.signer.address.toLowerCase();
      if (fallbackFor.get(service) !== organisation.chainOrganisationId) {
        const state = await fallback.chain.signingKey(fallback.signer.address);
        if (Number(state.organisationId) !== organisation.chainOrganisationId)
          throw new ServiceError("key.no-signing-key");
        fallbackFor.set(service, organisation.chainOrganisationId);
      }
      return { ...fallback, own: false, key: null };
    },
    async admin(organisation, fallback) {
      if (!options.keyring) return null;
      const key = await options.store.organisationKeys.current(organisation.id, "admin");
      if (key?.custody !== "service") return null;
      return { ...ownKey(options.keyring, key, fallback.chain, organisation), key };
    },
    forget(organisationId) {
      current.delete(organisationId);
      generations.set(organisationId, (generations.get(organisationId) ?? 0) + 1);
    },
  };
}

/** What resolving an organisation's signer needs: the service's key and client, and the directory if any. */
export type SignerDeps = { signer: Signer; chain: ChainClient; keys?: KeyDirectory | undefined };

/** The organisation's signer and sending client (its own key, else the service's); see {@link KeyDirectory}. */
export function organisationSigner(
  deps: SignerDeps,
  organisation: Organisation,
  address?: Address | null,
): Promise<OrganisationSigner> {
  const fallback = { signer: deps.signer, chain: deps.chain };
  return deps.keys
    ? deps.keys.resolve(organisation, fallback, address)
    : Promise.resolve({ ...fallback, own: false, key: null });
}
