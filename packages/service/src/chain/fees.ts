// What transactions pay: the fees of a first send within the absolute limit, and of a replacement, which must
// outbid its predecessor and stay includable while the base fee rises.

/** What a transaction pays: EIP-1559 fee caps, or a legacy gas price. */
export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { gasPrice: bigint };

/** What transactions pay now: the latest base fee and the node's suggested tip, or (legacy) its gas price. */
export type FeeMarket = { baseFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { gasPrice: bigint };

const maxOf = (a: bigint, b: bigint) => (a > b ? a : b);
const minOf = (a: bigint, b: bigint) => (a < b ? a : b);

/** Up by 12.5%, rounded up: a replacement must outbid its predecessor's fee cap and tip by this much. */
export function bumped(value: bigint): bigint {
  return (value * 9n + 7n) / 8n;
}

/** The highest a transaction with these fees pays per gas. */
export function feeCeiling(fees: Fees): bigint {
  return "gasPrice" in fees ? fees.gasPrice : fees.maxFeePerGas;
}

/**
 * The fees viem prepared for a first send, within `limit` (wei per gas; none when null), so a runaway base fee
 * cannot drain the account. The tip never exceeds the fee cap.
 */
export function cappedFees(
  prepared: { maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint; gasPrice?: bigint },
  limit: bigint | null,
): Fees {
  const cap = (fee: bigint) => (limit !== null && fee > limit ? limit : fee);
  if (typeof prepared.maxFeePerGas === "bigint") {
    const maxFeePerGas = cap(prepared.maxFeePerGas);
    return { maxFeePerGas, maxPriorityFeePerGas: minOf(prepared.maxPriorityFeePerGas ?? 0n, maxFeePerGas) };
  }
  return { gasPrice: typeof prepared.gasPrice === "bigint" ? cap(prepared.gasPrice) : 0n };
}

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

/** Fees at least each of two (a refused replacement raises the floor of the next one). */
export function higherFees(a: Fees, b: Fees | null): Fees {
  if (!b) return a;
  if ("gasPrice" in a) return "gasPrice" in b ? { gasPrice: maxOf(a.gasPrice, b.gasPrice) } : a;
  if ("gasPrice" in b) return a;
  return {
    maxFeePerGas: maxOf(a.maxFeePerGas, b.maxFeePerGas),
    maxPriorityFeePerGas: maxOf(a.maxPriorityFeePerGas, b.maxPriorityFeePerGas),
  };
}
