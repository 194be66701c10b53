// A fault-injecting JSON-RPC proxy on 127.0.0.1 in front of a real node: a real HTTP server that forwards every
// request to the node and, when told to, answers JSON-RPC errors or HTTP errors instead, never answers, cuts a
// response in the middle, or "restarts" (stops listening, refuses connections for a while, listens again on
// the same port). Faults apply to the next N matching calls, so a test can place them precisely (e.g. on the
// eth_sendRawTransaction of an anchorBatch).

import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type Address, type Hex, recoverTransactionAddress } from "viem";

export type ProxyFault =
  /**
   * Answer a JSON-RPC error (HTTP 200) without forwarding; with `forward`, the request reaches the node first
   * (a write takes effect) and the error replaces its answer.
   */
  | { kind: "rpc-error"; code: number; message: string; forward?: boolean }
  /** Answer this HTTP status (e.g. 502, 503) with a plain-text body, without forwarding. */
  | { kind: "http-error"; status: number }
  /**
   * Never answer: hold the connection for `ms`, then close it. Not forwarded; with `forward`, the request
   * reaches the node first (a write takes effect) and only its answer never comes.
   */
  | { kind: "hang"; ms: number; forward?: boolean }
  /** Forward to the node (so a write takes effect), then send half of the answer and cut the connection. */
  | { kind: "drop" }
  /**
   * A node restart: cut every connection, stop listening for `downMs` (connections are refused), then listen
   * again on the same port. With `forward`, the request reaches the node first and only its answer is lost.
   */
  | { kind: "restart"; downMs: number; forward: boolean };

export type FaultRule = {
  fault: ProxyFault;
  /** JSON-RPC methods it applies to; every method when omitted. */
  methods?: string[];
  /** How many matching calls it applies to (default 1; Infinity for all until cleared). */
  times?: number;
  /** Skip this many matching calls first (default 0). */
  after?: number;
  /** Only transactions sent (eth_sendRawTransaction) from this account: a fault of one key's sends. */
  from?: Address;
  /** Only requests whose body contains this text (case-insensitive), e.g. an account's address. */
  contains?: string;
};

export type ProxyCall = {
  method: string;
  at: number;
  fault: ProxyFault["kind"] | null;
  /** The JSON-RPC error message the node answered, when it answered one. */
  nodeError?: string;
};

export type RpcProxy = {
  url: string;
  port: number;
  /** Every call seen, in order. */
  readonly calls: ProxyCall[];
  /** Calls of a method seen so far. */
  count(method: string): number;
  /** Adds a rule; rules are tried in the order added, the first matching one with calls left applies. */
  inject(rule: FaultRule): void;
  /** Removes every rule. */
  clear(): void;
  /** Rules that still have calls left. */
  pending(): number;
  /** Resolves when the proxy has listened again after the restart in progress (now when none is). */
  up(): Promise<void>;
  /** Restarts now, outside any call. */
  restart(downMs: number): Promise<void>;
  /** How many hanging requests the client gave up on (closed) before the proxy did. */
  readonly abandonedHangs: number;
  close(): Promise<void>;
};

type Rule = Required<Omit<FaultRule, "methods" | "from" | "contains">> & {
  methods?: string[];
  from?: Address;
  contains?: string;
};

/** The senders of the raw transactions in a request (lower case). */
async function sendersOf(body: string): Promise<string[]> {
  try {
    const parsed = JSON.parse(body) as { method?: string; params?: unknown[] } | { method?: string }[];
    const list = (Array.isArray(parsed) ? parsed : [parsed]) as { method?: string; params?: unknown[] }[];
    const raws = list.filter((r) => r.method === "eth_sendRawTransaction").map((r) => r.params?.[0] as Hex);
    return Promise.all(
      raws.map(async (raw) =>
        (await recoverTransactionAddress({ serializedTransaction: raw as never })).toLowerCase(),
      ),
    );
  } catch {
    return [];
  }
}

function methodsOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { method?: string } | { method?: string }[];
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.map((r) => String(r.method ?? "?"));
  } catch {
    return ["?"];
  }
}

function nodeErrorOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } } | { error?: { message?: string } }[];
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.find((r) => r.error)?.error?.message;
  } catch {
    return undefined;
  }
}

