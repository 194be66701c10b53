import type { ChainClient } from "../chain/client";
import type { Clock } from "../clock";
import type { ServiceConfig } from "../config";
import type { KeyDirectory } from "../keys/directory";
import type { Logger } from "../logger";
import type { Signer } from "../signer";
import type { Store } from "../store/store";
import type { ApiKey, Organisation } from "../store/types";
import type { Leadership } from "../worker/leader";
import type { HolderPage, VerifyPage } from "./routes/verify-page";

/**
 * The VC-API verification hook: @intyg/verifier's VC-API verifier (createVerification) in the service; without
 * one the verify routes answer 501. It takes the validated request body as it is.
 */
export interface CredentialVerifier {
  verifyCredential(input: { verifiableCredential?: unknown; options?: unknown }): Promise<VerifyReport>;
  verifyPresentation(input: {
    verifiablePresentation?: unknown;
    presentation?: unknown;
    options?: unknown;
  }): Promise<VerifyReport>;
}

/** A VC-API verification result, answered as it is. */
export type VerifyReport = Record<string, unknown>;

/** Everything the HTTP app needs; tests and main() build it. */
export type AppDeps = {
  store: Store;
  /** The service's own key: signs for the organisation it is authorised for, when it has no key of its own. */
  signer: Signer;
  /** Organisations' own keys; without it, only the service's key signs. */
  keys?: KeyDirectory;
  chain: ChainClient;
  clock: Clock;
  logger: Logger;
  config: ServiceConfig;
  /** Woken after new work is stored (the anchoring worker), when running in the same process. */
  worker?: {
    /** `ready`: what was stored is ready to send as it is (a batch signed at issuance): no gathering pause. */
    wake(ready?: boolean): void;
    leadership?: Pick<Leadership, "state" | "current">;
  };
  /** VC-API `/credentials/verify` and `/presentations/verify`; 501 when absent. */
  verifier?: CredentialVerifier;
  /**
   * The verifier page served at GET /verify (with its script and style); 501 when absent. A function, as the
   * page is configured again once the service knows its own URL (port 0).
   */
  verifyPage?: () => VerifyPage;
  /** The holder page served at GET /holder/{token} to browsers; JSON only when absent. */
  holderPage?: HolderPage;
};

export type AuthContext = { apiKey: ApiKey; organisation: Organisation };

export type AppEnv = {
  Variables: {
    requestId: string;
    auth: AuthContext;
  };
};
