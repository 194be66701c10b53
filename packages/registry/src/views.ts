// The registry's views, one entry per read: the function that answers it, its arguments and how its result
// becomes a state value. Typed from the generated read ABI (the registry's events and the views read here), so a
// wrong argument or field, or a view missing from that ABI, is a compile error.

import type {
  Address,
  ContractFunctionArgs,
  ContractFunctionName,
  ContractFunctionReturnType,
  Hex,
} from "viem";
import { intygRegistryReadAbi } from "./generated";
import type {
  EventState,
  LeafRevocationState,
  OrganisationState,
  ProfileVersionState,
  RecordState,
  SigningKeyState,
} from "./state";

type RegistryAbi = typeof intygRegistryReadAbi;
type Mutability = "pure" | "view";

/** What each view is asked, by kind. Records, leaf revocations and supersessions are per organisation. */
export type RegistryViewParameters = {
  organisation: { organisationId: number };
  signingKey: { key: Address };
  event: { eventId: bigint };
  record: { organisationId: number; commitment: Hex };
  leafRevocation: { organisationId: number; root: Hex; leaf: Hex };
  /** A single credential's leaf is zero. */
  supersededBy: { organisationId: number; root: Hex; leaf: Hex };
  /** Every profile the organisation has had, oldest first, with the time each came into force. */
  profileHistory: { organisationId: number };
  batchMember: { organisationId: number; root: Hex; leaf: Hex; proof: readonly Hex[] };
};

/** What each view answers, by kind. */
export type RegistryViewValues = {
  organisation: OrganisationState;
  signingKey: SigningKeyState;
  event: EventState;
  record: RecordState;
  leafRevocation: LeafRevocationState;
  supersededBy: Hex;
  profileHistory: ProfileVersionState[];
  batchMember: boolean;
};

export type RegistryViewKind = keyof RegistryViewParameters;

/** One read of the registry's views. */
export type RegistryView<K extends RegistryViewKind = RegistryViewKind> = {
  [P in K]: { kind: P } & RegistryViewParameters[P];
}[K];

export type RegistryViewValue<K extends RegistryViewKind = RegistryViewKind> = RegistryViewValues[K];

/** The registry function that answers each kind. */
const FUNCTION_NAMES = {
  organisation: "organisation",
  signingKey: "signingKey",
  event: "eventInfo",
  record: "record",
  leafRevocation: "leafRevocation",
  supersededBy: "supersededBy",
  profileHistory: "organisationProfiles",
  batchMember: "isBatchMember",
} as const satisfies Record<RegistryViewKind, ContractFunctionName<RegistryAbi, Mutability>>;

type FunctionOf<K extends RegistryViewKind> = (typeof FUNCTION_NAMES)[K];

/** What viem decodes a view's result into (numbers up to 48 bits, bigints above). */
export type RegistryViewReturn<K extends RegistryViewKind> = ContractFunctionReturnType<
  RegistryAbi,
  Mutability,
  FunctionOf<K>
>;

type AnyViewReturn = { [K in RegistryViewKind]: RegistryViewReturn<K> }[RegistryViewKind];

export type RegistryViewSpec<K extends RegistryViewKind> = {
  args(view: RegistryViewParameters[K]): ContractFunctionArgs<RegistryAbi, Mutability, FunctionOf<K>>;
  decode(raw: RegistryViewReturn<K>): RegistryViewValues[K];
  /** What the view returns for something that does not exist: all zeros. */
  empty(): RegistryViewValues[K];
};

const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;
const ZERO_ADDRESS: Address = `0x${"0".repeat(40)}`;

