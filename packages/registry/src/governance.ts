// The registry's governance actions as calls (the function, its arguments and the encoded calldata), and a
// batch of them as the Safe{Wallet} Transaction Builder imports it: the same call is sent with a governance
// key (`intyg governance … --send`) or written for a multisig to check and sign (`--safe`, the service's
// onboarding), so both say exactly the same thing.

import { type Address, encodeFunctionData, type Hex, keccak256, stringToBytes } from "viem";
import { intygRegistryAbi } from "./generated";

/** The registry functions a governor (or the default admin, for roles) calls. */
export type GovernanceFunction =
  | "accreditOrganisation"
  | "suspendOrganisation"
  | "reinstateOrganisation"
  | "approveOrganisationProfile"
  | "scheduleRoleGrant"
  | "cancelRoleGrant"
  | "grantRole"
  | "revokeRole";

export type GovernanceCall = {
  to: Address;
  functionName: GovernanceFunction;
  /** The arguments by parameter name, as text (what a multisig's transaction builder shows). */
  inputs: Record<string, string>;
  data: Hex;
  /** One line saying what the call does, for the person who approves it. */
  summary: string;
};

/** The roles governance manages: the governor, and the default admin that schedules role grants. */
export const GOVERNANCE_ROLES = {
  governor: keccak256(stringToBytes("GOVERNOR_ROLE")),
  admin: `0x${"0".repeat(64)}` as Hex,
} as const;

export type GovernanceRoleName = keyof typeof GOVERNANCE_ROLES;

/** What a governance call does, for the person approving it: set by the caller, in its language. */
type Summary = { summary: string };

const call = (
  to: Address,
  functionName: GovernanceFunction,
  data: Hex,
  inputs: Record<string, string | number>,
  summary: string,
): GovernanceCall => ({
  to,
  functionName,
  inputs: Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, String(value)])),
  data,
  summary,
});

const abi = intygRegistryAbi;

/** Accredits an organisation: its admin, the hash of its profile (bound to its future id) and of its number. */
export function accreditCall(
  registry: Address,
  p: Summary & { admin: Address; profileHash: Hex; organisationNumberHash: Hex },
): GovernanceCall {
  const args = [p.admin, p.profileHash, p.organisationNumberHash] as const;
  const data = encodeFunctionData({ abi, functionName: "accreditOrganisation", args });
  const inputs = {
    admin: p.admin,
    profileHash: p.profileHash,
    organisationNumberHash: p.organisationNumberHash,
  };
  return call(registry, "accreditOrganisation", data, inputs, p.summary);
}

/** Suspends an organisation (its keys stop signing) or reinstates a suspended one. */
export function statusCall(
  registry: Address,
  p: Summary & { organisationId: number; action: "suspend" | "reinstate" },
): GovernanceCall {
  const functionName = p.action === "suspend" ? "suspendOrganisation" : "reinstateOrganisation";
  const data = encodeFunctionData({ abi, functionName, args: [p.organisationId] });
  return call(registry, functionName, data, { organisationId: p.organisationId }, p.summary);
}

/** Approves the profile change an organisation's admin proposed (only that exact hash). */
export function approveProfileCall(
  registry: Address,
  p: Summary & { organisationId: number; profileHash: Hex },
): GovernanceCall {
  const args = [p.organisationId, p.profileHash] as const;
  const data = encodeFunctionData({ abi, functionName: "approveOrganisationProfile", args });
  const inputs = { organisationId: p.organisationId, profileHash: p.profileHash };
  return call(registry, "approveOrganisationProfile", data, inputs, p.summary);
}

/** A step of a role grant (scheduled, cancelled, completed after the admin delay) or a revocation. */
export function roleCall(
  registry: Address,
  p: Summary & {
    step: "scheduleRoleGrant" | "cancelRoleGrant" | "grantRole" | "revokeRole";
    role: GovernanceRoleName;
    account: Address;
  },
): GovernanceCall {
  const args = [GOVERNANCE_ROLES[p.role], p.account] as const;
  const data = encodeFunctionData({ abi, functionName: p.step, args });
  const inputs = { role: GOVERNANCE_ROLES[p.role], account: p.account };
  return call(registry, p.step, data, inputs, p.summary);
}

/** The ABI entry of a call's function, as a transaction builder lists a contract method. */
export function methodOf(functionName: GovernanceFunction) {
  const entry = intygRegistryAbi.find((item) => item.type === "function" && item.name === functionName);
  if (entry?.type !== "function") throw new Error(`The registry has no function ${functionName}`);
  return {
    name: entry.name,
    payable: false,
    inputs: entry.inputs.map((input) => ({
      name: input.name,
      type: input.type,
      internalType: input.internalType,
    })),
  };
}

/** A Transaction Builder file (version 1.0 of its JSON format). */
export type SafeBatch = {
  version: "1.0";
  chainId: string;
  createdAt: number;
  meta: { name: string; description: string; createdFromSafeAddress?: Address };
  transactions: {
    to: Address;
    value: "0";
    data: Hex;
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
      description: calls.map((c) => c.summary).join("\n"),
      ...(parameters.safe ? { createdFromSafeAddress: parameters.safe } : {}),
    },
    transactions: calls.map((c) => ({
      to: c.to,
      value: "0",
      data: c.data,
      contractMethod: methodOf(c.functionName),
      contractInputsValues: c.inputs,
    })),
  };
}
