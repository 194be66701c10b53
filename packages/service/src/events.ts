// Events and courses: stored off chain in full, registered on chain (createEvent) by the signing key with the
// hash of the achievement the credentials will carry.

import { InvalidCredentialError } from "@intyg/credential";
import type { Hex } from "viem";
import { type ChainClient, ChainRpcError, classifyChainError } from "./chain/client";
import { NotFoundError, ServiceError } from "./errors";
import { type Anchorage, type EventDetails, eventMetadata } from "./format";
import { CredentialContentError } from "./issuance";
import { organisationSigner, type SignerDeps } from "./keys/directory";
import type { Logger } from "./logger";
import { eventUpdateOperation, registrationOperation } from "./operations/events";
import { type OperationOutcome, type OperationSpec, trackOperation } from "./operations/track";
import type { Store } from "./store/store";
import type { EventKind, EventRecord, Organisation } from "./store/types";

export type EventDeps = SignerDeps & { store: Store; logger: Logger };

/** The organisation's own sending client (funded when it is its own key), as `deps` for its operation. */
async function sendingFor(deps: EventDeps, organisation: Organisation): Promise<EventDeps> {
  const { chain, own } = await organisationSigner(deps, organisation);
  if (own) {
    try {
      await chain.ensureFunded();
    } catch (error) {
      throw new ServiceError("chain.unreachable-for", { action: "top-up" }, { cause: error });
    }
  }
  return { ...deps, chain };
}

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

/**
 * Creates an event or course: stored as `registering`, registered on chain (a tracked operation: its hash is
 * recorded before it is sent, and it is replaced when stuck), then `registered` with its chain id. A revert marks
 * it `failed` (409); a send that never left fails it too (503, try again); a send not yet confirmed leaves it
 * `registering` for the worker to settle from its recorded transactions (503).
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
  const sending = await sendingFor(deps, organisation);
  const event = await deps.store.events.insert({
    organisationId: organisation.id,
    parentId: input.parentId ?? null,
    kind: input.kind,
    metadataHash,
    details: input.details as Record<string, unknown>,
  });
  const spec = registrationOperation(sending.chain, {
    event,
    chainOrganisationId: organisation.chainOrganisationId,
    parentChainId,
    send: true,
  });
  const outcome = await tracked(sending, spec, "createEvent", event.id);
  const chainEventId = outcome.status === "done" ? outcome.chainEventId : undefined;
  if (chainEventId !== undefined) {
    deps.logger.info(
      {
        event: event.id,
        chainEventId: chainEventId.toString(),
        txHash: outcome.status === "done" ? outcome.txHash : null,
      },
      "event registered",
    );
  }
  const stored = await deps.store.events.get(organisation.id, event.id);
  if (!stored) throw new NotFoundError("event");
  return stored;
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
    // The details are stored when the operation settles, with it.
    const sending = await sendingFor(deps, organisation);
    const spec = eventUpdateOperation(sending.chain, {
      event,
      details: details as Record<string, unknown>,
      metadataHash,
    });
    await tracked(sending, spec, "updateEventMetadata", event.id);
  } else {
    await deps.store.events.updateDetails(
      organisation.id,
      event.id,
      details as Record<string, unknown>,
      metadataHash,
    );
  }
  const updated = await deps.store.events.get(organisation.id, event.id);
  if (!updated) throw new NotFoundError("event");
  return updated;
}

/** Runs an event's operation in the request: a refusal or a revert is a 409, an unreachable chain a 503. */
async function tracked(
  deps: EventDeps,
  spec: OperationSpec,
  action: string,
  eventId: string,
): Promise<OperationOutcome> {
  let outcome: OperationOutcome;
  try {
    outcome = await trackOperation(deps, spec);
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    if (!(classifyChainError(error) instanceof ChainRpcError)) throw error;
    // Nothing of it left (the operation failed unsent): the organiser may try again; otherwise it will settle.
    const sent = (await deps.store.operations.inFlight([spec.kind])).some((op) => op.subjectId === eventId);
    throw sent
      ? new ServiceError("event.not-confirmed", {}, { cause: error })
      : new ServiceError("chain.unreachable-for", { action }, { cause: error });
  }
  if (outcome.status === "failed") {
    throw outcome.chainError
      ? new ServiceError(
          "chain.refused",
          { action, error: outcome.chainError },
          { extensions: { chainError: outcome.chainError } },
        )
      : new ServiceError(
          action === "createEvent" ? "event.create-reverted" : "event.update-reverted",
          {},
          {
            extensions: { reason: outcome.reason },
          },
        );
  }
  return outcome;
}
