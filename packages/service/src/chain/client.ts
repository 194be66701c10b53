import { intygRegistryAbi } from "@intyg/registry";
import {
  type Address,
  BaseError,
  type Chain,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  getContractError,
  type Hex,
  HttpRequestError,
  http,
  keccak256,
  type LocalAccount,
  type PublicClient,
  parseEventLogs,
  TimeoutError,
  TransactionReceiptNotFoundError,
  type Transport,
  type WalletClient,
} from "viem";
import { DEFAULT_RPC_CONFIG } from "../config";
import { type Signer, signerAccount } from "../signer";

export type RegistryRecord = {
  eventId: bigint;
  issuedAt: number;
  validUntil: number;
  revokedAt: number;
  revocationReason: number;
  batchSize: number;
};

export type LeafRevocation = { revokedAt: number; reason: number };

export type WriteOptions = {
  /** Called with the transaction's hash once it is signed, before it is sent (to record it first). */
  onSigned?: (hash: Hex) => Promise<void>;
};

export type TxReceipt = { transactionHash: Hex; status: "success" | "reverted"; blockNumber: bigint };

export type IssueRequestArgs = {
  commitment: Hex;
  eventId: bigint;
  validUntil: bigint;
  batchSize: number;
  holder: Address;
  deadline: bigint;
};

export type ClaimRequestArgs = { root: Hex; leaf: Hex; holder: Address; deadline: bigint };

/**
 * Everything the service does with the registry. Writes return the transaction hash as soon as the node has
 * accepted it (so callers can record it before waiting); `waitForReceipt` waits for it to be mined.
 * A fault-injecting wrapper can implement this interface around the real client (crash tests).
 */
export interface ChainClient {
  readonly chainId: number;
  readonly registry: Address;
  /** The account that sends key-only transactions (createEvent, anchorBatch, revoke …): the signing key. */
  readonly keyAddress: Address;
  /** The account that relays signed requests (issueSigned). */
  readonly relayerAddress: Address;

  blockNumber(): Promise<bigint>;
  record(commitment: Hex): Promise<RegistryRecord>;
  leafRevocation(root: Hex, leaf: Hex): Promise<LeafRevocation>;
  supersededBy(root: Hex, leaf: Hex): Promise<Hex>;
  isBatchMember(root: Hex, leaf: Hex, proof: readonly Hex[]): Promise<boolean>;
  eventInfo(
    eventId: bigint,
  ): Promise<{ metadataHash: Hex; parentId: bigint; createdAt: number; kind: number }>;
  signingKey(
    key: Address,
  ): Promise<{ organisationId: number; validFrom: number; validUntil: number; suspended: boolean }>;
  /** The organisation's on-chain profile hash, admin and status (0 none, 1 active, 2 suspended). */
  organisation(organisationId: number): Promise<{ profileHash: Hex; admin: Address; status: number }>;

  createEvent(args: {
    organisationId: number;
    parentId: bigint;
    kind: 1 | 2;
    metadataHash: Hex;
  }): Promise<Hex>;
  updateEventMetadata(args: { eventId: bigint; metadataHash: Hex }): Promise<Hex>;
  anchorBatch(
    args: { root: Hex; eventId: bigint; validUntil: bigint; batchSize: number },
    options?: WriteOptions,
  ): Promise<Hex>;
  issueSigned(args: { request: IssueRequestArgs; signature: Hex }, options?: WriteOptions): Promise<Hex>;
  revoke(args: { commitment: Hex; reason: number }): Promise<Hex>;
  revokeLeaf(args: { root: Hex; leaf: Hex; reason: number }): Promise<Hex>;
  supersede(args: { root: Hex; leaf: Hex; replacement: Hex }): Promise<Hex>;

  waitForReceipt(hash: Hex): Promise<TxReceipt>;
  /** The receipt when mined, null when unknown or still pending. */
  getReceipt(hash: Hex): Promise<TxReceipt | null>;
  /** Whether the node knows the transaction (mined or pending). */
  hasTransaction(hash: Hex): Promise<boolean>;
  /** The event id from the `EventCreated` log of a createEvent receipt. */
  createdEventId(hash: Hex): Promise<bigint>;
}

