// Offline verification: a snapshot records, at one block, every organisation (with its profile history), key,
// event, record, leaf revocation and supersession of a registry — records and revocations keyed by organisation,
// as each organisation has its own namespace. It is found from the registry's own events (getLogs from
// block 0) and filled in from its views, so a verifier can later answer every query with no network.

import { EVENT_KIND, intygRegistryReadAbi, ORGANISATION_STATUS } from "@intyg/registry";
import { type Address, type Hex, isAddress, type Log, type PublicClient, parseEventLogs } from "viem";
import { RegistryReadError, SnapshotError } from "../errors";
import { createRegistryClient, createRpcReader } from "./rpc";
import {
  type EventState,
  emptyValue,
  type LeafRevocationState,
  type OrganisationState,
  type ProfileVersionState,
  queryKey,
  type ReaderContext,
  type RecordState,
  type RegistryQuery,
  type RegistryReader,
  type RegistryValue,
  type SigningKeyState,
} from "./state";

/** The `format` of a snapshot file. */
export const SNAPSHOT_FORMAT = "intyg-registry-snapshot/2";

/** A registry snapshot as JSON (ids and block numbers as decimal strings, times as unix seconds). */
export type RegistrySnapshot = {
  format: typeof SNAPSHOT_FORMAT;
  chainId: number;
  registry: Address;
  blockNumber: string;
  blockTimestamp: number;
  /** The hash of that block: a verifier with a node it trusts can check the snapshot is of its chain. */
  blockHash?: Hex;
  /** When the snapshot was recorded (ISO 8601 UTC). */
  recordedAt: string;
  organisations: Record<string, OrganisationState>;
  signingKeys: Record<string, SigningKeyState>;
  events: Record<string, Omit<EventState, "parentId"> & { parentId: string }>;
  /** Keyed `<organisationId>:<commitment>`. */
  records: Record<string, Omit<RecordState, "eventId"> & { eventId: string }>;
  /** Keyed `<organisationId>:<root>:<leaf>`. */
  leafRevocations: Record<string, LeafRevocationState>;
  /** Keyed `<organisationId>:<root>:<leaf>`; a single credential's leaf is zero. */
  supersededBy: Record<string, Hex>;
  /** Every profile each organisation has had, oldest first, with the time it came into force. */
  profileHistory?: Record<string, ProfileVersionState[]>;
  /** Every metadata hash each event has had, oldest first. */
  metadataHistory?: Record<string, Hex[]>;
};

export type RecordSnapshotParameters = {
  registry: Address;
  rpcUrl?: string;
  client?: PublicClient;
  /** Record at this block (default: the latest). */
  blockNumber?: bigint;
  /** First block to scan for the registry's events (default 0: the deployment block or earlier). */
  fromBlock?: bigint;
  /** Blocks per `eth_getLogs` request (default: the whole range in one request). */
  logChunkSize?: bigint;
  /** The clock for `recordedAt` (tests). */
  now?: Date;
};

const pairKey = (organisationId: number, root: Hex, leaf: Hex) =>
  `${organisationId}:${root.toLowerCase()}:${leaf.toLowerCase()}`;

async function registryLogs(client: PublicClient, parameters: RecordSnapshotParameters, toBlock: bigint) {
  const from = parameters.fromBlock ?? 0n;
  const step = parameters.logChunkSize && parameters.logChunkSize > 0n ? parameters.logChunkSize : undefined;
  const logs: Log[] = [];
  for (let start = from; start <= toBlock; start = step ? start + step : toBlock + 1n) {
    const end = step && start + step - 1n < toBlock ? start + step - 1n : toBlock;
    logs.push(...(await client.getLogs({ address: parameters.registry, fromBlock: start, toBlock: end })));
  }
  return parseEventLogs({ abi: intygRegistryReadAbi, logs, strict: true });
}

