// The claim voucher: an EIP-712 ClaimRequest signed by the organisation, which lets the holder's wallet claim
// the soulbound token of a batch credential with `claimToken`. Shared by the organiser and holder routes.

import { claimRequestTypes, intygDomain } from "@intyg/credential";
import type { Address, Hex } from "viem";
import { unixSeconds } from "../clock";
import { NotFoundError, ServiceError } from "../errors";
import { organisationSigner } from "../keys/directory";
import type { CredentialRecord } from "../store/types";
import type { AppDeps } from "./context";

export type ClaimVoucher = {
  registry: Address;
  chainId: number;
  request: { root: Hex; leaf: Hex; holder: string; deadline: string };
  proof: Hex[];
  signer: Address;
  signature: Hex;
};

/** A voucher for `holder` to claim the token of `record` (a week to use it unless `deadline` says otherwise). */
export async function claimVoucher(
  deps: Pick<AppDeps, "store" | "signer" | "chain" | "clock" | "keys">,
  record: CredentialRecord,
  holder: string,
  deadlineSeconds?: number,
): Promise<ClaimVoucher> {
  if (record.mode !== "batch" || !record.batchId || !record.leaf || !record.proof) {
    throw new ServiceError("token.not-in-batch");
  }
  if (record.status !== "anchored") throw new ServiceError("token.not-anchored");
  if (record.revocationStatus) throw new ServiceError("token.revoked");
  const batch = await deps.store.anchoring.getBatch(record.batchId);
  if (!batch) throw new NotFoundError("batch");
  const deadline = BigInt(deadlineSeconds ?? unixSeconds(deps.clock) + 7 * 24 * 3600);
  const message = { root: batch.root, leaf: record.leaf, holder: holder as Address, deadline };
  const organisation = await deps.store.organisations.get(record.organisationId);
  if (!organisation) throw new NotFoundError("credential");
  // A voucher's signer must be a valid key of the organisation when it is used: its current one signs.
  const { signer } = await organisationSigner(deps, organisation);
  const signature = await signer.signTypedData({
    domain: intygDomain(deps.chain.chainId, deps.chain.registry),
    types: claimRequestTypes,
    primaryType: "ClaimRequest",
    message,
  });
  return {
    registry: deps.chain.registry,
    chainId: deps.chain.chainId,
    request: { root: batch.root, leaf: record.leaf, holder, deadline: deadline.toString() },
    proof: record.proof as Hex[],
    signer: signer.address,
    signature,
  };
}
