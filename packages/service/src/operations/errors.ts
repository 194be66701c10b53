import { IntygError } from "@intyg/credential/error";

export type OperationErrorCode =
  /** A transaction was mined reverted and the chain does not show its effect: sent again on the next attempt. */
  | "reverted"
  /** Work that cannot be built as stored (a batch whose event differs from its group, a member without a leaf). */
  | "inconsistent"
  /** The worker did not drain in time. */
  | "drain-timeout";

/** A tracked operation or the worker's pass could not go on; retried unless said otherwise. */
export class OperationError extends IntygError<OperationErrorCode> {
  override name = "OperationError";
  constructor(code: OperationErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { code, cause: options.cause });
  }
}

/** The operation cannot be sent as it stands (e.g. erased before it was anchored): it fails without sending. */
export class OperationRefusedError extends IntygError<"refused"> {
  override name = "OperationRefusedError";
  constructor(message: string) {
    super(message, { code: "refused" });
  }
}
