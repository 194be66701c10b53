// The anchor section: where the credential's commitment is recorded, and its Merkle proof in a batch.

import { z } from "zod";
import { ANCHOR_TYPE } from "../constants";
import { addressSchema, bytes32Schema, chainIdSchema, uint64StringSchema } from "./primitives";

export const batchAnchorSchema = z.strictObject({
  root: bytes32Schema,
  leaf: bytes32Schema,
  proof: z.array(bytes32Schema).max(64),
  size: z
    .number()
    .int()
    .min(1)
    .max(2 ** 32 - 1),
});
export type BatchAnchor = z.infer<typeof batchAnchorSchema>;

export const anchorSchema = z.strictObject({
  type: z.literal(ANCHOR_TYPE),
  chainId: chainIdSchema,
  registry: addressSchema,
  eventId: uint64StringSchema,
  batch: batchAnchorSchema.optional(),
});
export type CredentialAnchor = z.infer<typeof anchorSchema>;
