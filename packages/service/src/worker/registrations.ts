// Event registrations and metadata updates whose request was cut short (still in flight a minute later): the
// worker reconciles them from their recorded transactions, replacing one that is stuck — a stuck transaction
// of the key would hold back every later one. It does not send them again: one never sent, or dropped, fails.

import { eventUpdateOperation, registrationOperation } from "../operations/events";
import { type OperationSpec, trackOperation } from "../operations/track";
import type { EventRecord, OperationRecord } from "../store/types";
import type { TickSummary, WorkContext } from "./types";

/** How long a request may still be waiting for its own transaction before the worker takes it over. */
const REQUEST_GRACE_MS = 60_000;

async function registrationOf(ctx: WorkContext, event: EventRecord): Promise<OperationSpec> {
  const { store } = ctx.deps;
  const [{ organisation, chain }, parent] = await Promise.all([
    ctx.keyed(event.organisationId),
    event.parentId ? store.events.getById(event.parentId) : null,
  ]);
  return registrationOperation(chain, {
    event,
    chainOrganisationId: organisation.chainOrganisationId,
    parentChainId: BigInt(parent?.chainEventId ?? 0),
    send: false,
  });
}

async function updateOf(ctx: WorkContext, operation: OperationRecord): Promise<OperationSpec | null> {
  const event = await ctx.deps.store.events.getById(operation.subjectId);
  const payload = operation.payload as {
    details?: Record<string, unknown>;
    metadataHash?: `0x${string}`;
  } | null;
  if (!event || !payload?.details || !payload.metadataHash) return null;
  const { chain } = await ctx.keyed(event.organisationId);
  return eventUpdateOperation(chain, {
    event,
    details: payload.details,
    metadataHash: payload.metadataHash,
    operationId: operation.id,
  });
}

export async function runRegistrations(ctx: WorkContext, summary: TickSummary, organisationId: string) {
  const { store, clock } = ctx.deps;
  const before = new Date(clock.now().getTime() - REQUEST_GRACE_MS);
  for (const event of await store.events.staleRegistrations(before, organisationId)) {
    if (ctx.stopping()) return;
    await ctx.attempt("registration", event.id, summary, async () => {
      const spec = await registrationOf(ctx, event);
      const { chain } = await ctx.keyed(event.organisationId);
      const outcome = await trackOperation({ ...ctx.deps, chain }, spec);
      ctx.log.info({ event: event.id, status: outcome.status }, "event registration settled");
    });
  }
  for (const operation of await store.operations.inFlight(["event-update"], {
    updatedBefore: before,
    organisationId,
  })) {
    if (ctx.stopping()) return;
    await ctx.attempt("registration", operation.id, summary, async () => {
      const spec = await updateOf(ctx, operation);
      if (!spec) return;
      const { chain } = await ctx.keyed(operation.organisationId);
      const outcome = await trackOperation({ ...ctx.deps, chain }, spec);
      ctx.log.info({ event: operation.subjectId, status: outcome.status }, "event update settled");
    });
  }
}