/** Records the registry state at a block into a snapshot (write it with `JSON.stringify`). */
export async function recordSnapshot(parameters: RecordSnapshotParameters): Promise<RegistrySnapshot> {
  if (!parameters.client && !parameters.rpcUrl) throw new SnapshotError("An RPC URL or a client is needed");
  const client = parameters.client ?? createRegistryClient(parameters.rpcUrl!);
  const reader = createRpcReader({ ...parameters, client });
  const context = await reader.context();

  let events: Awaited<ReturnType<typeof registryLogs>>;
  try {
    events = await registryLogs(client, parameters, context.blockNumber);
  } catch (error) {
    throw new RegistryReadError("The registry's events could not be read", { cause: error });
  }
  const queries = new Map<string, RegistryQuery>();
  const add = (query: RegistryQuery) => queries.set(queryKey(query), query);
  const profileHistory: Record<string, ProfileVersionState[]> = {};
  const metadataHistory: Record<string, Hex[]> = {};
  const push = (history: Record<string, Hex[]>, id: number | bigint, hash: Hex) => {
    history[String(id)] = [...(history[String(id)] ?? []), hash];
  };
  for (const event of events) {
    switch (event.eventName) {
      case "EventMetadataUpdated":
        push(metadataHistory, event.args.eventId, event.args.metadataHash);
        break;
      case "OrganisationAccredited":
        add({ kind: "organisation", organisationId: event.args.organisationId });
        add({ kind: "profileHistory", organisationId: event.args.organisationId });
        break;
      case "SigningKeyAuthorised":
        add({ kind: "signingKey", key: event.args.key });
        break;
      case "EventCreated":
        push(metadataHistory, event.args.eventId, event.args.metadataHash);
        add({ kind: "event", eventId: event.args.eventId });
        break;
      case "CredentialAnchored":
        add({
          kind: "record",
          organisationId: Number(event.args.eventId >> 32n),
          commitment: event.args.commitment,
        });
        break;
      case "BatchLeafRevoked":
        add({
          kind: "leafRevocation",
          organisationId: event.args.organisationId,
          root: event.args.root,
          leaf: event.args.leaf,
        });
        break;
      case "CredentialSuperseded":
        add({
          kind: "supersededBy",
          organisationId: event.args.organisationId,
          root: event.args.root,
          leaf: event.args.leaf,
        });
        break;
    }
  }
  await reader.load([...queries.values()]);

  const snapshot: RegistrySnapshot = {
    format: SNAPSHOT_FORMAT,
    chainId: context.chainId,
    registry: parameters.registry,
    blockNumber: context.blockNumber.toString(),
    blockTimestamp: context.blockTimestamp,
    ...(context.blockHash ? { blockHash: context.blockHash } : {}),
    recordedAt: (parameters.now ?? new Date()).toISOString(),
    organisations: {},
    signingKeys: {},
    events: {},
    records: {},
    leafRevocations: {},
    supersededBy: {},
    profileHistory,
    metadataHistory,
  };
  for (const query of queries.values()) {
    const value = reader.get(query);
    if (value === undefined)
      throw new RegistryReadError(`The registry could not be read (${queryKey(query)})`);
    switch (query.kind) {
      case "organisation":
        snapshot.organisations[String(query.organisationId)] = value as OrganisationState;
        break;
      case "signingKey":
        snapshot.signingKeys[query.key.toLowerCase()] = value as SigningKeyState;
        break;
      case "event": {
        const event = value as EventState;
        snapshot.events[query.eventId.toString()] = { ...event, parentId: event.parentId.toString() };
        break;
      }
      case "record": {
        const record = value as RecordState;
        snapshot.records[`${query.organisationId}:${query.commitment.toLowerCase()}`] = {
          ...record,
          eventId: record.eventId.toString(),
        };
        break;
      }
      case "leafRevocation":
        snapshot.leafRevocations[pairKey(query.organisationId, query.root, query.leaf)] =
          value as LeafRevocationState;
        break;
      case "supersededBy":
        snapshot.supersededBy[pairKey(query.organisationId, query.root, query.leaf)] = value as Hex;
        break;
      case "profileHistory":
        profileHistory[String(query.organisationId)] = value as ProfileVersionState[];
        break;
      default:
        break;
    }
  }
  return snapshot;
}

// --- reading a snapshot back -------------------------------------------------------------------------------

const HEX32 = /^0x[0-9a-f]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function uint(value: unknown, where: string, max = 2 ** 48): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new SnapshotError(`Snapshot: ${where} is not a valid number`);
  }
  return value;
}

function decimal(value: unknown, where: string): bigint {
  if (typeof value !== "string" || !DECIMAL.test(value))
    throw new SnapshotError(`Snapshot: ${where} is invalid`);
  return BigInt(value);
}

