// `intyg snapshot --out FILE`: records the registry at a block for offline verification (`verify --snapshot`).

import { writeFile } from "node:fs/promises";
import { recordSnapshot } from "@intyg/verifier";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { resolveChain } from "../config";
import { CliError, EXIT } from "../errors";

type SnapshotFlags = { rpc?: string; registry?: string; config?: string; out: string; block?: string };

export const snapshotCommand: CommandModule = {
  name: "snapshot",
  register(program: Command, context: CommandContext) {
    program
      .command("snapshot")
      .description("record the registry's state at a block into a file, for offline verification")
      .requiredOption("--out <file>", "where to write the snapshot (JSON)")
      .option("--rpc <url>", "JSON-RPC URL of the registry's chain (default: --config, then INTYG_RPC_URL)")
      .option("--registry <address>", "the registry (default: --config, then INTYG_REGISTRY)")
      .option("--config <file>", "a configuration file with rpcUrl and registry (e.g. .intyg/dev.json)")
      .option("--block <number>", "record at this block (default: the latest)")
      .action(async (flags: SnapshotFlags) => {
        const chain = resolveChain(context.io, flags);
        if (!chain.rpcUrl || !chain.registry)
          throw new CliError(
            "intyg snapshot needs --rpc URL and --registry ADDRESS (or --config FILE, or INTYG_RPC_URL and INTYG_REGISTRY)",
          );
        if (flags.block !== undefined && !/^\d+$/.test(flags.block))
          throw new CliError("--block: not a block number");
        const snapshot = await recordSnapshot({
          rpcUrl: chain.rpcUrl,
          registry: chain.registry,
          ...(flags.block === undefined ? {} : { blockNumber: BigInt(flags.block) }),
        });
        await writeFile(flags.out, `${JSON.stringify(snapshot, null, 2)}\n`);
        context.io.stdout(
          `Snapshot of registry ${snapshot.registry} on chain ${snapshot.chainId} at block ${snapshot.blockNumber}: ${flags.out}\n`,
        );
        context.setExitCode(EXIT.ok);
      });
  },
};
