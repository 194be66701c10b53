// The life of an organisation's signing key: created here (encrypted at rest), authorised on chain with a
// validity window and the key's consent, made current, retired (its window ends; what it signed stays valid),
// or removed at once as compromised. Every chain step is a tracked operation — recorded before it is sent and
// reconciled with what the registry says — and every step is written to the key audit log, so a crash at any
// point leaves a state the next call (or the worker) finishes, never half of one.

import { randomUUID } from "node:crypto";
import { intygDomain, keyConsentTypes } from "@intyg/credential";
import { intygRegistryAbi } from "@intyg/registry";
import { type Address, encodeFunctionData, getAddress, type Hex } from "viem";
import type { ChainClient } from "../chain/client";
import { type Clock, unixSeconds } from "../clock";
import { ServiceError } from "../errors";
import type { Logger } from "../logger";
import { type OperationSpec, trackOperation } from "../operations/track";
import type { Keyring } from "../privacy/keyring";
import type { Signer } from "../signer";
import type { OrganisationKeyRecord, Store } from "../store/store";
import type { Organisation } from "../store/types";
import type { KeyDirectory } from "./directory";
import { generateOrganisationKey, openOrganisationKey, sealPrivateKey } from "./vault";

/** What the lifecycle needs: the store, the chain, the keyring that opens the organisation's keys. */
export type KeyLifecycleDeps = {
  store: Store;
  chain: ChainClient;
  clock: Clock;
  logger: Logger;
  keys: KeyDirectory;
};

/** The transaction an organisation's own admin account sends to authorise a key the service created. */
export type PreparedAuthorisation = {
  to: Address;
  data: Hex;
  value: "0";
  /** The same call, for a multisig's transaction builder (Safe's batch format). */
  safeBatch: Record<string, unknown>;
};

export type CreateKeyOptions = {
  /** Who asks (`api-key:<id>`, `operator`): written to the audit log. */
  actor: string;
  /** The window on chain, unix seconds (default: from now, no end). */
  validFrom?: number;
  validUntil?: number;
  /** Make it the organisation's current signing key once authorised. */
  makeCurrent?: boolean;
};

export type CreatedKey = {
  key: OrganisationKeyRecord;
  /** When the service does not hold the organisation's admin key: what the admin must send. */
  authorisation: PreparedAuthorisation | null;
};

/**
 * Keys whose authorisation a request of this process is sending now: the worker leaves them to it (with two
 * senders of one authorisation the second reverts, and the key would be marked failed though it is authorised).
 */
const authorising = new Set<string>();

/**
 * How long an authorisation must have been left alone before the worker takes it over: a request of another
 * replica may still be sending it.
 */
const TAKE_OVER_AFTER_MS = 10_000;

/** The registry's "no end" (type(uint40).max). */
const FOREVER = 2 ** 40 - 1;
const MAX_UNTIL = FOREVER;

function keyringOf(deps: KeyLifecycleDeps): Keyring {
  if (!deps.keys.keyring) throw new ServiceError("key.no-keyring");
  return deps.keys.keyring;
}

function expectStatus(
  key: OrganisationKeyRecord,
  step: string,
  ...expected: OrganisationKeyRecord["status"][]
) {
  if (!expected.includes(key.status))
    throw new ServiceError("key.wrong-state", {
      address: key.address,
      status: key.status,
      step,
      expected: expected.join(" or "),
    });
}

async function keyOf(deps: KeyLifecycleDeps, organisation: Organisation, address: string) {
  let checksummed: Address;
  try {
    checksummed = getAddress(address);
  } catch {
    throw new ServiceError("key.not-found", { address });
  }
  const key = await deps.store.organisationKeys.get(organisation.id, checksummed);
  if (!key) throw new ServiceError("key.not-found", { address: checksummed });
  return key;
}

/** The organisation's admin key, when the service holds it: the client that sends as the admin. */
async function adminClient(deps: KeyLifecycleDeps, organisation: Organisation): Promise<ChainClient | null> {
  const admin = await deps.store.organisationKeys.current(organisation.id, "admin");
  if (admin?.custody !== "service" || !deps.keys.keyring) return null;
  const signer = openOrganisationKey(deps.keys.keyring, admin);
  const onChain = await deps.chain.organisation(organisation.chainOrganisationId);
  if (onChain.admin.toLowerCase() !== signer.address.toLowerCase()) return null;
  const chain = deps.chain.forKey(signer, { organisation: organisation.chainOrganisationId });
  await chain.ensureFunded();
  return chain;
}

/** The key's consent to its authorisation (EIP-712, under the registry's domain), signed by the key. */
async function consentOf(chain: ChainClient, organisation: Organisation, signer: Signer, window: Window) {
  return signer.signTypedData({
    domain: intygDomain(chain.chainId, chain.registry),
    types: keyConsentTypes,
    primaryType: "KeyConsent",
    message: {
      organisationId: organisation.chainOrganisationId,
      key: signer.address,
      validFrom: window.validFrom,
      validUntil: window.validUntil,
    },
  });
}

