// Sends governance calls with a governance key: each simulated first, so a refusal is reported with the
// registry's reason before anything is signed, then sent and waited for.

import { readFileSync } from "node:fs";
import path from "node:path";
import { intygRegistryAbi } from "@intyg/registry";
import type { Lang } from "@intyg/verifier";
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { CliError, EXIT } from "../errors";
import type { CliIo } from "../io";
import type { GovernanceCall } from "./calls";
import { governanceText } from "./texts";

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;

/** The governance key from INTYG_GOVERNANCE_KEY or a key file: never from the command line. */
export function governanceKey(io: Pick<CliIo, "env" | "cwd">, keyFile: string | undefined, lang: Lang): Hex {
  let value: string | undefined;
  let where = "INTYG_GOVERNANCE_KEY";
  if (keyFile) {
    where = `--key-file ${keyFile}`;
    try {
      value = readFileSync(path.resolve(io.cwd, keyFile), "utf8").trim();
    } catch {
      throw new CliError(governanceText(lang, "bad-key-file", { file: keyFile }));
    }
  } else value = io.env.INTYG_GOVERNANCE_KEY?.trim();
  if (!value) throw new CliError(governanceText(lang, "need-key"));
  if (!PRIVATE_KEY.test(value)) throw new CliError(governanceText(lang, "bad-key", { where }));
  return value as Hex;
}

/** The registry's own reason for refusing a call (its custom error), else the node's short message. */
function refusal(error: unknown): string {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName) {
      const args = (reverted.data.args ?? []).map(String).join(", ");
      return `${reverted.data.errorName}(${args})`;
    }
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

export type SentCall = { call: GovernanceCall; hash: Hex; blockNumber: bigint };

/** Simulates, sends and waits for each call in order; stops at the first refusal (exit 1). */
export async function sendCalls(parameters: {
  rpcUrl: string;
  key: Hex;
  calls: readonly GovernanceCall[];
  lang: Lang;
}): Promise<SentCall[]> {
  const account = privateKeyToAccount(parameters.key);
  const transport = http(parameters.rpcUrl);
  const publicClient = createPublicClient({ transport });
  const chainId = await publicClient.getChainId();
  const chain = {
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  } as const;
  const wallet = createWalletClient({ account, chain, transport });
  const sent: SentCall[] = [];
  for (const call of parameters.calls) {
    let hash: Hex;
    try {
      // The call's calldata is what is signed; the simulation decodes a refusal with the registry's ABI.
      await publicClient.call({ account, to: call.to, data: call.data });
      hash = await wallet.sendTransaction({ to: call.to, data: call.data });
    } catch (error) {
      const reason = refusal(decodeRefusal(error));
      throw new CliError(governanceText(parameters.lang, "refused", { reason }), EXIT.failure);
    }
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success")
      throw new CliError(
        governanceText(parameters.lang, "refused", { reason: `reverted in ${hash}` }),
        EXIT.failure,
      );
    sent.push({ call, hash, blockNumber: receipt.blockNumber });
  }
  return sent;
}

/** The revert data a node returned: `data` itself, or (as Hardhat's node gives it) `data.data`. */
function revertData(error: unknown): Hex | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const data = (error as { data?: unknown }).data;
  if (typeof data === "string" && data.startsWith("0x")) return data as Hex;
  const nested = (data as { data?: unknown } | undefined)?.data;
  return typeof nested === "string" && nested.startsWith("0x") ? (nested as Hex) : undefined;
}

/** A raw call's revert, decoded with the registry's errors where the node returned its data. */
function decodeRefusal(error: unknown): unknown {
  if (!(error instanceof BaseError)) return error;
  const withData = error.walk((e) => revertData(e) !== undefined);
  const data = revertData(withData);
  if (!data) return error;
  try {
    return new ContractFunctionRevertedError({ abi: intygRegistryAbi, data, functionName: "" });
  } catch {
    return error;
  }
}
