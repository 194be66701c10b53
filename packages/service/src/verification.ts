// The service's verifier: @intyg/verifier's VC-API verifier over the service's own chain and trusted registry.

import { createVcApiVerifier } from "@intyg/verifier";
import type { Address } from "viem";
import type { CredentialVerifier } from "./http/context";

export type CreateVerificationParameters = {
  rpcUrl: string;
  /** The registry this service trusts: a credential naming another fails the issuer check. */
  registry: Address;
};

export function createVerification(parameters: CreateVerificationParameters): CredentialVerifier {
  return createVcApiVerifier({ rpcUrl: parameters.rpcUrl, registry: parameters.registry });
}