type Window = { validFrom: number; validUntil: number };

function windowOf(key: OrganisationKeyRecord): Window {
  return { validFrom: key.validFrom ?? 0, validUntil: key.validUntil ?? 0 };
}

/** The authorisation of `key` as a tracked operation: done when the registry shows it for the organisation. */
function authorisationSpec(
  deps: KeyLifecycleDeps,
  organisation: Organisation,
  key: OrganisationKeyRecord,
  send: ((options: { onSigned?: (hash: Hex) => Promise<void> }) => Promise<Hex>) | null,
): OperationSpec {
  return {
    kind: "key-authorisation",
    organisationId: organisation.id,
    subjectId: key.id,
    item: { key: key.address },
    noun: "the key's authorisation on chain",
    revertIsFinal: true,
    async inspect() {
      const state = await deps.chain.signingKey(key.address);
      if (Number(state.organisationId) === 0) return { present: false, mismatch: null };
      const mismatch =
        Number(state.organisationId) !== organisation.chainOrganisationId
          ? `the key is authorised for organisation ${state.organisationId}`
          : null;
      return { present: true, mismatch };
    },
    ...(send ? { send } : {}),
  };
}

/**
 * Creates a signing key for the organisation (encrypted at rest) and authorises it on chain when the service
 * holds the organisation's admin key; otherwise returns the transaction its admin must send.
 */
export async function createSigningKey(
  deps: KeyLifecycleDeps,
  organisation: Organisation,
  options: CreateKeyOptions,
): Promise<CreatedKey> {
  const keyring = keyringOf(deps);
  const now = unixSeconds(deps.clock);
  const validFrom = options.validFrom ?? 0;
  const validUntil = options.validUntil ?? 0;
  if (validUntil !== 0 && (validUntil <= Math.max(validFrom, now) || validUntil > MAX_UNTIL))
    throw new ServiceError("request.invalid", { where: "validUntil" });
  const fresh = generateOrganisationKey(keyring, organisation.id, "signing");
  // With the admin key held, the key is stored as being authorised: a crash before its authorisation is
  // recorded leaves it for the worker to authorise, not "created" with nothing to take it further.
  const admin = await adminClient(deps, organisation);
  authorising.add(fresh.id);
  try {
    let key = await deps.store.organisationKeys.create(
      { ...fresh, validFrom, validUntil: validUntil || null, status: admin ? "authorising" : "created" },
      { actor: options.actor, details: { validFrom, validUntil: validUntil || null } },
    );
    if (!admin) return { key, authorisation: await prepareAuthorisation(deps, organisation, key) };
    key = await authorise(deps, organisation, key, admin, options.actor);
    if (options.makeCurrent) key = await makeCurrent(deps, organisation, key.address, options.actor);
    return { key, authorisation: null };
  } finally {
    authorising.delete(fresh.id);
  }
}

/** The authoriseKey call with the key's consent, for an admin account the service does not hold. */
async function prepareAuthorisation(
  deps: KeyLifecycleDeps,
  organisation: Organisation,
  key: OrganisationKeyRecord,
): Promise<PreparedAuthorisation> {
  const signer = openOrganisationKey(keyringOf(deps), key);
  const window = windowOf(key);
  const consent = await consentOf(deps.chain, organisation, signer, window);
  const data = encodeFunctionData({
    abi: intygRegistryAbi,
    functionName: "authoriseKey",
    args: [organisation.chainOrganisationId, key.address, window.validFrom, window.validUntil, consent],
  });
  return {
    to: deps.chain.registry,
    data,
    value: "0",
    safeBatch: {
      version: "1.0",
      chainId: String(deps.chain.chainId),
      createdAt: deps.clock.now().getTime(),
      meta: {
        name: `Authorise signing key ${key.address}`,
        description: `authoriseKey for organisation ${organisation.chainOrganisationId}`,
      },
      transactions: [{ to: deps.chain.registry, value: "0", data }],
    },
  };
}

