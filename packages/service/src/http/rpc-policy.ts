// What the read-only JSON-RPC proxy (POST /verify/rpc) forwards: exactly the reads of @intyg/verifier's RPC
// reader (packages/verifier/src/registry/rpc.ts), against the service's own registry, and nothing else. Each
// allowed call is rebuilt from the fields it may have, so nothing the policy did not look at reaches the node.

import {
  type Address,
  createPublicClient,
  custom,
  decodeAbiParameters,
  decodeFunctionData,
  deploylessCallViaBytecodeBytecode,
  type Hex,
  isHex,
  multicall3Abi,
  parseAbi,
  zeroAddress,
} from "viem";

export type JsonRpcId = string | number;

export type JsonRpcRequest = { jsonrpc: "2.0"; id: JsonRpcId; method: string; params: unknown[] };

export type JsonRpcError = { code: number; message: string };

export type JsonRpcResponse = { jsonrpc: "2.0"; id: JsonRpcId | null; error: JsonRpcError };

/** A call the proxy forwards (rebuilt), or the JSON-RPC error it answers itself. */
export type PolicyResult = { forward: JsonRpcRequest } | { refuse: JsonRpcResponse };

export type RpcPolicy = {
  /** The only contract the proxy reads: the service's registry. */
  registry: Address;
  /** The creation code of the deployless multicall the verifier sends (viem's Multicall3). */
  multicallCode: Hex;
};

/** The methods the verifier reads with; anything else (every write among them) is refused. */
export const PROXIED_METHODS = [
  "eth_chainId",
  "eth_blockNumber",
  "eth_getBlockByNumber",
  "eth_getCode",
  "eth_call",
  "eth_getLogs",
] as const;

/** JSON-RPC 2.0 error codes. */
export const RPC_ERRORS = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  limitExceeded: -32005,
} as const;