/** The registry refused a transaction (a custom error of IIntygRegistry, or another revert). Not retryable. */
export class ChainRevertError extends Error {
  override name = "ChainRevertError";
  constructor(
    readonly errorName: string,
    readonly args: readonly unknown[] = [],
    message?: string,
  ) {
    super(message ?? `the registry reverted: ${errorName}`);
  }
}

/** The node could not be reached or failed to answer. Retryable. */
export class ChainRpcError extends Error {
  override name = "ChainRpcError";
}

function isRevert(error: ContractFunctionRevertedError): boolean {
  if (error.data) return true;
  if (error.raw && error.raw !== "0x") return true;
  return /revert/i.test(`${error.reason ?? ""} ${error.details}`);
}

/** Maps viem errors onto ChainRevertError (permanent) and ChainRpcError (transient). */
export function classifyChainError(error: unknown): Error {
  if (error instanceof ChainRevertError || error instanceof ChainRpcError) return error;
  if (error instanceof BaseError) {
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    // viem reads any -32603 with a message as a revert (nodes report reverts so), but a node or proxy in trouble
    // answers -32603 too. Only revert data, or a message that says so, makes it a refusal; the rest is retried.
    if (revert instanceof ContractFunctionRevertedError && isRevert(revert)) {
      const name = revert.data?.errorName ?? revert.reason ?? "unknown";
      return new ChainRevertError(name, revert.data?.args ?? []);
    }
    const transient = error.walk(
      (e) =>
        e instanceof HttpRequestError ||
        e instanceof TimeoutError ||
        e instanceof TransactionReceiptNotFoundError,
    );
    if (transient) return new ChainRpcError(error.shortMessage);
    return new ChainRpcError(error.shortMessage);
  }
  if (error instanceof Error) return new ChainRpcError(error.message);
  return new ChainRpcError(String(error));
}

const ALREADY_KNOWN = /already known|known transaction/i;

const NONCE_ERROR =
  /nonce too low|nonce has already been used|replacement transaction underpriced|already known|nonce.*(too high|expected)/i;

/**
 * Explicit nonce management per sending account: one send at a time, the next nonce kept in memory and taken
 * from the node's pending count on first use and after any failed send. A send that the node refuses for its
 * nonce (another process used it) resynchronises and tries again.
 */
export class NonceManager {
  private next = new Map<Address, number>();
  private queues = new Map<Address, Promise<unknown>>();

  constructor(private readonly pendingCount: (address: Address) => Promise<number>) {}

  async send<T>(address: Address, fn: (nonce: number) => Promise<T>): Promise<T> {
    const previous = this.queues.get(address) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.sendNow(address, fn));
    this.queues.set(address, run);
    return run;
  }

  private async sendNow<T>(address: Address, fn: (nonce: number) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let nonce = this.next.get(address);
      if (nonce === undefined) {
        nonce = await this.pendingCount(address);
      }
      try {
        const result = await fn(nonce);
        this.next.set(address, nonce + 1);
        return result;
      } catch (error) {
        this.next.delete(address);
        const message = error instanceof BaseError ? `${error.shortMessage} ${error.details}` : String(error);
        if (attempt < 3 && NONCE_ERROR.test(message)) continue;
        throw error;
      }
    }
  }
}

export type CreateChainClientParameters = {
  rpcUrl: string;
  registry: Address;
  signer: Signer;
  /** Relays issueSigned; the signing key relays when omitted. */
  relayer?: Signer;
  /** Read from the node when omitted. */
  chainId?: number;
  /** Receipt polling, ms (default 250). */
  pollingIntervalMs?: number;
  /** Receipt wait limit, ms (default 120 s). */
  receiptTimeoutMs?: number;
  /**
   * How long one JSON-RPC request may take, ms, body included (default 20 s): a node that never answers fails
   * the call instead of blocking the worker.
   */
  requestTimeoutMs?: number;
  /** Retries of a failed request (transport errors, 5xx, -32603, -32005 …) before the call fails (default 2). */
  retryCount?: number;
};

