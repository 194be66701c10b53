// The scan of the test logs (scripts/log-scan.ts, the last step of `pnpm test`) finds what is planted in a log
// and reports where, without printing the secret in full; clean lines pass; a scan of (almost) nothing fails.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { expect } from "chai";
import { judge, knownNeedles, type Needles, scanDirectory } from "../../scripts/log-scan";

const ROOT = path.resolve(__dirname, "..", "..");

describe("log scan (scripts/log-scan.ts)", () => {
  let needles: Needles;
  before(() => {
    needles = knownNeedles(ROOT);
  });

  it("knows the dev keys, all of Hardhat's mnemonic keys, the fixtures' names and the tests' passwords", () => {
    expect(needles.privateKeys.size).to.equal(20);
    for (const key of DEV_PRIVATE_KEYS) expect(needles.privateKeys.has(key.slice(2))).to.equal(true);
    expect(needles.names).to.include.members([
      "Åsa Öberg-Ärlig",
      "Hemliga Hedvig",
      "Łukasz Żółć",
      "Anna Andersson",
    ]);
    expect(needles.names.some((n) => n.startsWith("Linnéa "))).to.equal(true);
    expect(needles.secrets).to.include("hemligt lösenord");
    expect(needles.namePatterns.some((p) => p.test("Deltagare 17"))).to.equal(true);
  });

  it("catches planted secrets and personal data, with file and line, never reprinting them", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "intyg-scan-"));
    const apiKey = "intyg_Zx9aQ2mN4pR7sT1uV3wX5yZ8bC0dE6fG2hJ4kL6mN8p";
    const mnemonicKey = [...needles.privateKeys].find(
      (k) => !DEV_PRIVATE_KEYS.some((d) => d.slice(2) === k),
    )!;
    const line = (fields: Record<string, unknown>) =>
      JSON.stringify({ level: 30, service: "intyg", ...fields });
    const clean = [
      line({ msg: "request", route: "/holder/:token", status: 200 }),
      line({ msg: "batch anchored", root: `0x${"ab".repeat(32)}`, txHash: `0x${"cd".repeat(32)}` }),
      line({ msg: "oops", apiKey: "[redacted]", email: "[redacted]", authorization: "[redacted]" }),
      line({ msg: "key", keyPrefix: "intyg_Zx9aQ2" }),
      line({ msg: "err", err: { message: "unknown key intyg_[redacted] of [redacted e-mail]" } }),
    ];
    const planted = [
      line({ msg: "request", headers: { authorization: `Bearer ${apiKey}` } }),
      line({ msg: "signer", key: DEV_PRIVATE_KEYS[2] }),
      `plain text ${DEV_PRIVATE_KEYS[3]!.slice(2).toUpperCase()} without 0x`,
      line({ msg: "relayer", value: `0x${mnemonicKey}` }),
      line({ msg: "delivery failed", to: "asa.oberg@example.se" }),
      line({ msg: "bulk", detail: "row 3: Åsa Öberg-Ärlig" }),
      line({ msg: "bulk", detail: "Deltagare 117 could not be issued" }),
      line({ msg: "holder", url: "http://127.0.0.1:8787/holder/AbCdEfGhIjKlMnOpQrStUv" }),
      line({ msg: "keystore", detail: "password hemligt lösenord refused" }),
      line({ msg: "nested", body: { attendees: [{ subject: { name: "X" } }] } }),
    ];
    writeFileSync(path.join(dir, "service-1.log"), `${clean.join("\n")}\n`);
    writeFileSync(path.join(dir, "cli-2.log"), `${[...clean.slice(0, 2), ...planted].join("\n")}\n`);
    writeFileSync(path.join(dir, "notes.txt"), `${apiKey}\n`); // not a log: not scanned
    const result = scanDirectory(dir, needles);
    expect(result.files).to.deep.equal(["cli-2.log", "service-1.log"]);
    expect(result.lines).to.equal(clean.length + 2 + planted.length);
    const at = (n: number) =>
      result.findings.filter((f) => f.file === "cli-2.log" && f.line === n + 3).map((f) => f.kind);
    expect(at(0)).to.include.members(["API key", "bearer token", "unredacted field"]);
    expect(at(1)).to.deep.equal(["private key"]);
    expect(at(2)).to.deep.equal(["private key"]);
    expect(at(3)).to.deep.equal(["private key"]);
    expect(at(4)).to.deep.equal(["e-mail address"]);
    expect(at(5)).to.deep.equal(["attendee name"]);
    expect(at(6)).to.deep.equal(["attendee name"]);
    expect(at(7)).to.deep.equal(["holder link token"]);
    expect(at(8)).to.deep.equal(["test secret (password)"]);
    expect(at(9)).to.deep.equal(["unredacted field"]);
    expect(result.findings.filter((f) => f.file === "service-1.log")).to.deep.equal([]);
    expect(result.findings.filter((f) => f.line <= 2)).to.deep.equal([]);

    const verdict = judge(result, { minLines: 5, expect: ["service", "cli"] });
    expect(verdict.ok).to.equal(false);
    const report = verdict.report.join("\n");
    expect(report).to.contain("cli-2.log:3: API key: intyg_");
    expect(report).to.contain("cli-2.log:12: unredacted field: body.attendees");
    for (const secret of [
      apiKey,
      DEV_PRIVATE_KEYS[2],
      mnemonicKey,
      "asa.oberg@example.se",
      "Åsa Öberg-Ärlig",
      "hemligt lösenord",
    ]) {
      expect(report).not.to.contain(secret);
    }
  });

  it("passes clean logs, and fails a scan of too few lines or without a suite's logs", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "intyg-scan-"));
    const lines = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ level: 30, msg: "request", status: 200, i }),
    );
    writeFileSync(path.join(dir, "service-9.log"), `${lines.join("\n")}\n`);
    const result = scanDirectory(dir, needles);
    expect(judge(result, { minLines: 30, expect: ["service"] }).ok).to.equal(true);
    expect(judge(result, { minLines: 31, expect: ["service"] }).report.join("\n")).to.match(
      /only 30 log lines/,
    );
    expect(judge(result, { minLines: 31 }).ok).to.equal(false);
    const missing = judge(result, { minLines: 1, expect: ["service", "cli"] });
    expect(missing.ok).to.equal(false);
    expect(missing.report.join("\n")).to.contain('no log file from "cli"');
    const empty = mkdtempSync(path.join(tmpdir(), "intyg-scan-"));
    expect(judge(scanDirectory(empty, needles), { minLines: 1 }).ok).to.equal(false);
    expect(judge(scanDirectory(path.join(empty, "absent"), needles), { minLines: 1 }).ok).to.equal(false);
  });
});
