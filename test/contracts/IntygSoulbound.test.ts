import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  claimRequest,
  deployRegistry,
  issueRequest,
  randomCommitment,
  rvs,
  signClaim,
  signIssue,
  tokenIdOf,
} from "./fixtures";

/** The ERC-165 id of an interface: the XOR of its function selectors. */
function interfaceId(signatures: string[]): string {
  const id = signatures.reduce((acc, signature) => acc ^ BigInt(ethers.id(signature).slice(0, 10)), 0n);
  return ethers.toBeHex(id, 4);
}

const ERC5192 = interfaceId(["locked(uint256)"]);
const ERC721 = interfaceId([
  "balanceOf(address)",
  "ownerOf(uint256)",
  "safeTransferFrom(address,address,uint256,bytes)",
  "safeTransferFrom(address,address,uint256)",
  "transferFrom(address,address,uint256)",
  "approve(address,uint256)",
  "setApprovalForAll(address,bool)",
  "getApproved(uint256)",
  "isApprovedForAll(address,address)",
]);
const ERC721_METADATA = interfaceId(["name()", "symbol()", "tokenURI(uint256)"]);
const ERC165 = interfaceId(["supportsInterface(bytes4)"]);
const ACCESS_CONTROL = interfaceId([
  "hasRole(bytes32,address)",
  "getRoleAdmin(bytes32)",
  "grantRole(bytes32,address)",
  "revokeRole(bytes32,address)",
  "renounceRole(bytes32,address)",
]);
const ACCESS_CONTROL_DEFAULT_ADMIN_RULES = interfaceId([
  "defaultAdmin()",
  "pendingDefaultAdmin()",
  "defaultAdminDelay()",
  "pendingDefaultAdminDelay()",
  "beginDefaultAdminTransfer(address)",
  "cancelDefaultAdminTransfer()",
  "acceptDefaultAdminTransfer()",
  "changeDefaultAdminDelay(uint48)",
  "rollbackDefaultAdminDelay()",
  "defaultAdminDelayIncreaseWait()",
]);

/** {deployRegistry} plus a credential issued with a token to `holder`. */
async function withToken() {
  const f = await deployRegistry();
  const request = issueRequest({ eventId: f.conference, holder: f.holder.address as `0x${string}` });
  await f.registry
    .connect(f.relayer)
    .issueSigned(request, ...rvs(await signIssue(f.key, f.chainId, f.address, request)));
  return { ...f, tokenId: tokenIdOf(1, request.commitment), commitment: request.commitment };
}