/** Sends (or resumes) the authorisation of `key` from the admin client and settles the key's status. */
async function authorise(
  deps: KeyLifecycleDeps,
  organisation: Organisation,
  key: OrganisationKeyRecord,
  admin: ChainClient,
  actor: string,
): Promise<OrganisationKeyRecord> {
  const signer = openOrganisationKey(keyringOf(deps), key);
  const window = windowOf(key);
  if (key.status === "created")
    key = await deps.store.organisationKeys.update(
      organisation.id,
      key.address,
      { status: "authorising" },
      null,
    );
  const consent = await consentOf(deps.chain, organisation, signer, window);
  const outcome = await trackOperation(
    { ...deps, chain: admin },
    authorisationSpec(deps, organisation, key, (options) =>
      admin.authoriseKey(
        { organisationId: organisation.chainOrganisationId, key: key.address, ...window, consent },
        options,
      ),
    ),
  );
  if (outcome.status === "failed") {
    await deps.store.organisationKeys.update(
      organisation.id,
      key.address,
      { status: "created" },
      {
        organisationId: organisation.id,
        keyAddress: key.address,
        action: "authorisation-failed",
        actor,
        txHash: null,
        details: { reason: outcome.reason },
      },
    );
    throw new ServiceError("chain.refused", {
      action: "authoriseKey",
      error: outcome.chainError ?? outcome.reason,
    });
  }
  return settleAuthorised(deps, organisation, key, outcome.txHash, actor);
}

/** Marks `key` active with the window the registry shows, audited. */
async function settleAuthorised(
  deps: KeyLifecycleDeps,
  organisation: Organisation,
  key: OrganisationKeyRecord,
  txHash: Hex | null,
  actor: string,
): Promise<OrganisationKeyRecord> {
  const state = await deps.chain.signingKey(key.address);
  if (Number(state.organisationId) !== organisation.chainOrganisationId)
    throw new ServiceError("key.not-authorised", { address: key.address });
  const forever = state.validUntil >= FOREVER;
  return deps.store.organisationKeys.update(
    organisation.id,
    key.address,
    {
      status: "active",
      validFrom: state.validFrom,
      validUntil: forever ? null : state.validUntil,
      authorisationTxHash: txHash,
    },
    {
      organisationId: organisation.id,
      keyAddress: key.address,
      action: "authorised",
      actor,
      txHash,
      details: { validFrom: state.validFrom, validUntil: forever ? null : state.validUntil },
    },
  );
}

/**
 * Makes the key the organisation's current signing key: it must be authorised on chain for the organisation
 * and inside its window now. A key the organisation's admin authorised itself is taken up here.
 */
export async function makeCurrent(
  deps: KeyLifecycleDeps,
  organisation: Organisation,
  address: string,
  actor: string,
): Promise<OrganisationKeyRecord> {
  let key = await keyOf(deps, organisation, address);
  expectStatus(key, "make it current", "created", "authorising", "active");
  if (key.status !== "active") key = await settleAuthorised(deps, organisation, key, null, actor);
  const state = await deps.chain.signingKey(key.address);
  const now = unixSeconds(deps.clock);
  if (state.suspended || state.validFrom > now || state.validUntil <= now)
    throw new ServiceError("key.not-authorised", { address: key.address });
  const current = await deps.store.organisationKeys.makeCurrent(organisation.id, key.address, actor);
  deps.keys.forget(organisation.id);
  return current;
}

/** Ends the key's window on chain now, sent by the key itself; refreshed status and audit entry. */
async function removeOnChain(
  deps: KeyLifecycleDeps,
  organisation: Organisation,
  key: OrganisationKeyRecord,
): Promise<Hex | null> {
  const signer = openOrganisationKey(keyringOf(deps), key);
  const chain = deps.chain.forKey(signer, { organisation: organisation.chainOrganisationId });
  await chain.ensureFunded();
  const outcome = await trackOperation(
    { ...deps, chain },
    {
      kind: "key-removal",
      organisationId: organisation.id,
      subjectId: key.id,
      item: { key: key.address },
      noun: "the key's removal on chain",
      revertIsFinal: true,
      doneAlready: new Set(["IntygRegistryKeyAlreadyRemoved"]),
      async inspect() {
        // removeKey ends the window at its block's time: the registry then shows an earlier end than it had.
        const state = await deps.chain.signingKey(key.address);
        return { present: state.validUntil < (key.validUntil ?? FOREVER), mismatch: null };
      },
      send: (options) => chain.removeKey({ key: key.address }, options),
    },
  );
  if (outcome.status === "failed")
    throw new ServiceError("chain.refused", {
      action: "removeKey",
      error: outcome.chainError ?? outcome.reason,
    });
  return outcome.txHash;
}

/**
 * Retires a key that is no longer current: its window ends on chain now, and everything it signed stays
 * valid. Refused while credentials it signed are still on their way to the chain (they would be refused).
 */
export async function retire(
  deps: KeyLifecycleDeps,
  organisation: Organisation,
  address: string,
  actor: string,
): Promise<OrganisationKeyRecord> {
  const key = await keyOf(deps, organisation, address);
  expectStatus(key, "retire it", "active", "retired");
  if (key.current) throw new ServiceError("key.last-signing-key", { address: key.address });
  const inFlight = await deps.store.organisationKeys.inFlight(organisation.id, key.address);
  if (inFlight > 0) throw new ServiceError("key.in-flight", { address: key.address, count: inFlight });
  const txHash = await removeOnChain(deps, organisation, key);
  const retired = await deps.store.organisationKeys.update(
    organisation.id,
    key.address,
    { status: "retired", removalTxHash: txHash, validUntil: unixSeconds(deps.clock) },
    {
      organisationId: organisation.id,
      keyAddress: key.address,
      action: "retired",
      actor,
      txHash,
      details: null,
    },
  );
  deps.keys.forget(organisation.id);
  return retired;
}