function hash(value: unknown, where: string): Hex {
  if (typeof value !== "string" || !HEX32.test(value.toLowerCase())) {
    throw new SnapshotError(`Snapshot: ${where} is not a 32-byte hash`);
  }
  return value.toLowerCase() as Hex;
}

function address(value: unknown, where: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw new SnapshotError(`Snapshot: ${where} is not an address`);
  }
  return value as Address;
}

function section(snapshot: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = snapshot[name] ?? {};
  if (!isRecord(value)) throw new SnapshotError(`Snapshot: ${name} is not an object`);
  return value;
}

function entries<T>(
  snapshot: Record<string, unknown>,
  name: string,
  parse: (key: string, value: Record<string, unknown>) => [string, T],
): Map<string, T> {
  const map = new Map<string, T>();
  for (const [key, value] of Object.entries(section(snapshot, name))) {
    if (!isRecord(value) && name !== "supersededBy")
      throw new SnapshotError(`Snapshot: ${name}.${key} is invalid`);
    const [k, v] = parse(key, value as Record<string, unknown>);
    map.set(k, v);
  }
  return map;
}

/** A snapshot checked and turned into query answers. */
export type ParsedSnapshot = {
  snapshot: RegistrySnapshot;
  context: ReaderContext;
  values: Map<string, RegistryValue<RegistryQuery>>;
};