/** Each view's arguments and decoding, by kind. */
export const REGISTRY_VIEWS: { [K in RegistryViewKind]: RegistryViewSpec<K> } = {
  organisation: {
    args: (view) => [view.organisationId],
    decode: (raw) => ({
      profileHash: raw.profileHash,
      admin: raw.admin,
      status: raw.status,
      eventCount: raw.eventCount,
      suspendedAt: raw.suspendedAt,
      organisationNumberHash: raw.organisationNumberHash,
    }),
    empty: () => ({
      profileHash: ZERO_HASH,
      admin: ZERO_ADDRESS,
      status: 0,
      eventCount: 0,
      suspendedAt: 0,
      organisationNumberHash: ZERO_HASH,
    }),
  },
  signingKey: {
    args: (view) => [view.key],
    decode: (raw) => ({
      organisationId: raw.organisationId,
      validFrom: raw.validFrom,
      validUntil: raw.validUntil,
      suspended: raw.suspended,
    }),
    empty: () => ({ organisationId: 0, validFrom: 0, validUntil: 0, suspended: false }),
  },
  event: {
    args: (view) => [view.eventId],
    decode: (raw) => ({
      metadataHash: raw.metadataHash,
      parentId: raw.parentId,
      createdAt: raw.createdAt,
      kind: raw.kind,
    }),
    empty: () => ({ metadataHash: ZERO_HASH, parentId: 0n, createdAt: 0, kind: 0 }),
  },
  record: {
    args: (view) => [view.organisationId, view.commitment],
    decode: (raw) => ({
      eventId: raw.eventId,
      issuedAt: raw.issuedAt,
      validUntil: raw.validUntil,
      revokedAt: raw.revokedAt,
      revocationReason: raw.revocationReason,
      batchSize: raw.batchSize,
      anchoredBy: raw.anchoredBy,
    }),
    empty: () => ({
      eventId: 0n,
      issuedAt: 0,
      validUntil: 0,
      revokedAt: 0,
      revocationReason: 0,
      batchSize: 0,
      anchoredBy: 0,
    }),
  },
  leafRevocation: {
    args: (view) => [view.organisationId, view.root, view.leaf],
    decode: (raw) => ({ revokedAt: raw.revokedAt, reason: raw.reason }),
    empty: () => ({ revokedAt: 0, reason: 0 }),
  },
  supersededBy: {
    args: (view) => [view.organisationId, view.root, view.leaf],
    decode: (raw) => raw,
    empty: () => ZERO_HASH,
  },
  profileHistory: {
    args: (view) => [view.organisationId],
    decode: (raw) => raw.map((version) => ({ profileHash: version.profileHash, since: version.since })),
    empty: () => [],
  },
  batchMember: {
    args: (view) => [view.organisationId, view.root, view.leaf, view.proof],
    decode: (raw) => raw,
    empty: () => false,
  },
};

/** A call of one of the registry's views, as viem's readContract and multicall take it. */
export type RegistryViewCall<K extends RegistryViewKind = RegistryViewKind> = {
  [P in K]: {
    address: Address;
    abi: RegistryAbi;
    functionName: FunctionOf<P>;
    args: ContractFunctionArgs<RegistryAbi, Mutability, FunctionOf<P>>;
  };
}[K];

/** The call that reads `view` from the registry at `address`. */
export function registryViewCall<K extends RegistryViewKind>(
  address: Address,
  view: RegistryView<K>,
): RegistryViewCall<K> {
  const spec: RegistryViewSpec<K> = REGISTRY_VIEWS[view.kind];
  return {
    address,
    abi: intygRegistryReadAbi,
    functionName: FUNCTION_NAMES[view.kind],
    args: spec.args(view),
  };
}

/**
 * Turns what viem decoded for `registryViewCall(…, view)` into the view's state value. viem types the result of
 * a call chosen at run time (a multicall of mixed views, or one view of any kind) as any view's result; it is
 * this view's, as the call was built from it: the one place that pairs them.
 */
export function decodeRegistryView<K extends RegistryViewKind>(
  view: RegistryView<K>,
  raw: AnyViewReturn,
): RegistryViewValues[K] {
  const spec: RegistryViewSpec<K> = REGISTRY_VIEWS[view.kind];
  return spec.decode(raw as RegistryViewReturn<K>);
}

/** What the registry answers for `view` when nothing is there. */
export function emptyRegistryView<K extends RegistryViewKind>(view: RegistryView<K>): RegistryViewValues[K] {
  const spec: RegistryViewSpec<K> = REGISTRY_VIEWS[view.kind];
  return spec.empty();
}

export { ZERO_ADDRESS, ZERO_HASH };