export function rpcError(id: JsonRpcId | null, code: number, message: string): JsonRpcResponse {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

const BLOCK_TAGS = new Set(["latest", "earliest", "pending", "safe", "finalized"]);
const QUANTITY = /^0x(0|[1-9a-f][0-9a-f]{0,15})$/i;
const HASH = /^0x[0-9a-f]{64}$/i;
const ADDRESS = /^0x[0-9a-f]{40}$/i;
/** The most topic alternatives in one position (roots of a log query). */
const MAX_TOPIC_ALTERNATIVES = 1000;

const isBlock = (value: unknown): value is string =>
  typeof value === "string" && (BLOCK_TAGS.has(value) || QUANTITY.test(value));

const sameAddress = (a: unknown, b: Address) => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Only `allowed` keys, each at most once (no state overrides, gas, value or sender). */
const onlyKeys = (value: Record<string, unknown>, allowed: readonly string[]) =>
  Object.keys(value).every((key) => allowed.includes(key));

/**
 * Whether `data` is a deployless multicall (viem's `multicall({ deployless: true })`: the deployless-call
 * bytecode, then ABI-encoded Multicall3 creation code and `aggregate3` calldata) whose every call reads the
 * registry.
 */
export function isRegistryMulticall(data: Hex, policy: RpcPolicy): boolean {
  const prefix = deploylessCallViaBytecodeBytecode.toLowerCase();
  const lower = data.toLowerCase();
  if (!lower.startsWith(prefix)) return false;
  try {
    const [code, calldata] = decodeAbiParameters(
      [{ type: "bytes" }, { type: "bytes" }],
      `0x${lower.slice(prefix.length)}`,
    );
    if (code.toLowerCase() !== policy.multicallCode.toLowerCase()) return false;
    const call = decodeFunctionData({ abi: multicall3Abi, data: calldata });
    if (call.functionName !== "aggregate3") return false;
    const [calls] = call.args as readonly [readonly { target: Address }[]];
    return calls.length > 0 && calls.every((c) => sameAddress(c.target, policy.registry));
  } catch {
    return false;
  }
}

function checkCall(params: unknown[], policy: RpcPolicy): unknown[] | string {
  const [call, block, ...rest] = params;
  if (rest.length > 0) return "eth_call takes a call and a block; state overrides are not forwarded";
  if (!isObject(call) || !onlyKeys(call, ["to", "data", "input", "from"]))
    return "eth_call: the call may only have to and data";
  if (block !== undefined && !isBlock(block)) return "eth_call: the block must be a tag or a number";
  const data = call.data ?? call.input;
  if (typeof data !== "string" || !isHex(data, { strict: true })) return "eth_call: data must be hex";
  if (call.to === undefined || call.to === null) {
    if (!isRegistryMulticall(data, policy))
      return "eth_call: only the registry, or a multicall of the registry, may be read";
    return [{ data }, block ?? "latest"];
  }
  if (!sameAddress(call.to, policy.registry)) return "eth_call: only the registry may be read";
  return [{ to: policy.registry, data }, block ?? "latest"];
}

function checkTopics(topics: unknown): boolean {
  if (!Array.isArray(topics) || topics.length > 4) return false;
  return topics.every(
    (topic) =>
      topic === null ||
      (typeof topic === "string" && HASH.test(topic)) ||
      (Array.isArray(topic) &&
        topic.length <= MAX_TOPIC_ALTERNATIVES &&
        topic.every((t) => typeof t === "string" && HASH.test(t))),
  );
}

function checkLogs(params: unknown[], policy: RpcPolicy): unknown[] | string {
  const [filter, ...rest] = params;
  if (
    rest.length > 0 ||
    !isObject(filter) ||
    !onlyKeys(filter, ["address", "topics", "fromBlock", "toBlock"])
  )
    return "eth_getLogs takes one filter of address, topics, fromBlock and toBlock";
  const address =
    Array.isArray(filter.address) && filter.address.length === 1 ? filter.address[0] : filter.address;
  if (!sameAddress(address, policy.registry)) return "eth_getLogs: only the registry's logs may be read";
  if (filter.topics !== undefined && !checkTopics(filter.topics)) return "eth_getLogs: malformed topics";
  for (const key of ["fromBlock", "toBlock"] as const) {
    if (filter[key] !== undefined && !isBlock(filter[key]))
      return `eth_getLogs: ${key} must be a tag or a number`;
  }
  return [
    {
      address: policy.registry,
      ...(filter.topics !== undefined ? { topics: filter.topics } : {}),
      ...(filter.fromBlock !== undefined ? { fromBlock: filter.fromBlock } : {}),
      ...(filter.toBlock !== undefined ? { toBlock: filter.toBlock } : {}),
    },
  ];
}

function checkParams(method: string, params: unknown[], policy: RpcPolicy): unknown[] | string {
  switch (method) {
    case "eth_chainId":
    case "eth_blockNumber":
      return params.length === 0 ? [] : `${method} takes no parameters`;
    case "eth_getBlockByNumber":
      if (params.length !== 2 || !isBlock(params[0]) || params[1] !== false)
        return "eth_getBlockByNumber takes a block and false (no transactions)";
      return [params[0], false];
    case "eth_getCode":
      if (
        params.length < 1 ||
        params.length > 2 ||
        !(typeof params[0] === "string" && ADDRESS.test(params[0]))
      )
        return "eth_getCode takes an address and a block";
      if (!sameAddress(params[0], policy.registry)) return "eth_getCode: only the registry may be read";
      if (params[1] !== undefined && !isBlock(params[1]))
        return "eth_getCode: the block must be a tag or a number";
      return [policy.registry, params[1] ?? "latest"];
    case "eth_call":
      return checkCall(params, policy);
    case "eth_getLogs":
      return checkLogs(params, policy);
    default:
      return "unreachable";
  }
}

const isId = (value: unknown): value is JsonRpcId =>
  (typeof value === "number" && Number.isSafeInteger(value)) ||
  (typeof value === "string" && value.length <= 100);

/** Decides one JSON-RPC request: forward it (rebuilt), or answer it with an error. Never echoes the request. */
export function applyRpcPolicy(request: unknown, policy: RpcPolicy): PolicyResult {
  if (
    !isObject(request) ||
    request.jsonrpc !== "2.0" ||
    !isId(request.id) ||
    typeof request.method !== "string"
  ) {
    const id = isObject(request) && isId(request.id) ? request.id : null;
    return {
      refuse: rpcError(id, RPC_ERRORS.invalidRequest, "Invalid request: jsonrpc 2.0, an id and a method"),
    };
  }
  const { id, method } = request;
  if (!(PROXIED_METHODS as readonly string[]).includes(method)) {
    return {
      refuse: rpcError(
        id,
        RPC_ERRORS.methodNotFound,
        "This read-only proxy answers only eth_chainId, eth_blockNumber, eth_getBlockByNumber, and eth_getCode, eth_call and eth_getLogs of the registry",
      ),
    };
  }
  const params = request.params ?? [];
  if (!Array.isArray(params))
    return { refuse: rpcError(id, RPC_ERRORS.invalidParams, "params must be an array") };
  const checked = checkParams(method, params, policy);
  if (typeof checked === "string") return { refuse: rpcError(id, RPC_ERRORS.invalidParams, checked) };
  return { forward: { jsonrpc: "2.0", id, method, params: checked } };
}

let multicallCode: Promise<Hex> | undefined;

/**
 * The Multicall3 creation code viem's deployless multicall carries (viem does not export it): captured once
 * from a multicall sent to a transport that answers nothing.
 */
export function deploylessMulticallCode(): Promise<Hex> {
  multicallCode ??= (async () => {
    let data: Hex | undefined;
    const client = createPublicClient({
      transport: custom(
        {
          async request({ method, params }: { method: string; params: unknown }) {
            if (method === "eth_call") data ??= (params as [{ data: Hex }])[0].data;
            throw new Error("capture only");
          },
        },
        { retryCount: 0 },
      ),
    });
    await client.multicall({
      contracts: [
        { address: zeroAddress, abi: parseAbi(["function f() view returns (uint256)"]), functionName: "f" },
      ],
      allowFailure: true,
      deployless: true,
    });
    const prefix = deploylessCallViaBytecodeBytecode.length;
    if (!data?.startsWith(deploylessCallViaBytecodeBytecode))
      throw new Error("viem's deployless multicall changed shape");
    const [code] = decodeAbiParameters([{ type: "bytes" }, { type: "bytes" }], `0x${data.slice(prefix)}`);
    return code;
  })();
  return multicallCode;
}