function toReceipt(receipt: {
  transactionHash: Hex;
  status: "success" | "reverted";
  blockNumber: bigint;
}): TxReceipt {
  return {
    transactionHash: receipt.transactionHash,
    status: receipt.status,
    blockNumber: receipt.blockNumber,
  };
}

/** The registry client over viem: reads through a public client, writes from the signer (and relayer) account. */
export async function createChainClient(parameters: CreateChainClientParameters): Promise<ChainClient> {
  const transport: Transport = http(parameters.rpcUrl, {
    retryCount: parameters.retryCount ?? DEFAULT_RPC_CONFIG.retryCount,
    timeout: parameters.requestTimeoutMs ?? DEFAULT_RPC_CONFIG.timeoutMs,
  });
  const chainId = parameters.chainId ?? (await createPublicClient({ transport }).getChainId());
  const chain: Chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  const pollingInterval = parameters.pollingIntervalMs ?? 250;
  const publicClient = createPublicClient({ chain, transport, pollingInterval }) as PublicClient;
  const keyAccount: LocalAccount = signerAccount(parameters.signer);
  const relayerAccount: LocalAccount = parameters.relayer ? signerAccount(parameters.relayer) : keyAccount;
  const wallet = (account: LocalAccount): WalletClient => createWalletClient({ chain, transport, account });
  const keyWallet = wallet(keyAccount);
  const relayerWallet = relayerAccount === keyAccount ? keyWallet : wallet(relayerAccount);
  const nonces = new NonceManager((address) =>
    publicClient.getTransactionCount({ address, blockTag: "pending" }),
  );
  const registry = parameters.registry;
  const read = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw classifyChainError(error);
    }
  };

  /**
   * Prepares, signs and sends a registry call from `account` with the next nonce. The hash is known before the
   * transaction leaves (`onSigned`), so a caller can record it first: if the answer to the send is lost (a node
   * restart, a timeout), the transaction is found by its hash, pending or mined, instead of being sent again.
   */
  async function write(
    account: LocalAccount,
    client: WalletClient,
    functionName: string,
    args: readonly unknown[],
    options: WriteOptions = {},
  ): Promise<Hex> {
    const data = encodeFunctionData({
      abi: intygRegistryAbi,
      functionName: functionName as never,
      args: args as never,
    });
    try {
      return await nonces.send(account.address, async (nonce) => {
        const request = await client.prepareTransactionRequest({ account, chain, to: registry, data, nonce });
        const serializedTransaction = await account.signTransaction(request as never);
        const hash = keccak256(serializedTransaction);
        await options.onSigned?.(hash);
        try {
          return await client.sendRawTransaction({ serializedTransaction });
        } catch (error) {
          // The node has this very transaction already (an earlier send whose answer was lost).
          if (error instanceof BaseError && ALREADY_KNOWN.test(`${error.shortMessage} ${error.details}`))
            return hash;
          throw error;
        }
      });
    } catch (error) {
      if (!(error instanceof BaseError)) throw classifyChainError(error);
      throw classifyChainError(
        getContractError(error, {
          abi: intygRegistryAbi,
          address: registry,
          args: [...args],
          functionName,
          sender: account.address,
        }),
      );
    }
  }

  const timeout = parameters.receiptTimeoutMs ?? DEFAULT_RPC_CONFIG.receiptTimeoutMs;

  return {
    chainId,
    registry,
    keyAddress: keyAccount.address,
    relayerAddress: relayerAccount.address,
    blockNumber: () => read(() => publicClient.getBlockNumber({ cacheTime: 0 })),
    record: (commitment) =>
      read(async () => {
        const r = await publicClient.readContract({
          address: registry,
          abi: intygRegistryAbi,
          functionName: "record",
          args: [commitment],
        });
        return {
          eventId: r.eventId,
          issuedAt: Number(r.issuedAt),
          validUntil: Number(r.validUntil),
          revokedAt: Number(r.revokedAt),
          revocationReason: Number(r.revocationReason),
          batchSize: Number(r.batchSize),
        };
      }),
    leafRevocation: (root, leaf) =>
      read(async () => {
        const r = await publicClient.readContract({
          address: registry,
          abi: intygRegistryAbi,
          functionName: "leafRevocation",
          args: [root, leaf],
        });
        return { revokedAt: Number(r.revokedAt), reason: Number(r.reason) };
      }),
    supersededBy: (root, leaf) =>
      read(() =>
        publicClient.readContract({
          address: registry,
          abi: intygRegistryAbi,
          functionName: "supersededBy",
          args: [root, leaf],
        }),
      ),
    isBatchMember: (root, leaf, proof) =>
      read(() =>
        publicClient.readContract({
          address: registry,
          abi: intygRegistryAbi,
          functionName: "isBatchMember",
          args: [root, leaf, [...proof]],
        }),
      ),
    eventInfo: (eventId) =>
      read(async () => {
        const r = await publicClient.readContract({
          address: registry,
          abi: intygRegistryAbi,
          functionName: "eventInfo",
          args: [eventId],
        });
        return {
          metadataHash: r.metadataHash,
          parentId: r.parentId,
          createdAt: Number(r.createdAt),
          kind: Number(r.kind),
        };
      }),
    signingKey: (key) =>
      read(async () => {
        const r = await publicClient.readContract({
          address: registry,
          abi: intygRegistryAbi,
          functionName: "signingKey",
          args: [key],
        });
        return {
          organisationId: Number(r.organisationId),
          validFrom: Number(r.validFrom),
          validUntil: Number(r.validUntil),
          suspended: r.suspended,
        };
      }),

    organisation: (organisationId) =>
      read(async () => {
        const r = await publicClient.readContract({
          address: registry,
          abi: intygRegistryAbi,
          functionName: "organisation",
          args: [organisationId],
        });
        return { profileHash: r.profileHash, admin: r.admin, status: Number(r.status) };
      }),

    createEvent: ({ organisationId, parentId, kind, metadataHash }) =>
      write(keyAccount, keyWallet, "createEvent", [organisationId, parentId, kind, metadataHash]),
    updateEventMetadata: ({ eventId, metadataHash }) =>
      write(keyAccount, keyWallet, "updateEventMetadata", [eventId, metadataHash]),
    anchorBatch: ({ root, eventId, validUntil, batchSize }, options) =>
      write(keyAccount, keyWallet, "anchorBatch", [root, eventId, validUntil, batchSize], options),
    issueSigned: ({ request, signature }, options) =>
      write(relayerAccount, relayerWallet, "issueSigned", [request, signature], options),
    revoke: ({ commitment, reason }) => write(keyAccount, keyWallet, "revoke", [commitment, reason]),
    revokeLeaf: ({ root, leaf, reason }) => write(keyAccount, keyWallet, "revokeLeaf", [root, leaf, reason]),
    supersede: ({ root, leaf, replacement }) =>
      write(keyAccount, keyWallet, "supersede", [root, leaf, replacement]),

    waitForReceipt: (hash) =>
      read(async () =>
        toReceipt(await publicClient.waitForTransactionReceipt({ hash, timeout, pollingInterval })),
      ),
    getReceipt: async (hash) => {
      try {
        return toReceipt(await publicClient.getTransactionReceipt({ hash }));
      } catch (error) {
        if (error instanceof BaseError && error.walk((e) => e instanceof TransactionReceiptNotFoundError))
          return null;
        throw classifyChainError(error);
      }
    },
    hasTransaction: async (hash) => {
      try {
        await publicClient.getTransaction({ hash });
        return true;
      } catch (error) {
        if (error instanceof BaseError && /could not be found|not found/i.test(error.shortMessage))
          return false;
        throw classifyChainError(error);
      }
    },
    createdEventId: (hash) =>
      read(async () => {
        const receipt = await publicClient.getTransactionReceipt({ hash });
        const logs = parseEventLogs({ abi: intygRegistryAbi, logs: receipt.logs, eventName: "EventCreated" });
        const log = logs[0];
        if (!log) throw new ChainRevertError("EventCreatedMissing", [], "no EventCreated log in the receipt");
        return log.args.eventId;
      }),
  };
}
