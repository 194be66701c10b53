import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { READ_FUNCTIONS } from "../scripts/export-abi";
import {
  intygForwarderAbi,
  intygRegistryAbi,
  intygRegistryReadAbi,
  intygSoulboundAbi,
  REVOCATION_REASONS,
  revocationReasonCode,
  revocationReasonName,
} from "../src";

const artifacts = path.join(__dirname, "..", "..", "..", "artifacts", "contracts");
const artifactAbi = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(artifacts, `${name}.sol`, `${name}.json`), "utf8")).abi;

describe("generated ABI", () => {
  // The ABI is compared here; the bytecode is compared by `pnpm compile:check` (CI's compile step), as
  // solidity-coverage leaves instrumented bytecode in the artifacts after the contract tests.
  it("matches the compiled artifact's ABI (run `pnpm compile` after changing the contract)", function () {
    if (!existsSync(path.join(artifacts, "IntygRegistry.sol"))) this.skip();
    expect(intygRegistryAbi).to.deep.equal(artifactAbi("IntygRegistry"));
    expect(intygSoulboundAbi).to.deep.equal(artifactAbi("IntygSoulbound"));
    expect(intygForwarderAbi).to.deep.equal(artifactAbi("IntygForwarder"));
  });

  it("reads with the registry's own entries: every event and each view function a verifier calls", () => {
    const names = (items: readonly { type: string; name?: string }[], type: string) =>
      items.filter((item) => item.type === type).map((item) => item.name);
    // Each entry is the full ABI's, unchanged (so it encodes and decodes as the full ABI does).
    for (const item of intygRegistryReadAbi) expect(intygRegistryAbi).to.deep.include(item);
    expect(names(intygRegistryReadAbi, "event")).to.deep.equal(names(intygRegistryAbi, "event"));
    expect(names(intygRegistryReadAbi, "function")).to.have.members([...READ_FUNCTIONS]);
    // That each view's function is in it, src/views.ts's types check (a missing one does not compile).
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
