// Reads of the registry's views, through @intyg/registry's typed reader, failures classified.

import {
  type EventState,
  type LeafRevocationState,
  type OrganisationState,
  type RecordState,
  readBatchMember,
  readEvent,
  readLeafRevocation,
  readOrganisation,
  readRecord,
  readSigningKey,
  readSupersededBy,
  type SigningKeyState,
} from "@intyg/registry";
import type { Address, Hex } from "viem";
import type { ChainContext } from "../context";
import { classified } from "../errors";

export const blockNumber = (ctx: ChainContext): Promise<bigint> =>
  classified(() => ctx.publicClient.getBlockNumber({ cacheTime: 0 }));

export const record = (ctx: ChainContext, organisationId: number, commitment: Hex): Promise<RecordState> =>
  classified(() => readRecord(ctx.publicClient, { address: ctx.registry, organisationId, commitment }));

export const leafRevocation = (
  ctx: ChainContext,
  organisationId: number,
  root: Hex,
  leaf: Hex,
): Promise<LeafRevocationState> =>
  classified(() =>
    readLeafRevocation(ctx.publicClient, { address: ctx.registry, organisationId, root, leaf }),
  );

export const supersededBy = (ctx: ChainContext, organisationId: number, root: Hex, leaf: Hex): Promise<Hex> =>
  classified(() => readSupersededBy(ctx.publicClient, { address: ctx.registry, organisationId, root, leaf }));

export const isBatchMember = (
  ctx: ChainContext,
  organisationId: number,
  root: Hex,
  leaf: Hex,
  proof: readonly Hex[],
): Promise<boolean> =>
  classified(() =>
    readBatchMember(ctx.publicClient, { address: ctx.registry, organisationId, root, leaf, proof }),
  );

export const eventInfo = (ctx: ChainContext, eventId: bigint): Promise<EventState> =>
  classified(() => readEvent(ctx.publicClient, { address: ctx.registry, eventId }));

export const signingKey = (ctx: ChainContext, key: Address): Promise<SigningKeyState> =>
  classified(() => readSigningKey(ctx.publicClient, { address: ctx.registry, key }));

export const organisation = (ctx: ChainContext, organisationId: number): Promise<OrganisationState> =>
  classified(() => readOrganisation(ctx.publicClient, { address: ctx.registry, organisationId }));
