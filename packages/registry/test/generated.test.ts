import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { GENERATED_PATH, renderGenerated } from "../scripts/export-abi";
import { REVOCATION_REASONS, revocationReasonCode, revocationReasonName } from "../src";

const artifact = path.join(
  __dirname,
  "..",
  "..",
  "..",
  "artifacts",
  "contracts",
  "IntygRegistry.sol",
  "IntygRegistry.json",
);

describe("generated ABI", () => {
  // The ABI is compared here; the bytecode is compared by `pnpm compile:check` (CI's compile step), as
  // solidity-coverage leaves instrumented bytecode in the artifacts after the contract tests.
  it("matches the compiled artifact's ABI (run `pnpm compile` after changing the contract)", function () {
    if (!existsSync(artifact)) this.skip();
    const abiLine = (text: string) =>
      text.split("\n").find((line) => line.startsWith("export const intygRegistryAbi"));
    expect(abiLine(readFileSync(GENERATED_PATH, "utf8"))).to.equal(abiLine(renderGenerated(artifact)));
    const tokenLine = (text: string) =>
      text.split("\n").find((line) => line.startsWith("export const intygSoulboundAbi"));
    expect(tokenLine(readFileSync(GENERATED_PATH, "utf8"))).to.equal(tokenLine(renderGenerated(artifact)));
  });
});

describe("revocation reasons", () => {
  it("round-trips every code and rejects unknown ones", () => {
    for (const [name, code] of Object.entries(REVOCATION_REASONS)) {
      expect(revocationReasonName(code)).to.equal(name);
      expect(revocationReasonCode(name as keyof typeof REVOCATION_REASONS)).to.equal(code);
    }
    expect(revocationReasonName(0)).to.equal(undefined);
    expect(revocationReasonName(99)).to.equal(undefined);
  });

  it("agrees with the contract's REASON_SUPERSEDED", () => {
    expect(REVOCATION_REASONS.superseded).to.equal(2);
  });
});
