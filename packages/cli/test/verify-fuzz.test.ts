// `intyg verify` (its function, runVerify, with a captured io) on generated hostile input from standard input
// and as share links, online and on a snapshot file: it never throws, always sets exit code 0, 1 or 2 (0 only
// for a genuine document), prints a report (JSON with --json, text without), prints no stack trace, and
// answers in bounded time.

import { mkdtempSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Credential, discloseCredential, shareUrl } from "@intyg/credential";
import {
  createPresentation,
  holderDid,
  recordSnapshot,
  type VerifiablePresentation,
  type VerificationReport,
} from "@intyg/verifier";
import { expect } from "chai";
import fc from "fast-check";
import {
  bytesEdited,
  canonical,
  encoded,
  expectNoPollution,
  expectReport,
  hostileTree,
  nested,
  shapedLike,
  textEdited,
  timed,
} from "../../verifier/test/arbitraries";
import { account, createFixture, type Fixture } from "../../verifier/test/fixture";
import { runVerify, type VerifyFlags } from "../src/commands/verify";
import type { ExitCode } from "../src/errors";
import type { CliIo } from "../src/io";

type Outcome = { codes: ExitCode[]; stdout: string; stderr: string };

describe("intyg verify: fuzzing", function () {
  this.timeout(120_000);
  let fx: Fixture;
  let dir: string;
  let snapshotFile: string;
  let single: Credential;
  let presentation: VerifiablePresentation;
  let genuine: Set<string>;
  const holder = account(3);
  const challenge = "0b6e3c1a-9f2d-4e8b-a7c5-3d1f9e2b6a40";
  const domain = "hr.example.se";

  before(async () => {
    fx = await createFixture();
    dir = mkdtempSync(path.join(tmpdir(), "intyg-verify-fuzz-"));
    single = await fx.issue({ subject: { id: holderDid(31337, holder.address), name: "Anna Andersson" } });
    const disclosed = discloseCredential(single, { hide: ["/credentialSubject/name"] });
    presentation = await createPresentation({ credential: disclosed, account: holder, challenge, domain });
    snapshotFile = path.join(dir, "snapshot.json");
    writeFileSync(
      snapshotFile,
      JSON.stringify(await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry })),
    );
    genuine = new Set([single, disclosed, presentation].map((doc) => canonical(doc)!));
  });
  after(async () => {
    await fx?.stop();
  });

  async function verify(
    source: string,
    stdin: Uint8Array | string,
    flags: Partial<VerifyFlags>,
  ): Promise<Outcome> {
    const outcome: Outcome = { codes: [], stdout: "", stderr: "" };
    const io: CliIo = {
      stdout: (text) => {
        outcome.stdout += text;
      },
      stderr: (text) => {
        outcome.stderr += text;
      },
      readStdin: async () => (typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin),
      readFile: async (file) => new Uint8Array(await readFile(file)),
      env: {},
      cwd: dir,
      stderrIsTTY: false,
    };
    const context = { io, setExitCode: (code: ExitCode) => outcome.codes.push(code) };
    await timed(() => runVerify(source, { lang: "sv", challenge, domain, ...flags }, context));
    return outcome;
  }

  /** Every way of running `intyg verify` on one input. */
  async function everyWay(source: string, stdin: Uint8Array | string, document: unknown): Promise<void> {
    const online = { rpc: fx.rpcUrl, registry: fx.registry };
    const isGenuine = genuine.has(canonical(document) ?? "");
    for (const flags of [
      { ...online, json: true },
      { snapshot: snapshotFile, json: true, lang: "en" as const },
      { ...online },
    ]) {
      const outcome = await verify(source, stdin, flags);
      expect(outcome.codes).to.have.length(1);
      const code = outcome.codes[0]!;
      expect(code).to.be.oneOf([0, 1, 2]);
      if (code === 0) expect(isGenuine, "a changed document verified").to.equal(true);
      expect(outcome.stderr).to.not.match(/\n\s+at /);
      if (flags.json) {
        const report = JSON.parse(outcome.stdout) as VerificationReport;
        expectReport(report, report.kind);
        expect(report.verified).to.equal(code === 0);
      } else {
        const lastLine = outcome.stdout.trim().split("\n").pop()!;
        expect(lastLine.startsWith("\u001b[0m"), "the verdict comes after an attribute reset").to.equal(true);
        expect(lastLine.slice(4)).to.match(code === 0 ? /^✔ Verifierat/ : /^✖ Inte verifierat/);
        if (code === 2) expect(outcome.stderr).to.match(/^intyg verify: \S/);
      }
    }
    expectNoPollution();
  }

  const asStdin = (input: unknown): Uint8Array | string =>
    input instanceof Uint8Array ? input : typeof input === "string" ? input : (JSON.stringify(input) ?? "");

  it("verifies the genuine credential and presentation from standard input (exit 0)", async () => {
    for (const doc of [single, presentation]) {
      const outcome = await verify("-", JSON.stringify(doc), {
        rpc: fx.rpcUrl,
        registry: fx.registry,
        json: true,
      });
      expect(outcome.codes, outcome.stdout).to.deep.equal([0]);
    }
    await everyWay("-", JSON.stringify(single), single);
  });

  it("exits 2 for input that cannot be read as one document: not UTF-8, or a key twice in an object", async () => {
    const text = JSON.stringify(single);
    const bytes = new TextEncoder().encode(text);
    bytes[text.indexOf("Anna")] = 0xff;
    const twice = text.replace('"name":"Anna Andersson"', '"name":"Mallory","name":"Anna Andersson"');
    for (const [stdin, code] of [
      [bytes, "not-utf8"],
      [twice, "duplicate-key"],
    ] as const) {
      const outcome = await verify("-", stdin, { rpc: fx.rpcUrl, registry: fx.registry });
      expect(outcome.codes).to.deep.equal([2]);
      expect(outcome.stderr).to.match(/^intyg verify: /);
      const json = await verify("-", stdin, { rpc: fx.rpcUrl, registry: fx.registry, json: true });
      expect(JSON.parse(json.stdout).checks[0].code).to.equal(code);
    }
  });

  it("random JSON, and documents shaped like a credential or a presentation, on standard input", async () => {
    const input = fc.oneof(
      encoded(hostileTree),
      encoded(nested),
      fc.uint8Array({ maxLength: 64 }),
      encoded(shapedLike(single)),
      encoded(shapedLike(presentation)),
    );
    await fc.assert(
      fc.asyncProperty(input, (doc) => everyWay("-", asStdin(doc), doc)),
      { numRuns: 150 },
    );
  });

  it("the genuine texts with characters and bytes changed, on standard input", async () => {
    const texts = [single, presentation].map((doc) => JSON.stringify(doc));
    await fc.assert(
      fc.asyncProperty(fc.oneof(...texts.map(textEdited), ...texts.map(bytesEdited)), (input) =>
        everyWay("-", input, input),
      ),
      { numRuns: 100 },
    );
  });

  it("share links with a character changed, and random fragments, as the argument", async () => {
    const link = shareUrl("https://intyg.example.se/verify", single);
    const at = link.indexOf("#c1.") + 4;
    const alphabet = fc.constantFrom(
      ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split(""),
    );
    const links = fc.oneof(
      fc.tuple(fc.nat(), alphabet).map(([n, c]) => {
        const i = at + (n % (link.length - at));
        return `${link.slice(0, i)}${c}${link.slice(i + 1)}`;
      }),
      fc.string({ unit: alphabet, maxLength: 100 }).map((s) => `c1.${s}`),
    );
    await fc.assert(
      fc.asyncProperty(links, async (source) => {
        const outcome = await verify(source, "", { snapshot: snapshotFile, json: true });
        expect(outcome.codes).to.have.length(1);
        expect(outcome.codes[0]).to.be.oneOf([0, 1, 2]);
        expectReport(JSON.parse(outcome.stdout), "credential");
      }),
      { numRuns: 100 },
    );
  });
});
