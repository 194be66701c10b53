// Events and courses: stored off chain in full, registered on chain (createEvent) by the signing key with the
// hash of the achievement the credentials will carry.

import { InvalidCredentialError } from "@intyg/credential";
import type { Hex } from "viem";
import { type ChainClient, ChainRevertError, ChainRpcError, classifyChainError } from "./chain/client";
import { NotFoundError, ServiceError } from "./errors";
import { type Anchorage, type EventDetails, eventMetadata } from "./format";
import { CredentialContentError } from "./issuance";
import type { Logger } from "./logger";
import type { Store } from "./store/store";
import type { EventKind, EventRecord, Organisation } from "./store/types";

export type EventDeps = { store: Store; chain: ChainClient; logger: Logger };

function anchorageOf(chain: ChainClient): Anchorage {
  return { chainId: chain.chainId, registry: chain.registry };
}

/** The metadata hash of event details, or a 422 listing what the credential schema refuses. */
export function metadataFor(
  chain: ChainClient,
  organisation: Organisation,
  kind: EventKind,
  details: EventDetails,
): Hex {
  try {
    return eventMetadata({ ...anchorageOf(chain), organisation, kind, details }).metadataHash;
  } catch (error) {
    if (error instanceof InvalidCredentialError) {
      throw new CredentialContentError(
        error.issues.map((issue) => ({
          path: issue.path.replace(/^\/credentialSubject\/achievement/, "/details"),
          message: issue.message,
          code: issue.code,
        })),
      );
    }
    throw error;
  }
}

function chainProblem(error: unknown, action: string): ServiceError {
  const classified = classifyChainError(error);
  if (classified instanceof ChainRevertError) {
    return new ServiceError(
      "chain.refused",
      { action, error: classified.errorName },
      { extensions: { chainError: classified.errorName }, cause: error },
    );
  }
  return new ServiceError("chain.unreachable-for", { action }, { cause: error });
}

/**
 * Creates an event or course: stored as `registering`, registered on chain, then `registered` with its chain
 * id. A revert marks it `failed` (409); an unreachable chain leaves it `registering` for the worker to settle
 * from the transaction hash (503).
 */
export async function createEvent(
  deps: EventDeps,
  organisation: Organisation,
  input: { kind: EventKind; parentId?: string | null; details: EventDetails },
): Promise<EventRecord> {
  let parentChainId = 0n;
  if (input.parentId) {
    const parent = await deps.store.events.get(organisation.id, input.parentId);
    if (!parent) throw new NotFoundError("parent-event");
    if (parent.kind !== "event") throw new ServiceError("event.parent-not-event");
    if (parent.status !== "registered" || !parent.chainEventId) {
      throw new ServiceError("event.parent-not-registered");
    }
    parentChainId = BigInt(parent.chainEventId);
  }
  const metadataHash = metadataFor(deps.chain, organisation, input.kind, input.details);
  const event = await deps.store.events.insert({
    organisationId: organisation.id,
    parentId: input.parentId ?? null,
    kind: input.kind,
    metadataHash,
    details: input.details as Record<string, unknown>,
  });
  let hash: Hex;
  try {
    hash = await deps.chain.createEvent({
      organisationId: organisation.chainOrganisationId,
      parentId: parentChainId,
      kind: input.kind === "course" ? 2 : 1,
      metadataHash,
    });
  } catch (error) {
    const problem = chainProblem(error, "createEvent");
    // Nothing was sent: the row can be settled now.
    await deps.store.events.markFailed(event.id, null);
    throw problem;
  }
  await deps.store.events.setTxHash(event.id, hash);
  try {
    const receipt = await deps.chain.waitForReceipt(hash);
    if (receipt.status !== "success") {
      await deps.store.events.markFailed(event.id, hash);
      throw new ServiceError("event.create-reverted");
    }
    const chainEventId = await deps.chain.createdEventId(hash);
    deps.logger.info(
      { event: event.id, chainEventId: chainEventId.toString(), txHash: hash },
      "event registered",
    );
    return await deps.store.events.markRegistered(event.id, chainEventId, hash);
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    if (classifyChainError(error) instanceof ChainRpcError) {
      throw new ServiceError("event.not-confirmed", {}, { cause: error });
    }
    throw error;
  }
}

/** Replaces an event's details; the new metadata hash goes on chain (updateEventMetadata) first. */
export async function updateEvent(
  deps: EventDeps,
  organisation: Organisation,
  event: EventRecord,
  details: EventDetails,
): Promise<EventRecord> {
  if (event.status !== "registered" || !event.chainEventId) {
    throw new ServiceError("event.not-registered", { status: event.status });
  }
  const metadataHash = metadataFor(deps.chain, organisation, event.kind, details);
  if (metadataHash !== event.metadataHash) {
    try {
      const hash = await deps.chain.updateEventMetadata({
        eventId: BigInt(event.chainEventId),
        metadataHash,
      });
      const receipt = await deps.chain.waitForReceipt(hash);
      if (receipt.status !== "success") throw new ServiceError("event.update-reverted");
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      throw chainProblem(error, "updateEventMetadata");
    }
  }
  const updated = await deps.store.events.updateDetails(
    organisation.id,
    event.id,
    details as Record<string, unknown>,
    metadataHash,
  );
  if (!updated) throw new NotFoundError("event");
  return updated;
}
