import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { GENERATED_PATH, renderGenerated } from "../../../scripts/export-abi";
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
  it("matches the compiled artifact (run `pnpm compile` after changing the contract)", function () {
    if (!existsSync(artifact)) this.skip();
    expect(readFileSync(GENERATED_PATH, "utf8")).to.equal(renderGenerated(artifact));
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
