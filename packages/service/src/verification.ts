// The service's verifier: @intyg/verifier's VC-API verifier over the service's own chain and trusted registry.

import { createVcApiVerifier } from "@intyg/verifier";
import type { Address } from "viem";
import type { CredentialVerifier } from "./http/context";

export type CreateVerificationParameters = {
  rpcUrl: string;
  /** The registry this service trusts: a credential naming another fails the issuer check. */
  registry: Address;
  /** The chain the node must be on (the service's own); a node on another chain is refused. */
  chainId?: number;
};

export function createVerification(parameters: CreateVerificationParameters): CredentialVerifier {
  return createVcApiVerifier({
    rpcUrl: parameters.rpcUrl,
    registry: parameters.registry,
    ...(parameters.chainId !== undefined ? { chainId: parameters.chainId } : {}),
    // Every report says its trust anchor is this service's own configuration.
    trustSource: { source: "server" },
  });
}
