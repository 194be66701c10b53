// The commitment section: the Merkle root over the salted claims, and per claim its salt or, when hidden,
// its leaf digest.

import { z } from "zod";
import { COMMITMENT_TYPE } from "../constants";
import { bytes32Schema, saltSchema } from "./primitives";

/** A revealed claim: its salt. */
export const revealedClaimSchema = z.strictObject({ salt: saltSchema });
/** A hidden claim: its leaf digest. */
export const hiddenClaimSchema = z.strictObject({ digest: bytes32Schema });

export const commitmentSchema = z.strictObject({
  type: z.literal(COMMITMENT_TYPE),
  root: bytes32Schema,
  claims: z.record(z.string().regex(/^\/./).max(300), z.union([revealedClaimSchema, hiddenClaimSchema])),
});
export type Commitment = z.infer<typeof commitmentSchema>;
export type ClaimEntry = Commitment["claims"][string];
