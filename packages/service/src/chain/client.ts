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
  parseSignature,
  serializeTransaction,
  signatureToCompactSignature,
  TimeoutError,
  type Transaction,
  TransactionReceiptNotFoundError,
  type TransactionSerializable,
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
  /** The anchoring key's index in its organisation plus one. */
  anchoredBy: number;
};

export type LeafRevocation = { revokedAt: number; reason: number };

export type WriteOptions = {
  /** Called with the transaction's hash once it is signed, before it is sent (to record it first). */
  onSigned?: (hash: Hex) => Promise<void>;
};

export type TxReceipt = { transactionHash: Hex; status: "success" | "reverted"; blockNumber: bigint };

/** What a replacement pays: EIP-1559 fee caps, or a legacy gas price. */
export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { gasPrice: bigint };

export type ReplacementInfo = {
  /** The pending transaction it takes the place of. */
  replaces: Hex;
  nonce: number;
  fees: Fees;
};

export type FeeCapInfo = {
  /** The transaction left pending at its fees. */
  hash: Hex;
  nonce: number;
  fees: Fees;
  /** The most a transaction may pay per gas (INTYG_MAX_FEE_GWEI, or the multiplier over its first send). */
  limit: bigint;
};

export type WaitOptions = {
  /**
   * Opts in to replacement: while none of the transactions is mined for `replaceAfterMs`, the pending one is
   * signed again — the same nonce and call — with higher fees and sent. Called with the new hash before it is
   * sent (to record it first, as `onSigned`). Without it, the wait never replaces.
   */
  onReplaced?: (hash: Hex, info: ReplacementInfo) => Promise<void>;
  /** Called (once per wait) when the fee limit leaves no room for another replacement. */
  onFeeCap?: (info: FeeCapInfo) => void;
};

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
  /** The record of `commitment` in the organisation's namespace (every organisation has its own). */
  record(organisationId: number, commitment: Hex): Promise<RegistryRecord>;
  leafRevocation(organisationId: number, root: Hex, leaf: Hex): Promise<LeafRevocation>;
  supersededBy(organisationId: number, root: Hex, leaf: Hex): Promise<Hex>;
  isBatchMember(organisationId: number, root: Hex, leaf: Hex, proof: readonly Hex[]): Promise<boolean>;
  eventInfo(
    eventId: bigint,
  ): Promise<{ metadataHash: Hex; parentId: bigint; createdAt: number; kind: number }>;
  signingKey(
    key: Address,
  ): Promise<{ organisationId: number; validFrom: number; validUntil: number; suspended: boolean }>;
  /** The organisation's on-chain profile hash, admin and status (0 none, 1 active, 2 suspended). */
  organisation(organisationId: number): Promise<{ profileHash: Hex; admin: Address; status: number }>;

  createEvent(
    args: { organisationId: number; parentId: bigint; kind: 1 | 2; metadataHash: Hex },
    options?: WriteOptions,
  ): Promise<Hex>;
  updateEventMetadata(args: { eventId: bigint; metadataHash: Hex }, options?: WriteOptions): Promise<Hex>;
  anchorBatch(
    args: { root: Hex; eventId: bigint; validUntil: bigint; batchSize: number },
    options?: WriteOptions,
  ): Promise<Hex>;
  issueSigned(args: { request: IssueRequestArgs; signature: Hex }, options?: WriteOptions): Promise<Hex>;
  revoke(
    args: { organisationId: number; commitment: Hex; reason: number },
    options?: WriteOptions,
  ): Promise<Hex>;
  revokeLeaf(
    args: { organisationId: number; root: Hex; leaf: Hex; reason: number },
    options?: WriteOptions,
  ): Promise<Hex>;
  supersede(
    args: { organisationId: number; root: Hex; leaf: Hex; replacement: Hex },
    options?: WriteOptions,
  ): Promise<Hex>;

  /**
   * Waits until one of `hashes` is mined and returns its receipt. `hashes` are one nonce's transactions of this
   * client: a send and its replacements, any of which may be mined. With `onReplaced`, a transaction that stays
   * pending is replaced at higher fees (see WaitOptions). Throws ChainRpcError after the receipt timeout,
   * NonceTakenError when another transaction took their nonce and TransactionDroppedError when the node knows
   * none of them any more (both retryable: reconcile with the chain, then send again).
   */
  waitForReceipt(hashes: Hex | readonly Hex[], options?: WaitOptions): Promise<TxReceipt>;
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

