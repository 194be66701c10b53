import { intygRegistryAbi } from "@intyg/registry";
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type LocalAccount,
  type PublicClient,
  type WalletClient,
} from "viem";
import { DEFAULT_RPC_CONFIG } from "../config";
import { type Signer, signerAccount } from "../signer";
import { NonceManager } from "./nonces";
import { SentTransactions } from "./sent";

export type CreateChainClientParameters = {
  rpcUrl: string;
  registry: Address;
  signer: Signer;
  /**
   * Pays for and sends everything the signing key signs but does not send itself (issueSigned, and the key's
   * other calls through the registry's forwarder); the signing key sends its own when omitted.
   */
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
  /**
   * Organisations' keys hold no ether: their requests are relayed by an account of the organisation's own (its
   * own nonces, so one organisation's stuck transaction never holds up another's), which the relayer tops up:
   * below `minimumWei` it sends `topUpWei` (defaults 0.01 and 0.05 ether).
   */
  keyFunding?: { minimumWei: bigint; topUpWei: bigint };
};

/** An account that sends transactions, with its wallet client. */
export type Sender = { account: LocalAccount; wallet: WalletClient };

/** What every action of the chain client works with: the node, the registry, the senders and the limits. */
export type ChainContext = {
  readonly chain: Chain;
  readonly chainId: number;
  readonly registry: Address;
  readonly publicClient: PublicClient;
  /** The signing key: it signs every call; it sends them itself only when it is also the relayer. */
  readonly key: Sender;
  /** Sends what the key signs (the signing key when no relayer is configured). */
  readonly relayer: Sender;
  /** The service's relayer, which tops up the relayers of organisations (the relayer itself when it is one). */
  readonly funder: Sender;
  /** The service's relayer as a signer, from which organisations' relayers are derived. */
  readonly relayerSigner: Signer;
  /** The registry's trusted forwarder (ERC-2771), read from the registry once. */
  readonly forwarder: () => Promise<Address>;
  readonly nonces: NonceManager;
  readonly sent: SentTransactions;
  readonly pollingIntervalMs: number;
  readonly receiptTimeoutMs: number;
  readonly replaceAfterMs: number;
  readonly maxFeePerGas: bigint | null;
  readonly maxFeeMultiplier: bigint;
  readonly keyFunding: { minimumWei: bigint; topUpWei: bigint };
  /** Every account this client has sent from (the signing key, the relayer, organisations' keys), by address. */
  readonly senders: Map<string, Sender>;
  /** A sender for `account` over this context's node. */
  readonly senderOf: (account: LocalAccount) => Sender;
};

/** Connects to the node (reading its chain id unless given) and sets up the senders. */
export async function createChainContext(parameters: CreateChainClientParameters): Promise<ChainContext> {
  const transport = http(parameters.rpcUrl, {
    retryCount: parameters.retryCount ?? DEFAULT_RPC_CONFIG.retryCount,
    timeout: parameters.requestTimeoutMs ?? DEFAULT_RPC_CONFIG.timeoutMs,
  });
  const chainId = parameters.chainId ?? (await createPublicClient({ transport }).getChainId());
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  const pollingIntervalMs = parameters.pollingIntervalMs ?? 250;
  const publicClient: PublicClient = createPublicClient({
    chain,
    transport,
    pollingInterval: pollingIntervalMs,
  });
  const senders = new Map<string, Sender>();
  const sender = (account: LocalAccount): Sender => {
    const known = senders.get(account.address.toLowerCase());
    if (known) return known;
    const made = { account, wallet: createWalletClient({ chain, transport, account }) };
    senders.set(account.address.toLowerCase(), made);
    return made;
  };
  const key = sender(signerAccount(parameters.signer));
  const relayer = parameters.relayer ? sender(signerAccount(parameters.relayer)) : key;
  let forwarder: Promise<Address> | null = null;
  return {
    chain,
    chainId,
    registry: parameters.registry,
    publicClient,
    key,
    relayer,
    funder: relayer,
    relayerSigner: parameters.relayer ?? parameters.signer,
    forwarder: () => {
      forwarder ??= publicClient
        .readContract({
          address: parameters.registry,
          abi: intygRegistryAbi,
          functionName: "trustedForwarder",
        })
        .catch((error: unknown) => {
          forwarder = null;
          throw error;
        });
      return forwarder;
    },
    nonces: new NonceManager((address) => publicClient.getTransactionCount({ address, blockTag: "pending" })),
    sent: new SentTransactions(),
    pollingIntervalMs,
    receiptTimeoutMs: parameters.receiptTimeoutMs ?? DEFAULT_RPC_CONFIG.receiptTimeoutMs,
    replaceAfterMs: parameters.replaceAfterMs ?? DEFAULT_RPC_CONFIG.replaceAfterMs,
    maxFeePerGas: parameters.maxFeePerGas ?? DEFAULT_RPC_CONFIG.maxFeePerGas,
    maxFeeMultiplier: BigInt(parameters.maxFeeMultiplier ?? DEFAULT_RPC_CONFIG.maxFeeMultiplier),
    keyFunding: parameters.keyFunding ?? { minimumWei: 10n ** 16n, topUpWei: 5n * 10n ** 16n },
    senders,
    senderOf: sender,
  };
}

/**
 * The same node, nonces and limits, with `signer` as the key that signs (an organisation's key) and `relayer`
 * (the organisation's own, topped up by the service's relayer) as the account that sends; the service's relayer
 * sends when none is given.
 */
export function withKey(ctx: ChainContext, signer: Signer, relayer?: Signer): ChainContext {
  return {
    ...ctx,
    key: ctx.senderOf(signerAccount(signer)),
    relayer: relayer ? ctx.senderOf(signerAccount(relayer)) : ctx.relayer,
  };
}
