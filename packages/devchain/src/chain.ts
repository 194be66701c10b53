import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { IntygError } from "@intyg/credential";

export type DevChain = {
  rpcUrl: string;
  chainId: number;
  port: number;
  stop(): Promise<void>;
};

export type StartDevChainParameters = {
  /** Loopback port; a free one is picked when omitted. */
  port?: number;
  /** Milliseconds to wait for the node to answer. */
  timeoutMs?: number;
  /** Mine a block every N ms as well as on each transaction (hardhat automines by default). */
  intervalMs?: number;
};

/** The local chain could not be started or did not answer; `output` is the node's last words, if any. */
export class DevChainError extends IntygError<"devchain.node"> {
  override name = "DevChainError";
  constructor(
    message: string,
    readonly output?: string,
  ) {
    super(message, { code: "devchain.node", details: output === undefined ? {} : { output } });
  }
}

/** The repository root: where hardhat.config.ts lives. */
export function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "hardhat.config.ts"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new DevChainError(`hardhat.config.ts not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function rpc(rpcUrl: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new DevChainError(`${method} failed`, body.error.message);
  return body.result;
}

/** Starts `hardhat node` on 127.0.0.1 and resolves once it answers JSON-RPC. */
export async function startDevChain(parameters: StartDevChainParameters = {}): Promise<DevChain> {
  const port = parameters.port ?? (await freePort());
  const root = repositoryRoot();
  const hardhatCli = require.resolve("hardhat/internal/cli/cli", { paths: [root] });
  const child: ChildProcess = spawn(
    process.execPath,
    [hardhatCli, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  });
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });

  const rpcUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (parameters.timeoutMs ?? 60_000);
  let chainId = 0;
  while (Date.now() < deadline) {
    if (exited) throw new DevChainError("hardhat node exited", output.slice(-2000));
    try {
      chainId = Number(await rpc(rpcUrl, "eth_chainId"));
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  if (!chainId) {
    child.kill("SIGKILL");
    throw new DevChainError("hardhat node did not answer in time", output.slice(-2000));
  }
  if (parameters.intervalMs) await rpc(rpcUrl, "evm_setIntervalMining", [parameters.intervalMs]);

  return {
    rpcUrl,
    chainId,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
}
