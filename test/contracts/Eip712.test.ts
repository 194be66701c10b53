import {
  claimRequestTypes,
  EIP712_DOMAIN_NAME,
  EIP712_DOMAIN_VERSION,
  intygDomain,
  issueRequestTypes,
  keyConsentTypes,
} from "@intyg/credential";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import { deployRegistry, deployTwoRegistries } from "./fixtures";

// The types as packages/credential defines them: the one source shared by the contract and the TypeScript side.
const ISSUE_TYPES = { IssueRequest: [...issueRequestTypes.IssueRequest] };
const CLAIM_TYPES = { ClaimRequest: [...claimRequestTypes.ClaimRequest] };
const CONSENT_TYPES = { KeyConsent: [...keyConsentTypes.KeyConsent] };

function typeHash(types: Record<string, { name: string; type: string }[]>, primaryType: string): string {
  return ethers.keccak256(ethers.toUtf8Bytes(ethers.TypedDataEncoder.from(types).encodeType(primaryType)));
}

describe("EIP-712 types and domain", () => {
  it("ISSUE_TYPEHASH is the type hash of IssueRequest in packages/credential", async () => {
    const { registry } = await loadFixture(deployRegistry);
    expect(await registry.ISSUE_TYPEHASH()).to.equal(typeHash(ISSUE_TYPES, "IssueRequest"));
  });

  it("CLAIM_TYPEHASH is the type hash of ClaimRequest in packages/credential", async () => {
    const { registry } = await loadFixture(deployRegistry);
    expect(await registry.CLAIM_TYPEHASH()).to.equal(typeHash(CLAIM_TYPES, "ClaimRequest"));
  });

  it("KEY_CONSENT_TYPEHASH is the type hash of KeyConsent in packages/credential", async () => {
    const { registry } = await loadFixture(deployRegistry);
    expect(await registry.KEY_CONSENT_TYPEHASH()).to.equal(typeHash(CONSENT_TYPES, "KeyConsent"));
  });

  it("would notice a reordered or retyped field", async () => {
    const { registry } = await loadFixture(deployRegistry);
    const [first, second, ...rest] = ISSUE_TYPES.IssueRequest;
    const reordered = { IssueRequest: [second!, first!, ...rest] };
    const retyped = {
      IssueRequest: ISSUE_TYPES.IssueRequest.map((f) =>
        f.name === "eventId" ? { ...f, type: "uint256" } : f,
      ),
    };
    for (const types of [reordered, retyped]) {
      expect(await registry.ISSUE_TYPEHASH()).not.to.equal(typeHash(types, "IssueRequest"));
    }
  });

  it("has the domain of intygDomain(chainId, registry)", async () => {
    const { registry, chainId, address } = await loadFixture(deployRegistry);
    const [fields, name, version, domainChainId, verifyingContract, salt, extensions] =
      await registry.eip712Domain();
    const expected = intygDomain(chainId, address);
    // 0x0f: name, version, chainId and verifyingContract; no salt.
    expect(fields).to.equal("0x0f");
    expect({ name, version, chainId: domainChainId, verifyingContract }).to.deep.equal({
      name: expected.name,
      version: expected.version,
      chainId: BigInt(expected.chainId),
      verifyingContract: ethers.getAddress(expected.verifyingContract),
    });
    expect([name, version]).to.deep.equal([EIP712_DOMAIN_NAME, EIP712_DOMAIN_VERSION]);
    expect(salt).to.equal(ethers.ZeroHash);
    expect(extensions).to.deep.equal([]);
  });

  it("binds each registry's domain to its own address", async () => {
    const { second, secondAddress, chainId } = await loadFixture(deployTwoRegistries);
    const [, , , domainChainId, verifyingContract] = await second.eip712Domain();
    expect(domainChainId).to.equal(chainId);
    expect(verifyingContract).to.equal(ethers.getAddress(secondAddress));
  });
});
