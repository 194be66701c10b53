// viem actions that read the registry's views into state values: each view on its own (readContract), or many
// at once in one multicall.

import type { Address, Client, Hex } from "viem";
import { multicall, readContract } from "viem/actions";
import { intygRegistryReadAbi } from "./generated";
import type {
  EventState,
  LeafRevocationState,
  OrganisationState,
  ProfileVersionState,
  RecordState,
  SigningKeyState,
} from "./state";
import {
  decodeRegistryView,
  REGISTRY_VIEWS,
  type RegistryView,
  type RegistryViewKind,
  type RegistryViewParameters,
  type RegistryViewValue,
  registryViewCall,
} from "./views";

/** Where and when to read, with what the view is asked. */
export type ReadViewParameters<K extends RegistryViewKind> = RegistryViewParameters[K] & {
  /** The registry's address. */
  address: Address;
  /** Read at this block instead of the latest. */
  blockNumber?: bigint;
};

const abi = intygRegistryReadAbi;

export async function readOrganisation(
  client: Client,
  { address, blockNumber, ...view }: ReadViewParameters<"organisation">,
): Promise<OrganisationState> {
  const { args, decode } = REGISTRY_VIEWS.organisation;
  return decode(
    await readContract(client, { address, abi, functionName: "organisation", args: args(view), blockNumber }),
  );
}

export async function readProfileHistory(
  client: Client,
  { address, blockNumber, ...view }: ReadViewParameters<"profileHistory">,
): Promise<ProfileVersionState[]> {
  const { args, decode } = REGISTRY_VIEWS.profileHistory;
  return decode(
    await readContract(client, {
      address,
      abi,
      functionName: "organisationProfiles",
      args: args(view),
      blockNumber,
    }),
  );
}

export async function readSigningKey(
  client: Client,
  { address, blockNumber, ...view }: ReadViewParameters<"signingKey">,
): Promise<SigningKeyState> {
  const { args, decode } = REGISTRY_VIEWS.signingKey;
  return decode(
    await readContract(client, { address, abi, functionName: "signingKey", args: args(view), blockNumber }),
  );
}

export async function readEvent(
  client: Client,
  { address, blockNumber, ...view }: ReadViewParameters<"event">,
): Promise<EventState> {
  const { args, decode } = REGISTRY_VIEWS.event;
  return decode(
    await readContract(client, { address, abi, functionName: "eventInfo", args: args(view), blockNumber }),
  );
}

export async function readRecord(
  client: Client,
  { address, blockNumber, ...view }: ReadViewParameters<"record">,
): Promise<RecordState> {
  const { args, decode } = REGISTRY_VIEWS.record;
  return decode(
    await readContract(client, { address, abi, functionName: "record", args: args(view), blockNumber }),
  );
}

export async function readLeafRevocation(
  client: Client,
  { address, blockNumber, ...view }: ReadViewParameters<"leafRevocation">,
): Promise<LeafRevocationState> {
  const { args, decode } = REGISTRY_VIEWS.leafRevocation;
  return decode(
    await readContract(client, {
      address,
      abi,
      functionName: "leafRevocation",
      args: args(view),
      blockNumber,
    }),
  );
}

export async function readSupersededBy(
  client: Client,
  { address, blockNumber, ...view }: ReadViewParameters<"supersededBy">,
): Promise<Hex> {
  const { args, decode } = REGISTRY_VIEWS.supersededBy;
  return decode(
    await readContract(client, { address, abi, functionName: "supersededBy", args: args(view), blockNumber }),
  );
}

export async function readBatchMember(
  client: Client,
  { address, blockNumber, ...view }: ReadViewParameters<"batchMember">,
): Promise<boolean> {
  const { args, decode } = REGISTRY_VIEWS.batchMember;
  return decode(
    await readContract(client, {
      address,
      abi,
      functionName: "isBatchMember",
      args: args(view),
      blockNumber,
    }),
  );
}

type ViewReader<K extends RegistryViewKind> = (
  client: Client,
  parameters: ReadViewParameters<K>,
) => Promise<RegistryViewValue<K>>;

const READERS: { [K in RegistryViewKind]: ViewReader<K> } = {
  organisation: readOrganisation,
  profileHistory: readProfileHistory,
  signingKey: readSigningKey,
  event: readEvent,
  record: readRecord,
  leafRevocation: readLeafRevocation,
  supersededBy: readSupersededBy,
  batchMember: readBatchMember,
};

export type ReadRegistryViewParameters<K extends RegistryViewKind = RegistryViewKind> = {
  /** The registry's address. */
  address: Address;
  view: RegistryView<K>;
  /** Read at this block instead of the latest. */
  blockNumber?: bigint;
};

/** Reads one view of any kind (one `eth_call`). */
export function readRegistryView<K extends RegistryViewKind>(
  client: Client,
  { address, view, blockNumber }: ReadRegistryViewParameters<K>,
): Promise<RegistryViewValue<K>> {
  const read: ViewReader<K> = READERS[view.kind];
  return read(client, { ...view, address, blockNumber });
}

export type ReadRegistryViewsParameters<K extends RegistryViewKind = RegistryViewKind> = {
  /** The registry's address. */
  address: Address;
  views: readonly RegistryView<K>[];
  /** Read at this block instead of the latest. */
  blockNumber?: bigint;
  /**
   * Where the multicall runs: `deployless` (default) sends Multicall3's creation code in the `eth_call` itself,
   * so no multicall contract is needed on the chain; an address uses the Multicall3 deployed there.
   */
  multicall?: "deployless" | Address;
};

/** One view's answer, or why it failed (each read of a multicall fails on its own). */
export type RegistryViewResult<K extends RegistryViewKind = RegistryViewKind> =
  | { status: "success"; value: RegistryViewValue<K> }
  | { status: "failure"; error: Error };

/** Reads many views in one multicall: one `eth_call` (chunking is the caller's). */
export function readRegistryViews<K extends RegistryViewKind>(
  client: Client,
  parameters: ReadRegistryViewsParameters<K>,
): Promise<RegistryViewResult<K>[]>;
export async function readRegistryViews(
  client: Client,
  { address, views, blockNumber, multicall: where = "deployless" }: ReadRegistryViewsParameters,
): Promise<RegistryViewResult[]> {
  const results = await multicall(client, {
    contracts: views.map((view) => registryViewCall(address, view)),
    allowFailure: true,
    blockNumber,
    batchSize: 0,
    ...(where === "deployless" ? { deployless: true } : { multicallAddress: where }),
  });
  return results.map((result, i) =>
    result.status === "success"
      ? { status: "success", value: decodeRegistryView(views[i]!, result.result) }
      : { status: "failure", error: result.error },
  );
}