function rpcErrorBody(body: string, code: number, message: string): string {
  const error = (id: unknown) => ({ jsonrpc: "2.0", id: id ?? null, error: { code, message } });
  try {
    const parsed = JSON.parse(body) as { id?: unknown } | { id?: unknown }[];
    return JSON.stringify(Array.isArray(parsed) ? parsed.map((r) => error(r.id)) : error(parsed.id));
  } catch {
    return JSON.stringify(error(null));
  }
}

export async function startRpcProxy(target: string, options: { port?: number } = {}): Promise<RpcProxy> {
  const rules: Rule[] = [];
  const calls: ProxyCall[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  /** Ends the down time of a restart early (on close). */
  let endDownTime: (() => void) | null = null;
  let restarting: Promise<void> | null = null;
  let closed = false;
  let abandonedHangs = 0;

  const forward = async (body: string) => {
    const response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return { status: response.status, text: await response.text() };
  };

  const take = (methods: string[], senders: string[], body: string): ProxyFault | null => {
    for (const rule of rules) {
      if (rule.times <= 0) continue;
      if (rule.methods && !methods.some((m) => rule.methods!.includes(m))) continue;
      if (rule.from && !senders.includes(rule.from.toLowerCase())) continue;
      if (rule.contains && !body.toLowerCase().includes(rule.contains.toLowerCase())) continue;
      if (rule.after > 0) {
        rule.after -= 1;
        continue;
      }
      rule.times -= 1;
      return rule.fault;
    }
    return null;
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const methods = methodsOf(body);
      const senders = methods.includes("eth_sendRawTransaction") ? await sendersOf(body) : [];
      const fault = take(methods, senders, body);
      const call: ProxyCall = { method: methods.join(","), at: Date.now(), fault: fault?.kind ?? null };
      calls.push(call);
      handle(body, call, fault, request, response).catch(() => {
        request.socket.destroy();
      });
    });
  });
  server.keepAliveTimeout = 1000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as AddressInfo).port);
      });
    });

  const port = await listen(options.port ?? 0);

  const restart = (downMs: number): Promise<void> => {
    if (restarting) return restarting;
    restarting = (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
      await new Promise<void>((resolve) => {
        endDownTime = resolve;
        const timer = setTimeout(resolve, downMs);
        timers.add(timer);
      });
      endDownTime = null;
      if (!closed) await listen(port);
    })().finally(() => {
      restarting = null;
    });
    return restarting;
  };

  async function handle(
    body: string,
    call: ProxyCall,
    fault: ProxyFault | null,
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    if (!fault) {
      const answer = await forward(body);
      const message = nodeErrorOf(answer.text);
      if (message) call.nodeError = message;
      response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.text);
      return;
    }
    switch (fault.kind) {
      case "rpc-error":
        if (fault.forward) await forward(body);
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(rpcErrorBody(body, fault.code, fault.message));
        return;
      case "http-error":
        response.writeHead(fault.status, { "content-type": "text/plain" }).end("upstream unavailable");
        return;
      case "hang": {
        if (fault.forward) await forward(body);
        let gaveUp = false;
        request.socket.once("close", () => {
          if (!gaveUp) abandonedHangs += 1;
        });
        const timer = setTimeout(() => {
          gaveUp = true;
          request.socket.destroy();
        }, fault.ms);
        timers.add(timer);
        return;
      }
      case "drop": {
        const answer = await forward(body);
        response.writeHead(answer.status, {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(answer.text)),
        });
        response.write(answer.text.slice(0, Math.floor(answer.text.length / 2)));
        // Let the half reach the client before the connection goes.
        setTimeout(() => request.socket.destroy(), 20);
        return;
      }
      case "restart": {
        if (fault.forward) await forward(body);
        await restart(fault.downMs);
        return;
      }
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    count: (method) => calls.filter((c) => c.method.split(",").includes(method)).length,
    inject(rule) {
      rules.push({
        fault: rule.fault,
        times: rule.times ?? 1,
        after: rule.after ?? 0,
        methods: rule.methods,
        ...(rule.from ? { from: rule.from } : {}),
        ...(rule.contains ? { contains: rule.contains } : {}),
      });
    },
    clear() {
      rules.length = 0;
    },
    pending: () => rules.filter((r) => r.times > 0).length,
    up: () => restarting ?? Promise.resolve(),
    restart,
    get abandonedHangs() {
      return abandonedHangs;
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      endDownTime?.();
      await restarting?.catch(() => undefined);
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
