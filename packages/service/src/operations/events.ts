// Event registration (createEvent) and metadata updates (updateEventMetadata) as tracked operations: recorded
// before they are sent, replaced when stuck (a stuck one would hold back every later transaction of the key),
// done only when the event on chain says what was sent.

import type { Hex } from "viem";
import type { ChainClient } from "../chain/client";
import type { EventKind, EventRecord } from "../store/types";
import { type Inspection, type OperationSpec, subjectOf } from "./track";

export type RegistrationInput = {
  event: EventRecord;
  /** The registry id of the event's organisation. */
  chainOrganisationId: number;
  /** The registry id of the parent event, 0 for none. */
  parentChainId: bigint;
  /** Send createEvent (the request that stores the event); without it, only reconcile what was sent. */
  send: boolean;
};

const kindCode = (kind: EventKind): 1 | 2 => (kind === "course" ? 2 : 1);

/** The registration of `event`, checked on chain: its organisation, parent, kind and metadata hash. */
export function registrationOperation(chain: ChainClient, input: RegistrationInput): OperationSpec {
  const { event, chainOrganisationId, parentChainId } = input;
  const args = {
    organisationId: chainOrganisationId,
    parentId: parentChainId,
    kind: kindCode(event.kind),
    metadataHash: event.metadataHash,
  };
  return {
    ...subjectOf("event-registration", event, { event: event.id }),
    noun: "the event registered on chain",
    revertIsFinal: true,
    failUnsent: true,
    async inspect(mined): Promise<Inspection> {
      if (!mined) return { present: false, mismatch: null };
      const chainEventId = await chain.createdEventId(mined.transactionHash);
      const info = await chain.eventInfo(chainEventId);
      const differences = [
        Number(chainEventId >> 32n) !== chainOrganisationId && `organisation ${chainEventId >> 32n}`,
        info.parentId !== parentChainId && `parent ${info.parentId}`,
        info.kind !== args.kind && `kind ${info.kind}`,
        info.metadataHash !== event.metadataHash && `metadata ${info.metadataHash}`,
      ].filter(Boolean);
      const mismatch =
        differences.length > 0 ? `the event on chain differs: ${differences.join(", ")}` : null;
      return { present: true, mismatch, chainEventId };
    },
    ...(input.send ? { send: (options) => chain.createEvent(args, options) } : {}),
  };
}

export type UpdateInput = {
  event: EventRecord;
  details: Record<string, unknown>;
  metadataHash: Hex;
  /** Resume this operation (the worker), else a new one is sent (the request). */
  operationId?: string;
};

/** A new metadata hash for a registered event; done when the event on chain carries it. */
export function eventUpdateOperation(chain: ChainClient, input: UpdateInput): OperationSpec {
  const { event, metadataHash } = input;
  const eventId = BigInt(event.chainEventId ?? 0);
  return {
    ...subjectOf("event-update", event, { event: event.id }),
    ...(input.operationId ? { operationId: input.operationId } : {}),
    payload: { details: input.details, metadataHash },
    item: { event: event.id },
    noun: "the event's metadata on chain",
    revertIsFinal: true,
    failUnsent: true,
    async inspect(): Promise<Inspection> {
      const onChain = (await chain.eventInfo(eventId)).metadataHash;
      const present = onChain === metadataHash;
      return { present, mismatch: present ? null : `the event's metadata hash on chain is ${onChain}` };
    },
    ...(input.operationId
      ? {}
      : { send: (options) => chain.updateEventMetadata({ eventId, metadataHash }, options) }),
  };
}