/** Checks a snapshot (an object or its JSON text) and indexes it by query. Throws {@link SnapshotError}. */
export function parseSnapshot(input: unknown): ParsedSnapshot {
  let data = input;
  if (typeof input === "string") {
    try {
      data = JSON.parse(input);
    } catch {
      throw new SnapshotError("The snapshot is not JSON");
    }
  }
  if (!isRecord(data) || data.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotError(`Not a registry snapshot (expected format "${SNAPSHOT_FORMAT}")`);
  }
  if (typeof data.registry !== "string" || !isAddress(data.registry, { strict: false })) {
    throw new SnapshotError("Snapshot: registry is not an address");
  }
  const chainId = uint(data.chainId, "chainId", Number.MAX_SAFE_INTEGER);
  const blockNumber = decimal(data.blockNumber, "blockNumber");
  const blockTimestamp = uint(data.blockTimestamp, "blockTimestamp");
  const blockHash = data.blockHash === undefined ? undefined : hash(data.blockHash, "blockHash");
  const values = new Map<string, RegistryValue<RegistryQuery>>();

  for (const [key, value] of entries(data, "organisations", (id, v) => {
    const organisationId = uint(Number(id), `organisations.${id}`, 2 ** 32 - 1);
    const state: OrganisationState = {
      profileHash: hash(v.profileHash, `organisations.${id}.profileHash`),
      admin: address(v.admin, `organisations.${id}.admin`),
      status: uint(v.status, `organisations.${id}.status`, ORGANISATION_STATUS.suspended),
      eventCount: uint(v.eventCount, `organisations.${id}.eventCount`),
      suspendedAt: uint(v.suspendedAt, `organisations.${id}.suspendedAt`),
      organisationNumberHash: hash(v.organisationNumberHash, `organisations.${id}.organisationNumberHash`),
    };
    return [queryKey({ kind: "organisation", organisationId }), state];
  }))
    values.set(key, value);

  for (const [key, value] of entries(data, "signingKeys", (address, v) => {
    if (!isAddress(address, { strict: false }))
      throw new SnapshotError(`Snapshot: ${address} is not an address`);
    const state: SigningKeyState = {
      organisationId: uint(v.organisationId, `signingKeys.${address}.organisationId`, 2 ** 32 - 1),
      validFrom: uint(v.validFrom, `signingKeys.${address}.validFrom`),
      validUntil: uint(v.validUntil, `signingKeys.${address}.validUntil`),
      suspended: v.suspended === true,
    };
    return [queryKey({ kind: "signingKey", key: address as Address }), state];
  }))
    values.set(key, value);

  for (const [key, value] of entries(data, "events", (id, v) => {
    const state: EventState = {
      metadataHash: hash(v.metadataHash, `events.${id}.metadataHash`),
      parentId: decimal(v.parentId, `events.${id}.parentId`),
      createdAt: uint(v.createdAt, `events.${id}.createdAt`),
      kind: uint(v.kind, `events.${id}.kind`, EVENT_KIND.course),
    };
    return [queryKey({ kind: "event", eventId: decimal(id, `events.${id}`) }), state];
  }))
    values.set(key, value);

  const organisationOf = (name: string, id: string | undefined, key: string) =>
    uint(Number(id), `${name}.${key}`, 2 ** 32 - 1);
  for (const [key, value] of entries(data, "records", (k, v) => {
    const [id, commitment] = k.split(":");
    const state: RecordState = {
      eventId: decimal(v.eventId, `records.${k}.eventId`),
      issuedAt: uint(v.issuedAt, `records.${k}.issuedAt`),
      validUntil: uint(v.validUntil, `records.${k}.validUntil`),
      revokedAt: uint(v.revokedAt, `records.${k}.revokedAt`),
      revocationReason: uint(v.revocationReason, `records.${k}.revocationReason`, 255),
      batchSize: uint(v.batchSize, `records.${k}.batchSize`, 2 ** 32 - 1),
      anchoredBy: uint(v.anchoredBy ?? 0, `records.${k}.anchoredBy`, 255),
    };
    const query: RegistryQuery = {
      kind: "record",
      organisationId: organisationOf("records", id, k),
      commitment: hash(commitment, `records.${k}`),
    };
    return [queryKey(query), state];
  }))
    values.set(key, value);

  const triple = (name: string, key: string): [number, Hex, Hex] => {
    const [id, root, leaf] = key.split(":");
    return [organisationOf(name, id, key), hash(root, `${name}.${key}`), hash(leaf, `${name}.${key}`)];
  };
  for (const [key, value] of entries(data, "leafRevocations", (k, v) => {
    const [organisationId, root, leaf] = triple("leafRevocations", k);
    const state: LeafRevocationState = {
      revokedAt: uint(v.revokedAt, `leafRevocations.${k}.revokedAt`),
      reason: uint(v.reason, `leafRevocations.${k}.reason`, 255),
    };
    return [queryKey({ kind: "leafRevocation", organisationId, root, leaf }), state];
  }))
    values.set(key, value);

  for (const [key, value] of entries(data, "supersededBy", (k, v) => {
    const [organisationId, root, leaf] = triple("supersededBy", k);
    return [queryKey({ kind: "supersededBy", organisationId, root, leaf }), hash(v, `supersededBy.${k}`)];
  }))
    values.set(key, value);

  for (const [id, list] of Object.entries(section(data, "profileHistory"))) {
    if (!Array.isArray(list)) throw new SnapshotError(`Snapshot: profileHistory.${id} is not a list`);
    const versions = list.map((item, i): ProfileVersionState => {
      if (!isRecord(item)) throw new SnapshotError(`Snapshot: profileHistory.${id}[${i}] is invalid`);
      return {
        profileHash: hash(item.profileHash, `profileHistory.${id}[${i}].profileHash`),
        since: uint(item.since, `profileHistory.${id}[${i}].since`),
      };
    });
    const query: RegistryQuery = {
      kind: "profileHistory",
      organisationId: organisationOf("profileHistory", id, id),
    };
    values.set(queryKey(query), versions);
  }
  for (const [id, list] of Object.entries(section(data, "metadataHistory"))) {
    if (!Array.isArray(list)) throw new SnapshotError(`Snapshot: metadataHistory.${id} is not a list`);
    const hashes = list.map((item, i) => hash(item, `metadataHistory.${id}[${i}]`));
    values.set(queryKey({ kind: "metadataHistory", eventId: decimal(id, `metadataHistory.${id}`) }), hashes);
  }

  return {
    snapshot: data as RegistrySnapshot,
    context: {
      source: "snapshot",
      chainId,
      registry: data.registry as Address,
      blockNumber,
      blockTimestamp,
      ...(blockHash ? { blockHash } : {}),
    },
    values,
  };
}

/** A registry reader answering from a snapshot: no network. What the snapshot lacks reads as zeros. */
export function createSnapshotReader(snapshot: RegistrySnapshot | ParsedSnapshot | string): RegistryReader {
  const parsed =
    typeof snapshot === "object" && "values" in snapshot && snapshot.values instanceof Map
      ? (snapshot as ParsedSnapshot)
      : parseSnapshot(snapshot);
  return {
    context: async () => parsed.context,
    load: async () => {},
    get<Q extends RegistryQuery>(query: Q) {
      // The index holds each query's value under its key, as parsed for that kind of query.
      return (parsed.values.get(queryKey(query)) ?? emptyValue(query)) as RegistryValue<Q>;
    },
  };
}
