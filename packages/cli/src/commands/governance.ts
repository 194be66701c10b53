// `intyg governance …`: what the registry's governance does — accredit, suspend and reinstate organisations,
// approve a proposed profile, schedule, grant and revoke roles — either sent now with a governance key, or
// written as a batch for a multisig's transaction builder; and a read-only view of every organisation.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isOrganisationNumber, organisationNumberHash, organisationProfileHash } from "@intyg/credential";
import { intygRegistryAbi } from "@intyg/registry";
import { formatTime, type Lang } from "@intyg/verifier";
import type { Command } from "commander";
import { type Address, createPublicClient, getAddress, type Hex, http, isAddress } from "viem";
import type { CommandContext, CommandModule } from "../command";
import { resolveChain } from "../config";
import { CliError, EXIT } from "../errors";
import {
  accreditCall,
  approveProfileCall,
  type GovernanceCall,
  type RoleName,
  roleCall,
  statusCall,
} from "../governance/calls";
import { type SafeBatch, safeBatch } from "../governance/safe";
import { governanceKey, sendCalls } from "../governance/send";
import { type GovernanceTextKey, governanceText } from "../governance/texts";
import { readGovernanceView } from "../governance/view";
import { langOption, printJson } from "../organiser/common";

type ChainFlags = { rpc?: string; registry?: string; config?: string; lang: Lang };
type OutputFlags = ChainFlags & { send?: boolean; safe?: string; safeAddress?: string; keyFile?: string };

type Target = { rpcUrl: string; registry: Address; lang: Lang };

function target(context: CommandContext, flags: ChainFlags): Target {
  const chain = resolveChain(context.io, flags);
  if (!chain.rpcUrl || !chain.registry) throw new CliError(governanceText(flags.lang, "need-chain"));
  return { rpcUrl: chain.rpcUrl, registry: chain.registry, lang: flags.lang };
}

const say = (lang: Lang, key: GovernanceTextKey, params?: Record<string, string | number>) =>
  governanceText(lang, key, params);

function address(lang: Lang, flag: string, value: string): Address {
  if (!isAddress(value, { strict: false })) throw new CliError(say(lang, "bad-address", { flag, value }));
  return getAddress(value);
}

function organisationId(lang: Lang, value: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 0xffffffff)
    throw new CliError(say(lang, "bad-id", { value }));
  return Number(value);
}

function reader(t: Target) {
  const client = createPublicClient({ transport: http(t.rpcUrl) });
  const at = { address: t.registry, abi: intygRegistryAbi } as const;
  return { client, at };
}

/** A batch file this command wrote earlier (to append to), or undefined when the file does not exist yet. */
function existingBatch(lang: Lang, file: string, chainId: number): SafeBatch | undefined {
  if (!existsSync(file)) return undefined;
  let batch: SafeBatch;
  try {
    batch = JSON.parse(readFileSync(file, "utf8")) as SafeBatch;
  } catch {
    throw new CliError(say(lang, "safe-unreadable", { file }));
  }
  if (batch?.version !== "1.0" || !Array.isArray(batch.transactions))
    throw new CliError(say(lang, "safe-unreadable", { file }));
  if (batch.chainId !== String(chainId))
    throw new CliError(say(lang, "safe-other-chain", { file, chain: batch.chainId, expected: chainId }));
  return batch;
}

/** Sends the call now, or adds it to the multisig batch file (creating it), and says which. */
async function deliver(context: CommandContext, t: Target, flags: OutputFlags, call: GovernanceCall) {
  const { io } = context;
  const lang = t.lang;
  if (flags.send && flags.safe) throw new CliError(say(lang, "both-outputs"));
  if (!flags.send && !flags.safe) throw new CliError(say(lang, "need-output"));
  if (flags.send) {
    const key = governanceKey(io, flags.keyFile, lang);
    const [sent] = await sendCalls({ rpcUrl: t.rpcUrl, key, calls: [call], lang });
    io.stdout(
      say(lang, "sent", { summary: call.summary, hash: sent!.hash, block: String(sent!.blockNumber) }),
    );
  } else {
    const file = path.resolve(io.cwd, flags.safe!);
    const chainId = await reader(t).client.getChainId();
    const earlier = existingBatch(lang, file, chainId);
    const safe = flags.safeAddress ? address(lang, "--safe-address", flags.safeAddress) : undefined;
    const batch = safeBatch({ chainId, calls: [call], ...(safe ? { safe } : {}) });
    if (earlier) {
      batch.transactions = [...earlier.transactions, ...batch.transactions];
      batch.meta.description = [earlier.meta.description, batch.meta.description].filter(Boolean).join("\n");
      batch.createdAt = earlier.createdAt;
    }
    writeFileSync(file, `${JSON.stringify(batch, null, 2)}\n`);
    io.stdout(say(lang, "written", { file: flags.safe!, count: batch.transactions.length, chain: chainId }));
  }
  context.setExitCode(EXIT.ok);
}