/** Another transaction of the account was mined with the nonce of the ones waited for: none of them can be. */
export class NonceTakenError extends ChainRpcError {
  override name = "NonceTakenError";
}

/** The node knows none of the transactions waited for, and none was mined: dropped, or never sent. */
export class TransactionDroppedError extends ChainRpcError {
  override name = "TransactionDroppedError";
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
const NONCE_TOO_LOW = /nonce too low|nonce has already been used/i;
const UNDERPRICED = /underpriced|fee too low|gas price too low|maxFeePerGas .*too low/i;

const errorMessage = (error: unknown): string =>
  error instanceof BaseError ? `${error.shortMessage} ${error.details}` : String(error);

/** Up by 12.5%, rounded up: a replacement must outbid its predecessor's fee cap and tip by this much. */
export function bumped(value: bigint): bigint {
  return (value * 9n + 7n) / 8n;
}

const maxOf = (a: bigint, b: bigint) => (a > b ? a : b);
const minOf = (a: bigint, b: bigint) => (a < b ? a : b);

/** The highest a transaction with these fees pays per gas. */
export function feeCeiling(fees: Fees): bigint {
  return "gasPrice" in fees ? fees.gasPrice : fees.maxFeePerGas;
}

/** What transactions pay now: the latest base fee and the node's suggested tip, or (legacy) its gas price. */
export type FeeMarket = { baseFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { gasPrice: bigint };

/**
 * The fees of a replacement for a pending transaction that paid `previous`: fee cap and tip each at least 12.5%
 * higher, and the fee cap at least twice the current base fee plus the tip (so it stays includable through a
 * few blocks of a rising base fee); never above `limit` (wei per gas). Null when the limit leaves no room for
 * the 12.5%: the transaction then stays as it is.
 */
export function replacementFees(previous: Fees, market: FeeMarket, limit: bigint | null): Fees | null {
  if ("gasPrice" in previous) {
    const floor = bumped(previous.gasPrice);
    const going =
      "gasPrice" in market ? market.gasPrice : market.baseFeePerGas * 2n + market.maxPriorityFeePerGas;
    let gasPrice = maxOf(floor, going);
    if (limit !== null) gasPrice = minOf(gasPrice, limit);
    return gasPrice < floor ? null : { gasPrice };
  }
  const tipFloor = bumped(previous.maxPriorityFeePerGas);
  const feeFloor = bumped(previous.maxFeePerGas);
  const [baseFee, tip] =
    "gasPrice" in market ? [market.gasPrice, 0n] : [market.baseFeePerGas, market.maxPriorityFeePerGas];
  let maxPriorityFeePerGas = maxOf(tipFloor, tip);
  let maxFeePerGas = maxOf(feeFloor, baseFee * 2n + maxPriorityFeePerGas);
  if (limit !== null) maxFeePerGas = minOf(maxFeePerGas, limit);
  maxPriorityFeePerGas = minOf(maxPriorityFeePerGas, maxFeePerGas);
  if (maxFeePerGas < feeFloor || maxPriorityFeePerGas < tipFloor) return null;
  return { maxFeePerGas, maxPriorityFeePerGas };
}

/** Fees `at least` each of two (a refused replacement raises the floor of the next one). */
function higherFees(a: Fees, b: Fees | null): Fees {
  if (!b) return a;
  if ("gasPrice" in a) return "gasPrice" in b ? { gasPrice: maxOf(a.gasPrice, b.gasPrice) } : a;
  if ("gasPrice" in b) return a;
  return {
    maxFeePerGas: maxOf(a.maxFeePerGas, b.maxFeePerGas),
    maxPriorityFeePerGas: maxOf(a.maxPriorityFeePerGas, b.maxPriorityFeePerGas),
  };
}

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
  /**
   * How long a transaction may stay pending before a wait with `onReplaced` replaces it at higher fees, ms
   * (default 60 s; 0 never replaces).
   */
  replaceAfterMs?: number;
  /** The most any transaction may pay per gas (maxFeePerGas, or gasPrice), wei; no absolute limit when null. */
  maxFeePerGas?: bigint | null;
  /** The most a replacement may pay per gas as a multiple of its first send's fee cap (default 10). */
  maxFeeMultiplier?: number;
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

  const timeout = parameters.receiptTimeoutMs ?? DEFAULT_RPC_CONFIG.receiptTimeoutMs;
  const replaceAfterMs = parameters.replaceAfterMs ?? DEFAULT_RPC_CONFIG.replaceAfterMs;
  const maxFeePerGas = parameters.maxFeePerGas ?? DEFAULT_RPC_CONFIG.maxFeePerGas;
  const maxFeeMultiplier = BigInt(parameters.maxFeeMultiplier ?? DEFAULT_RPC_CONFIG.maxFeeMultiplier);

  /**
   * What this client sent, by hash: when (a replacement's clock keeps running across waits that time out) and
   * the fee cap of the first send of its nonce (the multiplier's base). Forgotten once mined; bounded.
   */
  const sent = new Map<Hex, { at: number; origin: bigint | null }>();
  const remember = (hash: Hex, entry: { at: number; origin: bigint | null }) => {
    sent.set(hash, entry);
    if (sent.size > 10_000) sent.delete(sent.keys().next().value as Hex);
  };

  /** The fees of a prepared request, the absolute limit applied (a runaway base fee cannot drain the account). */
  function withinLimit(request: Record<string, unknown>): Fees {
    const limit = (fee: bigint) => (maxFeePerGas !== null && fee > maxFeePerGas ? maxFeePerGas : fee);
    if (typeof request.maxFeePerGas === "bigint") {
      const fee = limit(request.maxFeePerGas);
      const tip = minOf((request.maxPriorityFeePerGas as bigint | undefined) ?? 0n, fee);
      request.maxFeePerGas = fee;
      request.maxPriorityFeePerGas = tip;
      return { maxFeePerGas: fee, maxPriorityFeePerGas: tip };
    }
    if (typeof request.gasPrice !== "bigint") return { gasPrice: 0n };
    const gasPrice = limit(request.gasPrice);
    request.gasPrice = gasPrice;
    return { gasPrice };
  }

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
        const fees = withinLimit(request as Record<string, unknown>);
        const serializedTransaction = await account.signTransaction(request as never);
        const hash = keccak256(serializedTransaction);
        await options.onSigned?.(hash);
        remember(hash, { at: Date.now(), origin: feeCeiling(fees) });
        try {
          return await client.sendRawTransaction({ serializedTransaction });
        } catch (error) {
          // The node has this very transaction already (an earlier send whose answer was lost).
          if (ALREADY_KNOWN.test(errorMessage(error))) return hash;
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

  const isNotFound = (error: unknown) =>
    error instanceof BaseError && /could not be found|not found/i.test(error.shortMessage);

  async function receiptOf(hash: Hex): Promise<TxReceipt | null> {
    try {
      return toReceipt(await publicClient.getTransactionReceipt({ hash }));
    } catch (error) {
      if (error instanceof BaseError && error.walk((e) => e instanceof TransactionReceiptNotFoundError))
        return null;
      throw classifyChainError(error);
    }
  }

  /** The receipt of whichever of `hashes` is mined (at most one can be: they share a nonce), newest first. */
  async function minedOf(hashes: readonly Hex[]): Promise<TxReceipt | null> {
    for (const hash of [...hashes].reverse()) {
      const receipt = await receiptOf(hash);
      if (receipt) return receipt;
    }
    return null;
  }

  type Pending = {
    hash: Hex;
    account: LocalAccount;
    nonce: number;
    mined: boolean;
    unsigned: TransactionSerializable;
    fees: Fees;
  };

  /**
   * The node's copy of one of our transactions, checked: its fields, serialised with its signature, must hash
   * to `hash`. So a replacement signs the very call that was signed before, whatever a node may answer.
   */
  async function ownTransaction(hash: Hex): Promise<Pending | null> {
    let tx: Transaction;
    try {
      tx = await publicClient.getTransaction({ hash });
    } catch (error) {
      if (isNotFound(error)) return null;
      throw classifyChainError(error);
    }
    const from = tx.from.toLowerCase();
    const account = [keyAccount, relayerAccount].find((a) => a.address.toLowerCase() === from);
    if (!account || tx.to?.toLowerCase() !== registry.toLowerCase())
      throw new ChainRpcError(`transaction ${hash} is not one of this client's`);
    const common = {
      chainId: tx.chainId ?? chainId,
      nonce: tx.nonce,
      to: tx.to,
      data: tx.input,
      gas: tx.gas,
      value: tx.value,
    };
    let unsigned: TransactionSerializable;
    let fees: Fees;
    if (tx.type === "eip1559") {
      fees = { maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas };
      unsigned = { ...common, type: "eip1559", accessList: tx.accessList, ...fees };
    } else if (tx.type === "eip2930") {
      fees = { gasPrice: tx.gasPrice };
      unsigned = { ...common, type: "eip2930", accessList: tx.accessList, ...fees };
    } else if (tx.type === "legacy") {
      fees = { gasPrice: tx.gasPrice };
      unsigned = { ...common, type: "legacy", ...fees };
    } else {
      throw new ChainRpcError(`transaction ${hash} is of a type this client does not send`);
    }
    const signature = { r: tx.r, s: tx.s, v: tx.v, yParity: tx.yParity };
    if (keccak256(serializeTransaction(unsigned, signature)) !== hash.toLowerCase())
      throw new ChainRpcError(`the node's copy of transaction ${hash} does not match its hash`);
    return { hash, account, nonce: tx.nonce, mined: tx.blockNumber !== null, unsigned, fees };
  }

  const feeMarket = (fees: Fees): Promise<FeeMarket> =>
    read(async () => {
      if ("gasPrice" in fees) return { gasPrice: await publicClient.getGasPrice() };
      const block = await publicClient.getBlock({ blockTag: "latest" });
      const baseFeePerGas = block.baseFeePerGas ?? 0n;
      const maxPriorityFeePerGas = await publicClient
        .estimateMaxPriorityFeePerGas({ chain })
        .catch(() => fees.maxPriorityFeePerGas);
      return { baseFeePerGas, maxPriorityFeePerGas };
    });

  type Replaced =
    | { kind: "sent"; hash: Hex }
    | { kind: "mined"; receipt: TxReceipt }
    | { kind: "refused"; fees: Fees }
    | { kind: "capped"; info: FeeCapInfo }
    /** In a block already: its receipt comes with the next poll. */
    | { kind: "in-block" };

  /**
   * Replaces the newest of `known` that the node still has: the same nonce and call, signed again with higher
   * fees, recorded (`onReplaced`) before it is sent. `floor`: fees a node refused as too low before.
   */
  async function replace(known: Hex[], options: WaitOptions, floor: Fees | null): Promise<Replaced> {
    let current: Pending | null = null;
    for (const hash of [...known].reverse()) {
      current = await ownTransaction(hash);
      if (current) break;
    }
    if (current?.mined) return { kind: "in-block" };
    if (!current) {
      const mined = await minedOf(known);
      if (mined) return { kind: "mined", receipt: mined };
      throw new TransactionDroppedError(
        `the node knows none of ${known.length} transaction(s) ${known.at(-1)}`,
      );
    }
    const origin = sent.get(current.hash)?.origin ?? feeCeiling(current.fees);
    const relative = origin * maxFeeMultiplier;
    const limit = maxFeePerGas !== null && maxFeePerGas < relative ? maxFeePerGas : relative;
    const previous = higherFees(current.fees, floor);
    const fees = replacementFees(previous, await feeMarket(previous), limit);
    if (!fees)
      return {
        kind: "capped",
        info: { hash: current.hash, nonce: current.nonce, fees: current.fees, limit },
      };
    const serializedTransaction = await current.account.signTransaction({
      ...current.unsigned,
      ...fees,
    } as never);
    const hash = keccak256(serializedTransaction);
    await options.onReplaced?.(hash, { replaces: current.hash, nonce: current.nonce, fees });
    known.push(hash);
    remember(hash, { at: Date.now(), origin });
    try {
      await publicClient.sendRawTransaction({ serializedTransaction });
    } catch (error) {
      const message = errorMessage(error);
      // This very transaction reached the node already (a retry after a lost answer).
      if (ALREADY_KNOWN.test(message)) return { kind: "sent", hash };
      // The nonce is used: one of ours was mined meanwhile, or another transaction of the account was.
      if (NONCE_TOO_LOW.test(message)) {
        const mined = await minedOf(known);
        if (mined) return { kind: "mined", receipt: mined };
        throw new NonceTakenError(
          `the nonce ${current.nonce} of ${current.hash} was used by another transaction`,
        );
      }
      // The node wants more (its own bump rule, or a pricier one of ours it still has): the next try outbids this.
      if (UNDERPRICED.test(message)) return { kind: "refused", fees };
      throw classifyChainError(error);
    }
    return { kind: "sent", hash };
  }

  async function waitForReceipt(hashes: Hex | readonly Hex[], options: WaitOptions = {}): Promise<TxReceipt> {
    const known: Hex[] = typeof hashes === "string" ? [hashes] : [...hashes];
    if (known.length === 0) throw new Error("waitForReceipt: no transaction to wait for");
    const started = Date.now();
    const replacing = options.onReplaced !== undefined && replaceAfterMs > 0;
    // Sent before a restart: pending, as far as this client knows, since now (across waits that time out).
    if (!sent.has(known.at(-1)!)) remember(known.at(-1)!, { at: started, origin: null });
    let lastBlock: bigint | null = null;
    let floor: Fees | null = null;
    let capped = false;
    const done = (receipt: TxReceipt) => {
      for (const hash of known) sent.delete(hash);
      return receipt;
    };
    for (;;) {
      const block = await read(() => publicClient.getBlockNumber({ cacheTime: 0 }));
      if (block !== lastBlock) {
        lastBlock = block;
        const mined = await minedOf(known);
        if (mined) return done(mined);
      }
      const newest = known.at(-1)!;
      const since = sent.get(newest)?.at ?? started;
      if (replacing && !capped && Date.now() - since >= replaceAfterMs) {
        const outcome = await replace(known, options, floor);
        if (outcome.kind === "mined") return done(outcome.receipt);
        if (outcome.kind === "capped") {
          capped = true;
          options.onFeeCap?.(outcome.info);
        }
        if (outcome.kind === "refused") floor = outcome.fees;
        if (outcome.kind === "in-block") lastBlock = null;
      }
      if (Date.now() - started >= timeout)
        throw new ChainRpcError(`no receipt for ${newest} within ${timeout} ms`);
      await new Promise((resolve) => setTimeout(resolve, pollingInterval));
    }
  }

  return {
    chainId,
    registry,
    keyAddress: keyAccount.address,
    relayerAddress: relayerAccount.address,
    blockNumber: () => read(() => publicClient.getBlockNumber({ cacheTime: 0 })),
    record: (organisationId, commitment) =>
      read(async () => {
        const r = await publicClient.readContract({
          address: registry,
          abi: intygRegistryAbi,
          functionName: "record",
          args: [organisationId, commitment],
        });
        return {
          eventId: r.eventId,
          issuedAt: Number(r.issuedAt),
          validUntil: Number(r.validUntil),
          revokedAt: Number(r.revokedAt),
          revocationReason: Number(r.revocationReason),
          batchSize: Number(r.batchSize),
          anchoredBy: Number(r.anchoredBy),
        };
      }),
    leafRevocation: (organisationId, root, leaf) =>
      read(async () => {
        const r = await publicClient.readContract({
          address: registry,
          abi: intygRegistryAbi,
          functionName: "leafRevocation",
          args: [organisationId, root, leaf],
        });
        return { revokedAt: Number(r.revokedAt), reason: Number(r.reason) };
      }),
    supersededBy: (organisationId, root, leaf) =>
      read(() =>
        publicClient.readContract({
          address: registry,
          abi: intygRegistryAbi,
          functionName: "supersededBy",
          args: [organisationId, root, leaf],
        }),
      ),
    isBatchMember: (organisationId, root, leaf, proof) =>
      read(() =>
        publicClient.readContract({
          address: registry,
          abi: intygRegistryAbi,
          functionName: "isBatchMember",
          args: [organisationId, root, leaf, [...proof]],
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

    createEvent: ({ organisationId, parentId, kind, metadataHash }, options) =>
      write(keyAccount, keyWallet, "createEvent", [organisationId, parentId, kind, metadataHash], options),
    updateEventMetadata: ({ eventId, metadataHash }, options) =>
      write(keyAccount, keyWallet, "updateEventMetadata", [eventId, metadataHash], options),
    anchorBatch: ({ root, eventId, validUntil, batchSize }, options) =>
      write(keyAccount, keyWallet, "anchorBatch", [root, eventId, validUntil, batchSize], options),
    issueSigned: ({ request, signature }, options) => {
      // The registry takes the signature in ERC-2098's compact form (64 bytes of calldata instead of 160).
      const { r, yParityAndS } = signatureToCompactSignature(parseSignature(signature));
      return write(relayerAccount, relayerWallet, "issueSigned", [request, r, yParityAndS], options);
    },
    revoke: ({ organisationId, commitment, reason }, options) =>
      write(keyAccount, keyWallet, "revoke", [organisationId, commitment, reason], options),
    revokeLeaf: ({ organisationId, root, leaf, reason }, options) =>
      write(keyAccount, keyWallet, "revokeLeaf", [organisationId, root, leaf, reason], options),
    supersede: ({ organisationId, root, leaf, replacement }, options) =>
      write(keyAccount, keyWallet, "supersede", [organisationId, root, leaf, replacement], options),

    waitForReceipt,
    getReceipt: receiptOf,
    hasTransaction: async (hash) => {
      try {
        await publicClient.getTransaction({ hash });
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
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
