// A batch of calls as the Safe{Wallet} Transaction Builder imports it (version 1.0 of its JSON format), so a
// consortium that governs the registry through a multisig loads the file, checks each call and signs.

import type { Address } from "viem";
import { type GovernanceCall, methodOf } from "./calls";

export type SafeBatch = {
  version: "1.0";
  chainId: string;
  createdAt: number;
  meta: { name: string; description: string; createdFromSafeAddress?: Address };
  transactions: {
    to: Address;
    value: "0";
    data: `0x${string}`;
    contractMethod: ReturnType<typeof methodOf>;
    contractInputsValues: Record<string, string>;
  }[];
};

export type SafeBatchParameters = {
  chainId: number;
  calls: readonly GovernanceCall[];
  /** The multisig that will execute the batch, when known. */
  safe?: Address;
  name?: string;
  now?: Date;
};

/** The Transaction Builder file of `calls`: each with its calldata and its method and inputs for display. */
export function safeBatch(parameters: SafeBatchParameters): SafeBatch {
  const { calls } = parameters;
  return {
    version: "1.0",
    chainId: String(parameters.chainId),
    createdAt: (parameters.now ?? new Date()).getTime(),
    meta: {
      name: parameters.name ?? "Intyg governance",
      description: calls.map((call) => call.summary).join("\n"),
      ...(parameters.safe ? { createdFromSafeAddress: parameters.safe } : {}),
    },
    transactions: calls.map((call) => ({
      to: call.to,
      value: "0",
      data: call.data,
      contractMethod: methodOf(call.functionName),
      contractInputsValues: call.inputs,
    })),
  };
}