/** Accreditations already waiting in the batch file: each takes the next id before this one. */
function accreditationsQueued(flags: OutputFlags, io: CommandContext["io"]): number {
  if (!flags.safe) return 0;
  const file = path.resolve(io.cwd, flags.safe);
  if (!existsSync(file)) return 0;
  try {
    const batch = JSON.parse(readFileSync(file, "utf8")) as SafeBatch;
    return batch.transactions.filter((tx) => tx.contractMethod?.name === "accreditOrganisation").length;
  } catch {
    return 0;
  }
}

function withChainFlags(command: Command, context: CommandContext): Command {
  return command
    .option("--rpc <url>", "JSON-RPC URL of the registry's chain (default: --config, then INTYG_RPC_URL)")
    .option("--registry <address>", "the registry (default: --config, then INTYG_REGISTRY)")
    .option("--config <file>", "a configuration file with rpcUrl and registry (e.g. .intyg/dev.json)")
    .addOption(langOption(context.io));
}

function withOutputFlags(command: Command, context: CommandContext): Command {
  return withChainFlags(command, context)
    .option("--send", "send the transaction now, signed with the governance key")
    .option(
      "--key-file <file>",
      "with --send: a file holding the governance key (default: INTYG_GOVERNANCE_KEY)",
    )
    .option("--safe <file>", "write (or add to) a Safe Transaction Builder batch for a multisig to sign")
    .option("--safe-address <address>", "with --safe: the multisig that will execute the batch");
}

function registerView(group: Command, context: CommandContext) {
  withChainFlags(group.command("organisations"), context)
    .description(
      "every organisation in the registry: status, admin, profiles, pending change, keys and windows",
    )
    .option("--json", "print the view as JSON")
    .action(async (flags: ChainFlags & { json?: boolean }) => {
      const t = target(context, flags);
      const view = await readGovernanceView(t);
      if (flags.json) {
        printJson(context.io, { ...view, blockNumber: String(view.blockNumber) });
      } else {
        const lang = t.lang;
        const when = (seconds: number) => formatTime(seconds, lang);
        const lines = [
          say(lang, "view-title", {
            registry: view.registry,
            chain: view.chainId,
            block: String(view.blockNumber),
            count: view.organisations.length,
          }),
        ];
        for (const o of view.organisations) {
          lines.push(
            say(lang, "view-organisation", {
              id: o.organisationId,
              status: say(lang, o.status === "active" ? "status-active" : "status-suspended"),
              admin: o.admin,
              events: o.eventCount,
              since: o.suspendedAt ? when(o.suspendedAt) : "",
            }),
          );
          const current = o.profiles.at(-1);
          if (current)
            lines.push(say(lang, "view-profile", { hash: current.profileHash, since: when(current.since) }));
          if (o.pendingProfileHash) lines.push(say(lang, "view-pending", { hash: o.pendingProfileHash }));
          if (o.keys.length === 0) lines.push(say(lang, "view-no-keys"));
          for (const k of o.keys)
            lines.push(
              say(lang, "view-key", {
                address: k.address,
                from:
                  k.validFrom === 0
                    ? say(lang, "from-start")
                    : say(lang, "key-from", { date: when(k.validFrom) }),
                // The registry writes an open end as 0 or as the largest uint40.
                until:
                  k.validUntil === 0 || k.validUntil >= 2 ** 40 - 1
                    ? say(lang, "open-ended")
                    : say(lang, "key-until", { date: when(k.validUntil) }),
                suspended: k.suspended ? "yes" : "",
              }),
            );
        }
        context.io.stdout(`${lines.join("\n")}\n`);
      }
      context.setExitCode(EXIT.ok);
    });
}

type AccreditFlags = OutputFlags & {
  admin: string;
  name: string;
  legalName?: string;
  organisationNumber: string;
  url: string;
};

function registerAccredit(group: Command, context: CommandContext) {
  withOutputFlags(group.command("accredit"), context)
    .description(
      "accredit an organisation: its admin address and its profile (name, organisation number, web site)",
    )
    .requiredOption("--admin <address>", "the organisation's admin account")
    .requiredOption("--name <name>", "the organisation's name as verifiers see it")
    .option("--legal-name <name>", "its legal name (default: --name)")
    .requiredOption("--organisation-number <NNNNNN-NNNN>", "its Swedish organisation number")
    .requiredOption("--url <https-url>", "its web site (part of the profile verifiers check)")
    .action(async (flags: AccreditFlags) => {
      const t = target(context, flags);
      const lang = t.lang;
      const admin = address(lang, "--admin", flags.admin);
      const number = flags.organisationNumber.trim();
      if (!isOrganisationNumber(number)) throw new CliError(say(lang, "bad-number", { value: number }));
      if (!/^https:\/\/[^\s]+$/.test(flags.url))
        throw new CliError(say(lang, "bad-url", { value: flags.url }));
      const { client, at } = reader(t);
      const numberHash = organisationNumberHash(number);
      const [taken, count] = await Promise.all([
        client.readContract({ ...at, functionName: "organisationByNumber", args: [numberHash] }),
        client.readContract({ ...at, functionName: "organisationCount" }),
      ]);
      if (taken !== 0) throw new CliError(say(lang, "number-taken", { number, id: taken }));
      // The profile hash names the organisation's registry id: the next one, after any already in the batch.
      const id = count + 1 + accreditationsQueued(flags, context.io);
      const profile = {
        name: flags.name,
        legalName: flags.legalName ?? flags.name,
        organisationNumber: number,
        url: flags.url,
      };
      const call = accreditCall(t.registry, {
        admin,
        profileHash: organisationProfileHash(profile, id),
        organisationNumberHash: numberHash,
        summary: say(lang, "accredit-summary", { name: flags.name, number, id, admin }),
      });
      if (flags.safe) context.io.stdout(say(lang, "accredit-note", { id }));
      await deliver(context, t, flags, call);
    });
}