export type CompromiseOptions = {
  actor: string;
  /** Credentials the key signed at or after this moment are listed (and with `revoke`, revoked). */
  since: Date;
  revoke: boolean;
};

export type CompromiseResult = {
  key: OrganisationKeyRecord;
  /** Ids of the credentials the key signed since `since`. */
  credentials: string[];
  /** How many of them now have a revocation requested (reason keyCompromise). */
  revocationsRequested: number;
};

/**
 * A key known or feared to be compromised: removed on chain at once (even the current one — issuance then
 * waits for a new current key), its credentials since `since` listed and, when asked, revoked with reason
 * keyCompromise.
 */
export async function compromised(
  deps: KeyLifecycleDeps,
  organisation: Organisation,
  address: string,
  options: CompromiseOptions,
): Promise<CompromiseResult> {
  let key = await keyOf(deps, organisation, address);
  expectStatus(key, "mark it compromised", "created", "authorising", "active", "retired", "compromised");
  key = await deps.store.organisationKeys.update(
    organisation.id,
    key.address,
    { status: "compromised" },
    {
      organisationId: organisation.id,
      keyAddress: key.address,
      action: "compromised",
      actor: options.actor,
      txHash: null,
      details: { since: options.since.toISOString(), revoke: options.revoke },
    },
  );
  deps.keys.forget(organisation.id);
  const onChain = await deps.chain.signingKey(key.address);
  if (Number(onChain.organisationId) !== 0 && !key.removalTxHash) {
    const txHash = await removeOnChain(deps, organisation, key);
    key = await deps.store.organisationKeys.update(
      organisation.id,
      key.address,
      { removalTxHash: txHash, validUntil: unixSeconds(deps.clock) },
      {
        organisationId: organisation.id,
        keyAddress: key.address,
        action: "removed",
        actor: options.actor,
        txHash,
        details: null,
      },
    );
  }
  const credentials = await deps.store.organisationKeys.signedBy(organisation.id, key.address, options.since);
  let revocationsRequested = 0;
  if (options.revoke) {
    for (const id of credentials) {
      const result = await deps.store.credentials.requestRevocation(organisation.id, id, "keyCompromise");
      if (result?.changed) revocationsRequested += 1;
    }
    await deps.store.organisationKeys.audit({
      organisationId: organisation.id,
      keyAddress: key.address,
      action: "credentials-revoked",
      actor: options.actor,
      txHash: null,
      details: { count: revocationsRequested },
    });
  }
  return { key, credentials, revocationsRequested };
}

/** Brings an organisation's existing key (e.g. its admin key) into the service's keeping, encrypted. */
export async function importKey(
  deps: Pick<KeyLifecycleDeps, "store" | "keys">,
  organisation: Organisation,
  input: { role: "signing" | "admin"; privateKey: Hex; actor: string },
): Promise<OrganisationKeyRecord> {
  const keyring = deps.keys.keyring;
  if (!keyring) throw new ServiceError("key.no-keyring");
  const { privateKeyToAccount } = await import("viem/accounts");
  const address = privateKeyToAccount(input.privateKey).address;
  const id = randomUUID();
  const key = await deps.store.organisationKeys.create(
    {
      id,
      organisationId: organisation.id,
      role: input.role,
      address,
      custody: "service",
      ...sealPrivateKey(keyring, id, input.privateKey),
    },
    { actor: input.actor, details: { imported: true } },
  );
  if (input.role === "admin")
    return deps.store.organisationKeys.makeCurrent(organisation.id, address, input.actor);
  return key;
}

/** Finishes key steps a crash cut short: authorisations sent and not settled (run by the worker). */
export async function settleKeys(deps: KeyLifecycleDeps, organisationId?: string): Promise<number> {
  let settled = 0;
  const leftBefore = deps.clock.now().getTime() - TAKE_OVER_AFTER_MS;
  for (const key of await deps.store.organisationKeys.unsettled(organisationId)) {
    if (key.status !== "authorising") continue;
    if (authorising.has(key.id) || key.updatedAt.getTime() > leftBefore) continue;
    const organisation = await deps.store.organisations.get(key.organisationId);
    if (!organisation) continue;
    const admin = await adminClient(deps, organisation);
    if (!admin) continue;
    await authorise(deps, organisation, key, admin, "worker");
    settled += 1;
  }
  return settled;
}