describe("IntygSoulbound", () => {
  describe("supportsInterface", () => {
    it("computes the standard interface ids", () => {
      expect(ERC5192).to.equal("0xb45a3c0e");
      expect(ERC721).to.equal("0x80ac58cd");
      expect(ERC721_METADATA).to.equal("0x5b5e139f");
      expect(ERC165).to.equal("0x01ffc9a7");
      expect(ACCESS_CONTROL).to.equal("0x7965db0b");
    });

    it("supports ERC-5192, ERC-721, its metadata and ERC-165; the registry ERC-165 and access control", async () => {
      const { registry, soulbound } = await loadFixture(deployRegistry);
      for (const id of [ERC5192, ERC721, ERC721_METADATA, ERC165]) {
        expect(await soulbound.supportsInterface(id), id).to.equal(true);
      }
      for (const id of [ACCESS_CONTROL, ACCESS_CONTROL_DEFAULT_ADMIN_RULES]) {
        expect(await soulbound.supportsInterface(id), id).to.equal(false);
      }
      for (const id of [ERC165, ACCESS_CONTROL, ACCESS_CONTROL_DEFAULT_ADMIN_RULES]) {
        expect(await registry.supportsInterface(id), id).to.equal(true);
      }
      for (const id of [ERC5192, ERC721]) {
        expect(await registry.supportsInterface(id), id).to.equal(false);
      }
    });

    it("supports nothing else", async () => {
      const { soulbound: registry } = await loadFixture(deployRegistry);
      const enumerable = interfaceId([
        "totalSupply()",
        "tokenOfOwnerByIndex(address,uint256)",
        "tokenByIndex(uint256)",
      ]);
      const erc1271 = interfaceId(["isValidSignature(bytes32,bytes)"]);
      for (const id of ["0xffffffff", "0x00000000", enumerable, erc1271]) {
        expect(await registry.supportsInterface(id), id).to.equal(false);
      }
    });
  });

  describe("minting", () => {
    it("mints for the registry that deployed it, and nobody else", async () => {
      const { registry, soulbound, orgAdmin, governor } = await loadFixture(deployRegistry);
      expect(await soulbound.registry()).to.equal(await registry.getAddress());
      for (const account of [orgAdmin, governor]) {
        await expect(soulbound.connect(account).mint(account.address, 1n))
          .to.be.revertedWithCustomError(soulbound, "IntygSoulboundUnauthorised")
          .withArgs(account.address);
      }
    });

    it("names the collection", async () => {
      const { soulbound } = await loadFixture(deployRegistry);
      expect(await soulbound.name()).to.equal("Intyg credential");
      expect(await soulbound.symbol()).to.equal("INTYG");
    });

    it("emits Transfer and Locked, never Unlocked, and the token is locked from its mint", async () => {
      const f = await loadFixture(deployRegistry);
      const request = issueRequest({ eventId: f.conference, holder: f.holder.address as `0x${string}` });
      const tokenId = tokenIdOf(1, request.commitment);
      await expect(f.soulbound.locked(tokenId))
        .to.be.revertedWithCustomError(f.soulbound, "ERC721NonexistentToken")
        .withArgs(tokenId);
      await expect(
        f.registry
          .connect(f.relayer)
          .issueSigned(request, ...rvs(await signIssue(f.key, f.chainId, f.address, request))),
      )
        .to.emit(f.soulbound, "Transfer")
        .withArgs(ethers.ZeroAddress, f.holder.address, tokenId)
        .and.to.emit(f.soulbound, "Locked")
        .withArgs(tokenId)
        .and.not.to.emit(f.soulbound, "Unlocked");
      expect(await f.soulbound.locked(tokenId)).to.equal(true);
      expect(await f.soulbound.ownerOf(tokenId)).to.equal(f.holder.address);
      expect(await f.soulbound.balanceOf(f.holder.address)).to.equal(1);
    });

    it("reverts locked() for a token that does not exist", async () => {
      const { soulbound } = await loadFixture(withToken);
      const missing = BigInt(randomCommitment());
      await expect(soulbound.locked(missing))
        .to.be.revertedWithCustomError(soulbound, "ERC721NonexistentToken")
        .withArgs(missing);
    });

    it("never mints the same token id twice, even from another path", async () => {
      const f = await loadFixture(withToken);
      // A batch whose one leaf is the commitment already minted as a single credential: root = H(sorted pair).
      const sibling = randomCommitment();
      const [a, b] =
        BigInt(f.commitment) < BigInt(sibling) ? [f.commitment, sibling] : [sibling, f.commitment];
      const root = ethers.keccak256(ethers.concat([a, b])) as `0x${string}`;
      await f.registry.connect(f.key).anchorBatch(root, f.conference, 0, 2);
      expect(await f.registry.isBatchMember(1, root, f.commitment, [sibling])).to.equal(true);
      const request = claimRequest({ root, leaf: f.commitment, holder: f.other.address as `0x${string}` });
      const signature = await signClaim(f.key, f.chainId, f.address, request);
      await expect(f.registry.connect(f.relayer).claimToken(request, [sibling], f.key.address, signature))
        .to.be.revertedWithCustomError(f.soulbound, "ERC721InvalidSender")
        .withArgs(ethers.ZeroAddress);
      expect(await f.soulbound.ownerOf(f.tokenId)).to.equal(f.holder.address);
      expect(await f.soulbound.balanceOf(f.other.address)).to.equal(0);
    });
  });

  describe("transfers and approvals", () => {
    it("refuses transferFrom, by the holder or anyone", async () => {
      const { soulbound, holder, other, tokenId } = await loadFixture(withToken);
      for (const sender of [holder, other]) {
        await expect(soulbound.connect(sender).transferFrom(holder.address, other.address, tokenId))
          .to.be.revertedWithCustomError(soulbound, "IntygSoulboundLocked")
          .withArgs(tokenId);
      }
    });

    it("refuses both safeTransferFrom overloads", async () => {
      const { soulbound, holder, other, tokenId } = await loadFixture(withToken);
      await expect(
        soulbound
          .connect(holder)
          ["safeTransferFrom(address,address,uint256)"](holder.address, other.address, tokenId),
      )
        .to.be.revertedWithCustomError(soulbound, "IntygSoulboundLocked")
        .withArgs(tokenId);
      await expect(
        soulbound
          .connect(holder)
          ["safeTransferFrom(address,address,uint256,bytes)"](
            holder.address,
            other.address,
            tokenId,
            "0x1234",
          ),
      )
        .to.be.revertedWithCustomError(soulbound, "IntygSoulboundLocked")
        .withArgs(tokenId);
    });

    it("refuses approve and setApprovalForAll", async () => {
      const { soulbound, holder, other, tokenId } = await loadFixture(withToken);
      await expect(soulbound.connect(holder).approve(other.address, tokenId))
        .to.be.revertedWithCustomError(soulbound, "IntygSoulboundLocked")
        .withArgs(tokenId);
      for (const approved of [true, false]) {
        await expect(soulbound.connect(holder).setApprovalForAll(other.address, approved))
          .to.be.revertedWithCustomError(soulbound, "IntygSoulboundLocked")
          .withArgs(0);
      }
      expect(await soulbound.getApproved(tokenId)).to.equal(ethers.ZeroAddress);
      expect(await soulbound.isApprovedForAll(holder.address, other.address)).to.equal(false);
    });

    it("leaves the token with its holder after every attempt", async () => {
      const { soulbound, holder, other, tokenId } = await loadFixture(withToken);
      const asHolder = soulbound.connect(holder);
      const attempts = [
        () => asHolder.transferFrom(holder.address, other.address, tokenId),
        () => asHolder["safeTransferFrom(address,address,uint256)"](holder.address, other.address, tokenId),
        () =>
          asHolder["safeTransferFrom(address,address,uint256,bytes)"](
            holder.address,
            other.address,
            tokenId,
            "0x",
          ),
        () => asHolder.approve(other.address, tokenId),
        () => asHolder.setApprovalForAll(other.address, true),
      ];
      for (const attempt of attempts) {
        await expect(attempt()).to.be.revertedWithCustomError(soulbound, "IntygSoulboundLocked");
      }
      expect(await soulbound.ownerOf(tokenId)).to.equal(holder.address);
      expect(await soulbound.balanceOf(holder.address)).to.equal(1);
      expect(await soulbound.balanceOf(other.address)).to.equal(0);
    });
  });
});