async function requireOrganisation(t: Target, id: number): Promise<{ pending: Hex }> {
  const { client, at } = reader(t);
  const count = await client.readContract({ ...at, functionName: "organisationCount" });
  if (id > count) throw new CliError(say(t.lang, "unknown-organisation", { id }));
  const pending = await client.readContract({
    ...at,
    functionName: "pendingOrganisationProfile",
    args: [id],
  });
  return { pending };
}

function registerStatus(group: Command, context: CommandContext) {
  for (const action of ["suspend", "reinstate"] as const) {
    withOutputFlags(group.command(action), context)
      .description(
        action === "suspend"
          ? "suspend an organisation: its keys stop signing at once (what it issued before stays valid)"
          : "reinstate a suspended organisation",
      )
      .argument("<organisation-id>", "the organisation's id in the registry")
      .action(async (idText: string, flags: OutputFlags) => {
        const t = target(context, flags);
        const id = organisationId(t.lang, idText);
        await requireOrganisation(t, id);
        const summary = say(t.lang, action === "suspend" ? "suspend-summary" : "reinstate-summary", { id });
        await deliver(context, t, flags, statusCall(t.registry, { organisationId: id, action, summary }));
      });
  }
}

function registerApprove(group: Command, context: CommandContext) {
  withOutputFlags(group.command("approve-profile"), context)
    .description("approve the profile change an organisation's admin proposed")
    .argument("<organisation-id>", "the organisation's id in the registry")
    .option("--profile-hash <hash>", "the proposed profile's hash (default: the one pending now)")
    .action(async (idText: string, flags: OutputFlags & { profileHash?: string }) => {
      const t = target(context, flags);
      const lang = t.lang;
      const id = organisationId(lang, idText);
      const { pending } = await requireOrganisation(t, id);
      if (/^0x0{64}$/.test(pending)) throw new CliError(say(lang, "no-pending", { id }));
      let hash = pending;
      if (flags.profileHash !== undefined) {
        if (!/^0x[0-9a-fA-F]{64}$/.test(flags.profileHash))
          throw new CliError(say(lang, "bad-hash", { flag: "--profile-hash", value: flags.profileHash }));
        if (flags.profileHash.toLowerCase() !== pending.toLowerCase())
          throw new CliError(say(lang, "pending-differs", { id, pending, given: flags.profileHash }));
        hash = flags.profileHash.toLowerCase() as Hex;
      }
      const summary = say(lang, "approve-summary", { id, hash });
      await deliver(
        context,
        t,
        flags,
        approveProfileCall(t.registry, { organisationId: id, profileHash: hash, summary }),
      );
    });
}

const ROLE_STEPS = {
  schedule: ["scheduleRoleGrant", "schedule-summary"],
  cancel: ["cancelRoleGrant", "cancel-summary"],
  grant: ["grantRole", "grant-summary"],
  revoke: ["revokeRole", "revoke-summary"],
} as const;

function registerRoles(group: Command, context: CommandContext) {
  withOutputFlags(group.command("role"), context)
    .description(
      "roles: schedule a grant (it waits the admin delay, announced on chain), cancel it, grant it once ready, or revoke",
    )
    .argument("<step>", "schedule, cancel, grant or revoke")
    .argument("<role>", "governor or admin")
    .argument("<account>", "the account")
    .action(async (step: string, role: string, account: string, flags: OutputFlags) => {
      const t = target(context, flags);
      const lang = t.lang;
      if (!Object.hasOwn(ROLE_STEPS, step)) throw new CliError(say(lang, "bad-step", { value: step }));
      if (role !== "governor" && role !== "admin") throw new CliError(say(lang, "bad-role", { value: role }));
      const who = address(lang, "<account>", account);
      const [functionName, summaryKey] = ROLE_STEPS[step as keyof typeof ROLE_STEPS];
      const summary = say(lang, summaryKey, { role, account: who });
      await deliver(
        context,
        t,
        flags,
        roleCall(t.registry, { step: functionName, role: role as RoleName, account: who, summary }),
      );
    });
}

export const governanceCommand: CommandModule = {
  name: "governance",
  register(program: Command, context: CommandContext) {
    const group = program
      .command("governance")
      .description(
        "the registry's governance: accredit, suspend, reinstate, approve profiles, manage roles (sent with a governance key or written for a multisig), and a view of every organisation",
      );
    registerView(group, context);
    registerAccredit(group, context);
    registerStatus(group, context);
    registerApprove(group, context);
    registerRoles(group, context);
  },
};
