import {
  type ClaimRequest,
  claimRequestTypes,
  type IssueRequest,
  intygDomain,
  issueRequestTypes,
} from "@intyg/credential";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import type { Signer } from "ethers";
import { ethers } from "hardhat";
import type { MockERC1271Wallet } from "../../typechain-types";
import {
  authorise,
  batchTree,
  claimRequest,
  compact,
  deployRegistry,
  deployTwoRegistries,
  ecrecover,
  eventIdOf,
  highS,
  issueRequest,
  leafOf,
  MAX_UINT40,
  now,
  type RegistryFixture,
  randomCommitment,
  recordOf,
  rvs,
  SECP256K1_N,
  signClaim,
  signIssue,
  tokenIdOf,
  withV,
} from "./fixtures";

const ISSUE_TYPES = { IssueRequest: [...issueRequestTypes.IssueRequest] };
const CLAIM_TYPES = { ClaimRequest: [...claimRequestTypes.ClaimRequest] };
const REASON_SUPERSEDED = 2n;
const MAX_UINT32 = 2n ** 32n - 1n;
const MAX_UINT64 = 2n ** 64n - 1n;

/** An address, root or leaf as the `0x${string}` the shared request types expect. */
function hex(value: string): `0x${string}` {
  return value as `0x${string}`;
}

async function sign(f: RegistryFixture, request: IssueRequest, signer: Signer = f.key): Promise<string> {
  return signIssue(signer, f.chainId, f.address, request);
}

/** The address a signature over `request` recovers to under this registry's domain. */
function recovered(f: RegistryFixture, request: IssueRequest, signature: string): string {
  return ethers.verifyTypedData(intygDomain(f.chainId, f.address), ISSUE_TYPES, request, signature);
}

async function deployWallet(owner: string): Promise<MockERC1271Wallet> {
  const wallet = await (await ethers.getContractFactory("MockERC1271Wallet")).deploy(owner);
  return wallet as unknown as MockERC1271Wallet;
}

/** {deployRegistry} plus an ERC-1271 wallet, owned by `other`, authorised as a key of organisation 1. */
async function withWallet() {
  const f = await deployRegistry();
  const wallet = await deployWallet(f.other.address);
  const walletAddress = hex(await wallet.getAddress());
  await authorise(f.registry, f.orgAdmin, 1, { address: walletAddress, owner: f.other }, 0, 0);
  return { ...f, wallet, walletAddress };
}

/** {deployRegistry} plus a batch of 8 anchored at the conference (no expiry). */
async function withBatch() {
  const f = await deployRegistry();
  const tree = batchTree(8);
  await f.registry.connect(f.key).anchorBatch(tree.root, f.conference, 0, 8);
  return { ...f, tree, root: hex(tree.root) };
}

async function claimFor(
  f: RegistryFixture,
  root: `0x${string}`,
  leaf: `0x${string}`,
  holder: string,
  signer: Signer = f.key,
  partial: Partial<ClaimRequest> = {},
) {
  const request = claimRequest({ root, leaf, holder: hex(holder), ...partial });
  return { request, signature: await signClaim(signer, f.chainId, f.address, request) };
}

describe("IntygRegistry", () => {
  describe("issue", () => {
    it("anchors a commitment for a valid key and records the event, the time and no expiry", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      const c = randomCommitment();
      await expect(registry.connect(key).issue(c, conference, 0))
        .to.emit(registry, "CredentialAnchored")
        .withArgs(c, conference);
      expect(await recordOf(registry, c)).to.deep.equal({
        eventId: conference,
        issuedAt: BigInt(await time.latest()),
        validUntil: 0n,
        revokedAt: 0n,
        revocationReason: 0n,
        batchSize: 0n,
      });
    });

    it("issues on a course and on a sub-event", async () => {
      const { registry, key, course, hackathon } = await loadFixture(deployRegistry);
      for (const eventId of [course, hackathon]) {
        const c = randomCommitment();
        await expect(registry.connect(key).issue(c, eventId, 0))
          .to.emit(registry, "CredentialAnchored")
          .withArgs(c, eventId);
        expect((await registry.record(1, c)).eventId).to.equal(eventId);
      }
    });

    it("takes validUntil strictly in the future and within uint40", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      const t = (await now()) + 10n;
      await time.setNextBlockTimestamp(t);
      await expect(registry.connect(key).issue(randomCommitment(), conference, t))
        .to.be.revertedWithCustomError(registry, "IntygRegistryInvalidValidity")
        .withArgs(t);
      // Hardhat mines the reverted transaction at t; the next block is at t + 1.
      await time.setNextBlockTimestamp(t + 1n);
      const c = randomCommitment();
      await expect(registry.connect(key).issue(c, conference, t + 2n))
        .to.emit(registry, "CredentialAnchored")
        .withArgs(c, conference);
      expect((await registry.record(1, c)).validUntil).to.equal(t + 2n);

      const longest = randomCommitment();
      await expect(registry.connect(key).issue(longest, conference, MAX_UINT40))
        .to.emit(registry, "CredentialAnchored")
        .withArgs(longest, conference);
      expect((await registry.record(1, longest)).validUntil).to.equal(MAX_UINT40);
      for (const validUntil of [MAX_UINT40 + 1n, MAX_UINT64, 1n]) {
        await expect(registry.connect(key).issue(randomCommitment(), conference, validUntil))
          .to.be.revertedWithCustomError(registry, "IntygRegistryInvalidValidity")
          .withArgs(validUntil);
      }
    });

    it("refuses a zero commitment", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      await expect(registry.connect(key).issue(ethers.ZeroHash, conference, 0)).to.be.revertedWithCustomError(
        registry,
        "IntygRegistryInvalidCommitment",
      );
    });

    it("anchors a commitment once, whatever the event or the way", async () => {
      const { registry, key, conference, course } = await loadFixture(deployRegistry);
      const c = randomCommitment();
      await registry.connect(key).issue(c, conference, 0);
      const before = await recordOf(registry, c);
      await expect(registry.connect(key).issue(c, conference, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryAlreadyAnchored")
        .withArgs(1n, c);
      await expect(registry.connect(key).issue(c, course, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryAlreadyAnchored")
        .withArgs(1n, c);
      await expect(registry.connect(key).anchorBatch(c, conference, 0, 2))
        .to.be.revertedWithCustomError(registry, "IntygRegistryAlreadyAnchored")
        .withArgs(1n, c);
      expect(await recordOf(registry, c)).to.deep.equal(before);
    });

    it("refuses senders that are not keys, the organisation's admin included", async () => {
      const { registry, orgAdmin, other, governor, conference } = await loadFixture(deployRegistry);
      for (const account of [orgAdmin, other, governor]) {
        await expect(registry.connect(account).issue(randomCommitment(), conference, 0))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownKey")
          .withArgs(account.address);
      }
    });

    it("refuses a key of another organisation on this organisation's event", async () => {
      const { registry, otherKey, conference, key, otherEvent } = await loadFixture(deployRegistry);
      await expect(registry.connect(otherKey).issue(randomCommitment(), conference, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryWrongOrganisation")
        .withArgs(conference, 2);
      await expect(registry.connect(key).issue(randomCommitment(), otherEvent, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryWrongOrganisation")
        .withArgs(otherEvent, 1);
    });

    it("refuses event ids with sequence 0 or without an organisation", async () => {
      const { registry, key, other } = await loadFixture(deployRegistry);
      for (const eventId of [eventIdOf(1, 0), 1n, 0n]) {
        await expect(registry.connect(key).issue(randomCommitment(), eventId, 0))
          .to.be.revertedWithCustomError(registry, "IntygRegistryWrongOrganisation")
          .withArgs(eventId, 1);
      }
      await expect(registry.connect(other).issue(randomCommitment(), 1n, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownKey")
        .withArgs(other.address);
    });

    it("refuses a key before its validFrom and from its validUntil on", async () => {
      const { registry, orgAdmin, conference } = await loadFixture(deployRegistry);
      const signer = (await ethers.getSigners())[8]!;
      const from = (await now()) + 100n;
      await authorise(registry, orgAdmin, 1, signer, from, from + 10n);
      await time.setNextBlockTimestamp(from - 1n);
      await expect(registry.connect(signer).issue(randomCommitment(), conference, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyNotAuthorised")
        .withArgs(signer.address);
      await time.setNextBlockTimestamp(from);
      await expect(registry.connect(signer).issue(randomCommitment(), conference, 0)).to.emit(
        registry,
        "CredentialAnchored",
      );
      await time.setNextBlockTimestamp(from + 9n);
      await expect(registry.connect(signer).issue(randomCommitment(), conference, 0)).to.emit(
        registry,
        "CredentialAnchored",
      );
      await time.setNextBlockTimestamp(from + 10n);
      await expect(registry.connect(signer).issue(randomCommitment(), conference, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyNotAuthorised")
        .withArgs(signer.address);
    });

    it("refuses a removed key but keeps what it anchored", async () => {
      const { registry, orgAdmin, key, conference } = await loadFixture(deployRegistry);
      const c = randomCommitment();
      await registry.connect(key).issue(c, conference, 0);
      await registry.connect(orgAdmin).removeKey(key.address);
      await expect(registry.connect(key).issue(randomCommitment(), conference, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyNotAuthorised")
        .withArgs(key.address);
      const r = await recordOf(registry, c);
      expect(r.revokedAt).to.equal(0);
      expect(await registry.isKeyValidAt(key.address, 1, r.issuedAt)).to.equal(true);
    });

    it("refuses the keys of a suspended organisation", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      await registry.suspendOrganisation(1);
      await expect(registry.connect(key).issue(randomCommitment(), conference, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryOrganisationSuspended")
        .withArgs(1);
    });
  });

  describe("anchorBatch", () => {
    it("anchors a batch root with its size", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      const tree = batchTree(5);
      const validUntil = (await now()) + 1000n;
      await expect(registry.connect(key).anchorBatch(tree.root, conference, validUntil, 5))
        .to.emit(registry, "CredentialAnchored")
        .withArgs(tree.root, conference);
      expect(await recordOf(registry, tree.root)).to.deep.equal({
        eventId: conference,
        issuedAt: BigInt(await time.latest()),
        validUntil,
        revokedAt: 0n,
        revocationReason: 0n,
        batchSize: 5n,
      });
    });

    it("keeps every field of the packed record intact at its largest value", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      const root = randomCommitment();
      await registry.connect(key).anchorBatch(root, conference, MAX_UINT40, MAX_UINT32);
      const issuedAt = BigInt(await time.latest());
      await registry.connect(key).revoke(1, root, 255);
      expect(await recordOf(registry, root)).to.deep.equal({
        eventId: conference,
        issuedAt,
        validUntil: MAX_UINT40,
        revokedAt: BigInt(await time.latest()),
        revocationReason: 255n,
        batchSize: MAX_UINT32,
      });
    });

    it("refuses an empty batch, a zero root and a root anchored already", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      const root = randomCommitment();
      await expect(registry.connect(key).anchorBatch(root, conference, 0, 0)).to.be.revertedWithCustomError(
        registry,
        "IntygRegistryInvalidBatchSize",
      );
      await expect(
        registry.connect(key).anchorBatch(ethers.ZeroHash, conference, 0, 3),
      ).to.be.revertedWithCustomError(registry, "IntygRegistryInvalidCommitment");
      await registry.connect(key).anchorBatch(root, conference, 0, 3);
      await expect(registry.connect(key).anchorBatch(root, conference, 0, 3))
        .to.be.revertedWithCustomError(registry, "IntygRegistryAlreadyAnchored")
        .withArgs(1n, root);
      await expect(registry.connect(key).issue(root, conference, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryAlreadyAnchored")
        .withArgs(1n, root);
    });

    it("refuses a validUntil in the past or beyond uint40", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      const past = await now();
      for (const validUntil of [past, MAX_UINT40 + 1n]) {
        await expect(registry.connect(key).anchorBatch(randomCommitment(), conference, validUntil, 2))
          .to.be.revertedWithCustomError(registry, "IntygRegistryInvalidValidity")
          .withArgs(validUntil);
      }
    });

    it("refuses outsiders, another organisation's key and a suspended organisation", async () => {
      const { registry, key, other, otherKey, conference } = await loadFixture(deployRegistry);
      await expect(registry.connect(other).anchorBatch(randomCommitment(), conference, 0, 2))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownKey")
        .withArgs(other.address);
      await expect(registry.connect(otherKey).anchorBatch(randomCommitment(), conference, 0, 2))
        .to.be.revertedWithCustomError(registry, "IntygRegistryWrongOrganisation")
        .withArgs(conference, 2);
      await expect(registry.connect(key).anchorBatch(randomCommitment(), eventIdOf(1, 0), 0, 2))
        .to.be.revertedWithCustomError(registry, "IntygRegistryWrongOrganisation")
        .withArgs(eventIdOf(1, 0), 1);
      await registry.suspendOrganisation(1);
      await expect(registry.connect(key).anchorBatch(randomCommitment(), conference, 0, 2))
        .to.be.revertedWithCustomError(registry, "IntygRegistryOrganisationSuspended")
        .withArgs(1);
    });
  });

  describe("issueSigned", () => {
    it("anchors a request signed by a key and relayed by anyone", async () => {
      const f = await loadFixture(deployRegistry);
      const validUntil = (await now()) + 86_400n;
      const request = issueRequest({ eventId: f.conference, validUntil });
      await expect(f.registry.connect(f.relayer).issueSigned(request, ...rvs(await sign(f, request))))
        .to.emit(f.registry, "CredentialAnchored")
        .withArgs(request.commitment, f.conference)
        .and.not.to.emit(f.soulbound, "Transfer");
      expect(await recordOf(f.registry, request.commitment)).to.deep.equal({
        eventId: f.conference,
        issuedAt: BigInt(await time.latest()),
        validUntil,
        revokedAt: 0n,
        revocationReason: 0n,
        batchSize: 0n,
      });
      expect(await f.soulbound.balanceOf(f.holder.address)).to.equal(0);
    });

    it("anchors a signed batch root", async () => {
      const f = await loadFixture(deployRegistry);
      const tree = batchTree(3);
      const request = issueRequest({ eventId: f.conference, commitment: hex(tree.root), batchSize: 3 });
      await expect(f.registry.connect(f.relayer).issueSigned(request, ...rvs(await sign(f, request))))
        .to.emit(f.registry, "CredentialAnchored")
        .withArgs(tree.root, f.conference);
      expect((await f.registry.record(1, tree.root)).batchSize).to.equal(3);
    });

    it("mints a locked token whose id is the commitment to a named holder", async () => {
      const f = await loadFixture(deployRegistry);
      const request = issueRequest({ eventId: f.conference, holder: hex(f.holder.address) });
      const tokenId = tokenIdOf(1, request.commitment);
      await expect(f.registry.connect(f.relayer).issueSigned(request, ...rvs(await sign(f, request))))
        .to.emit(f.registry, "CredentialAnchored")
        .withArgs(request.commitment, f.conference)
        .and.to.emit(f.soulbound, "Transfer")
        .withArgs(ethers.ZeroAddress, f.holder.address, tokenId)
        .and.to.emit(f.soulbound, "Locked")
        .withArgs(tokenId);
      expect(await f.soulbound.ownerOf(tokenId)).to.equal(f.holder.address);
      expect(await f.soulbound.balanceOf(f.holder.address)).to.equal(1);
      expect(await f.soulbound.locked(tokenId)).to.equal(true);
    });

    it("refuses a holder on a batch", async () => {
      const f = await loadFixture(deployRegistry);
      const request = issueRequest({ eventId: f.conference, batchSize: 2, holder: hex(f.holder.address) });
      await expect(
        f.registry.connect(f.relayer).issueSigned(request, ...rvs(await sign(f, request))),
      ).to.be.revertedWithCustomError(f.registry, "IntygRegistryHolderOnBatch");
    });

    describe("replay protection", () => {
      it("refuses the same request twice, with or without a token", async () => {
        const f = await loadFixture(deployRegistry);
        for (const holder of [ethers.ZeroAddress, f.holder.address]) {
          const request = issueRequest({ eventId: f.conference, holder: hex(holder) });
          const signature = await sign(f, request);
          await f.registry.connect(f.relayer).issueSigned(request, ...rvs(signature));
          await expect(f.registry.connect(f.other).issueSigned(request, ...rvs(signature)))
            .to.be.revertedWithCustomError(f.registry, "IntygRegistryAlreadyAnchored")
            .withArgs(1n, request.commitment);
        }
      });

      it("refuses a fresh request (new deadline) for a commitment already anchored", async () => {
        const f = await loadFixture(deployRegistry);
        const first = issueRequest({ eventId: f.conference });
        await f.registry.connect(f.relayer).issueSigned(first, ...rvs(await sign(f, first)));
        const again = { ...first, deadline: first.deadline - 1n };
        await expect(f.registry.connect(f.relayer).issueSigned(again, ...rvs(await sign(f, again))))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryAlreadyAnchored")
          .withArgs(1n, first.commitment);
      });

      it("refuses a signature made for another chain id", async () => {
        const f = await loadFixture(deployRegistry);
        const request = issueRequest({ eventId: f.conference });
        const foreign = await signIssue(f.key, f.chainId + 1n, f.address, request);
        const signer = recovered(f, request, foreign);
        expect(signer).not.to.equal(f.key.address);
        await expect(f.registry.connect(f.relayer).issueSigned(request, ...rvs(foreign)))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnknownKey")
          .withArgs(signer);
        await expect(f.registry.connect(f.relayer).issueSignedBy(request, f.key.address, foreign))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
          .withArgs(f.key.address);
        // The same request signed for this chain goes through.
        await expect(
          f.registry.connect(f.relayer).issueSigned(request, ...rvs(await sign(f, request))),
        ).to.emit(f.registry, "CredentialAnchored");
      });

      it("refuses a signature made for another registry address", async () => {
        const f = await loadFixture(deployTwoRegistries);
        const request = issueRequest({ eventId: f.conference });
        const forSecond = await signIssue(f.key, f.chainId, f.secondAddress, request);
        const signer = recovered(f, request, forSecond);
        expect(signer).not.to.equal(f.key.address);
        await expect(f.registry.connect(f.relayer).issueSigned(request, ...rvs(forSecond)))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnknownKey")
          .withArgs(signer);
        await expect(f.registry.connect(f.relayer).issueSignedBy(request, f.key.address, forSecond))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
          .withArgs(f.key.address);
        // It is good on the registry it was made for, and that one's signature is no good here.
        await expect(f.second.connect(f.relayer).issueSigned(request, ...rvs(forSecond)))
          .to.emit(f.second, "CredentialAnchored")
          .withArgs(request.commitment, f.conference);
        expect((await f.registry.record(1, request.commitment)).issuedAt).to.equal(0);
      });

      it("refuses a request whose deadline has passed", async () => {
        const f = await loadFixture(deployRegistry);
        const deadline = (await now()) + 60n;
        const onTime = issueRequest({ eventId: f.conference, deadline });
        const late = issueRequest({ eventId: f.conference, deadline });
        const [onTimeSignature, lateSignature] = [await sign(f, onTime), await sign(f, late)];
        await time.setNextBlockTimestamp(deadline);
        await expect(f.registry.connect(f.relayer).issueSigned(onTime, ...rvs(onTimeSignature))).to.emit(
          f.registry,
          "CredentialAnchored",
        );
        await time.setNextBlockTimestamp(deadline + 1n);
        await expect(f.registry.connect(f.relayer).issueSigned(late, ...rvs(lateSignature)))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryExpiredRequest")
          .withArgs(deadline);
        await expect(f.registry.connect(f.relayer).issueSignedBy(late, f.key.address, lateSignature))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryExpiredRequest")
          .withArgs(deadline);
      });

      it("binds every field of the request", async () => {
        const f = await loadFixture(deployRegistry);
        const request = issueRequest({ eventId: f.conference, deadline: 2n ** 40n });
        const signature = await sign(f, request);
        const tampered: IssueRequest[] = [
          { ...request, commitment: randomCommitment() },
          { ...request, eventId: f.course },
          { ...request, validUntil: 2n ** 39n },
          { ...request, batchSize: 4 },
          { ...request, holder: hex(f.holder.address) },
          { ...request, deadline: request.deadline + 1n },
        ];
        for (const t of tampered) {
          const signer = recovered(f, t, signature);
          expect(signer).not.to.equal(f.key.address);
          await expect(f.registry.connect(f.relayer).issueSigned(t, ...rvs(signature)))
            .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnknownKey")
            .withArgs(signer);
        }
        await f.registry.connect(f.relayer).issueSigned(request, ...rvs(signature));
      });
    });

    describe("signature encoding", () => {
      it("refuses the high-s twin of a valid signature, which ecrecover alone would accept", async () => {
        const f = await loadFixture(deployRegistry);
        const request = issueRequest({ eventId: f.conference });
        const signature = await sign(f, request);
        const malleable = highS(signature);
        expect(malleable).not.to.equal(signature);
        expect(await ecrecover(await f.registry.hashIssueRequest(request), malleable)).to.equal(
          f.key.address,
        );
        // issueSignedBy takes any 65-byte form; OpenZeppelin's rules refuse the twin.
        await expect(f.registry.connect(f.relayer).issueSignedBy(request, f.key.address, malleable))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
          .withArgs(f.key.address);
        // issueSigned's compact form keeps the parity in the top bit, so a high s reaches it only as an s in
        // (n/2, 2^255): refused before ecrecover, which would accept it.
        const { r, s: low, yParity } = ethers.Signature.from(signature);
        const high = SECP256K1_N - BigInt(low);
        const halfN = SECP256K1_N / 2n;
        for (const s of [halfN + 1n, 2n ** 255n - 1n, ...(high < 2n ** 255n ? [high] : [])]) {
          const vs = ethers.toBeHex((BigInt(yParity === 0 ? 1 : 0) << 255n) | s, 32);
          await expect(f.registry.connect(f.relayer).issueSigned(request, r, vs))
            .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
            .withArgs(ethers.ZeroAddress);
        }
        await f.registry.connect(f.relayer).issueSigned(request, ...rvs(signature));
      });

      it("takes the 64-byte EIP-2098 compact form in issueSigned only; issueSignedBy refuses it", async () => {
        const f = await loadFixture(deployRegistry);
        const request = issueRequest({ eventId: f.conference });
        const signature = await sign(f, request);
        const short = compact(signature);
        expect(ethers.dataLength(short)).to.equal(64);
        expect(ethers.concat(rvs(signature))).to.equal(short);
        await expect(f.registry.connect(f.relayer).issueSignedBy(request, f.key.address, short))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
          .withArgs(f.key.address);
        await expect(f.registry.connect(f.relayer).issueSigned(request, ...rvs(signature))).to.emit(
          f.registry,
          "CredentialAnchored",
        );
      });

      it("refuses signatures of the wrong length or with an invalid v (issueSignedBy)", async () => {
        const f = await loadFixture(deployRegistry);
        const request = issueRequest({ eventId: f.conference });
        const signature = await sign(f, request);
        for (const bad of [
          "0x",
          ethers.dataSlice(signature, 0, 63),
          ethers.concat([signature, "0x00"]),
          withV(signature, 0),
          withV(signature, 29),
        ]) {
          await expect(f.registry.connect(f.relayer).issueSignedBy(request, f.key.address, bad))
            .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
            .withArgs(f.key.address);
        }
        await f.registry.connect(f.relayer).issueSignedBy(request, f.key.address, signature);
      });

      it("refuses a compact signature with the other parity or an unrecoverable r", async () => {
        const f = await loadFixture(deployRegistry);
        const request = issueRequest({ eventId: f.conference });
        const [r, vs] = rvs(await sign(f, request));
        const flipped = ethers.toBeHex(BigInt(vs) ^ (1n << 255n), 32);
        const digest = await f.registry.hashIssueRequest(request);
        const other = ethers.recoverAddress(digest, { r, yParityAndS: flipped });
        expect(other).not.to.equal(f.key.address);
        await expect(f.registry.connect(f.relayer).issueSigned(request, r, flipped))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnknownKey")
          .withArgs(other);
        await expect(f.registry.connect(f.relayer).issueSigned(request, ethers.ZeroHash, vs))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
          .withArgs(ethers.ZeroAddress);
        await f.registry.connect(f.relayer).issueSigned(request, r, vs);
      });

      it("hashes requests with dirty high bits to a digest no key signs, and refuses them even if signed", async () => {
        const f = await loadFixture(deployRegistry);
        const wallet = ethers.Wallet.createRandom();
        await authorise(f.registry, f.orgAdmin, 1, wallet, 0, 0);
        const request = issueRequest({ eventId: f.conference });
        const clean = f.registry.interface.encodeFunctionData("hashIssueRequest", [request]);
        // The eventId word starts 4 + 32 bytes in: set a bit above its 64 low bits.
        const bytes = ethers.getBytes(clean);
        bytes[4 + 32 + 20] = 0x01;
        const dirty = ethers.hexlify(bytes);
        const dirtyDigest = ethers.AbiCoder.defaultAbiCoder().decode(
          ["bytes32"],
          await ethers.provider.call({ to: f.address, data: dirty }),
        )[0] as string;
        expect(dirtyDigest).not.to.equal(await f.registry.hashIssueRequest(request));

        // A key that signs the raw dirty digest still cannot anchor it: the struct fails ABI validation.
        const signature = wallet.signingKey.sign(dirtyDigest).serialized;
        const call = ethers.concat([
          f.registry.interface.getFunction("issueSigned").selector,
          ethers.dataSlice(
            f.registry.interface.encodeFunctionData("issueSigned", [request, ...rvs(signature)]),
            4,
          ),
        ]);
        const callBytes = ethers.getBytes(call);
        callBytes[4 + 32 + 20] = 0x01;
        await expect(f.relayer.sendTransaction({ to: f.address, data: ethers.hexlify(callBytes) })).to.be
          .reverted;
        expect((await f.registry.record(1, request.commitment)).issuedAt).to.equal(0);
      });
    });

    describe("signer checks", () => {
      it("refuses a signer that is not a key", async () => {
        const f = await loadFixture(deployRegistry);
        const request = issueRequest({ eventId: f.conference });
        await expect(
          f.registry.connect(f.relayer).issueSigned(request, ...rvs(await sign(f, request, f.orgAdmin))),
        )
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnknownKey")
          .withArgs(f.orgAdmin.address);
      });

      it("refuses a key of another organisation on this organisation's event", async () => {
        const f = await loadFixture(deployRegistry);
        const request = issueRequest({ eventId: f.conference });
        await expect(
          f.registry.connect(f.relayer).issueSigned(request, ...rvs(await sign(f, request, f.otherKey))),
        )
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryWrongOrganisation")
          .withArgs(f.conference, 2);
      });

      it("refuses a key used before its window opens, after it closes and after its removal", async () => {
        const f = await loadFixture(deployRegistry);
        const wallet = ethers.Wallet.createRandom();
        const from = (await now()) + 100n;
        await authorise(f.registry, f.orgAdmin, 1, wallet, from, from + 100n);
        const early = issueRequest({ eventId: f.conference });
        await expect(f.registry.connect(f.relayer).issueSigned(early, ...rvs(await sign(f, early, wallet))))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryKeyNotAuthorised")
          .withArgs(wallet.address);
        await time.setNextBlockTimestamp(from);
        await f.registry.connect(f.relayer).issueSigned(early, ...rvs(await sign(f, early, wallet)));
        const late = issueRequest({ eventId: f.conference });
        await time.setNextBlockTimestamp(from + 100n);
        await expect(f.registry.connect(f.relayer).issueSigned(late, ...rvs(await sign(f, late, wallet))))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryKeyNotAuthorised")
          .withArgs(wallet.address);

        await f.registry.connect(f.orgAdmin).removeKey(f.key.address);
        const removed = issueRequest({ eventId: f.conference });
        await expect(f.registry.connect(f.relayer).issueSigned(removed, ...rvs(await sign(f, removed))))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryKeyNotAuthorised")
          .withArgs(f.key.address);
      });

      it("refuses a key of a suspended organisation, until it is reinstated", async () => {
        const f = await loadFixture(deployRegistry);
        const request = issueRequest({ eventId: f.conference });
        const signature = await sign(f, request);
        await f.registry.suspendOrganisation(1);
        await expect(f.registry.connect(f.relayer).issueSigned(request, ...rvs(signature)))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryOrganisationSuspended")
          .withArgs(1);
        await f.registry.reinstateOrganisation(1);
        await expect(f.registry.connect(f.relayer).issueSigned(request, ...rvs(signature))).to.emit(
          f.registry,
          "CredentialAnchored",
        );
      });

      it("refuses an event id with sequence 0, a zero commitment and a bad validUntil", async () => {
        const f = await loadFixture(deployRegistry);
        const seqZero = issueRequest({ eventId: eventIdOf(1, 0) });
        await expect(f.registry.connect(f.relayer).issueSigned(seqZero, ...rvs(await sign(f, seqZero))))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryWrongOrganisation")
          .withArgs(eventIdOf(1, 0), 1);
        const zero = issueRequest({ eventId: f.conference, commitment: ethers.ZeroHash as `0x${string}` });
        await expect(
          f.registry.connect(f.relayer).issueSigned(zero, ...rvs(await sign(f, zero))),
        ).to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidCommitment");
        const zeroWithHolder = { ...zero, holder: hex(f.holder.address) };
        await expect(
          f.registry.connect(f.relayer).issueSigned(zeroWithHolder, ...rvs(await sign(f, zeroWithHolder))),
        ).to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidCommitment");
        for (const validUntil of [BigInt(await time.latest()), MAX_UINT40 + 1n]) {
          const request = issueRequest({ eventId: f.conference, validUntil });
          await expect(f.registry.connect(f.relayer).issueSigned(request, ...rvs(await sign(f, request))))
            .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidValidity")
            .withArgs(validUntil);
        }
      });
    });
  });

  describe("issueSignedBy", () => {
    it("accepts a named EOA signer", async () => {
      const f = await loadFixture(deployRegistry);
      const request = issueRequest({ eventId: f.conference });
      await expect(
        f.registry.connect(f.relayer).issueSignedBy(request, f.key.address, await sign(f, request)),
      )
        .to.emit(f.registry, "CredentialAnchored")
        .withArgs(request.commitment, f.conference);
    });

    it("refuses a signature by someone other than the named signer", async () => {
      const f = await loadFixture(deployRegistry);
      const request = issueRequest({ eventId: f.conference });
      await expect(
        f.registry
          .connect(f.relayer)
          .issueSignedBy(request, f.key.address, await sign(f, request, f.otherKey)),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
        .withArgs(f.key.address);
    });

    it("applies the key checks to the named signer", async () => {
      const f = await loadFixture(deployRegistry);
      const request = issueRequest({ eventId: f.conference });
      await expect(
        f.registry
          .connect(f.relayer)
          .issueSignedBy(request, f.other.address, await sign(f, request, f.other)),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnknownKey")
        .withArgs(f.other.address);
      await expect(
        f.registry
          .connect(f.relayer)
          .issueSignedBy(request, f.otherKey.address, await sign(f, request, f.otherKey)),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryWrongOrganisation")
        .withArgs(f.conference, 2);
      const batchWithHolder = issueRequest({
        eventId: f.conference,
        batchSize: 2,
        holder: hex(f.holder.address),
      });
      await expect(
        f.registry
          .connect(f.relayer)
          .issueSignedBy(batchWithHolder, f.key.address, await sign(f, batchWithHolder)),
      ).to.be.revertedWithCustomError(f.registry, "IntygRegistryHolderOnBatch");
    });

    describe("ERC-1271 contract signer", () => {
      it("accepts a request signed by the wallet's owner, and mints to a holder", async () => {
        const f = await loadFixture(withWallet);
        const request = issueRequest({ eventId: f.conference });
        await expect(
          f.registry
            .connect(f.relayer)
            .issueSignedBy(request, f.walletAddress, await sign(f, request, f.other)),
        )
          .to.emit(f.registry, "CredentialAnchored")
          .withArgs(request.commitment, f.conference);
        const withToken = issueRequest({ eventId: f.conference, holder: hex(f.holder.address) });
        await expect(
          f.registry
            .connect(f.relayer)
            .issueSignedBy(withToken, f.walletAddress, await sign(f, withToken, f.other)),
        )
          .to.emit(f.soulbound, "Transfer")
          .withArgs(ethers.ZeroAddress, f.holder.address, tokenIdOf(1, withToken.commitment));
      });

      it("refuses a signature the wallet does not accept", async () => {
        const f = await loadFixture(withWallet);
        const request = issueRequest({ eventId: f.conference });
        // A valid signature of an authorised EOA key, but not of the wallet's owner.
        await expect(
          f.registry.connect(f.relayer).issueSignedBy(request, f.walletAddress, await sign(f, request)),
        )
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
          .withArgs(f.walletAddress);
        // The owner's signature made for another chain.
        const foreign = await signIssue(f.other, f.chainId + 1n, f.address, request);
        await expect(f.registry.connect(f.relayer).issueSignedBy(request, f.walletAddress, foreign))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
          .withArgs(f.walletAddress);
      });

      it("refuses the same request twice", async () => {
        const f = await loadFixture(withWallet);
        const request = issueRequest({ eventId: f.conference });
        const signature = await sign(f, request, f.other);
        await f.registry.connect(f.relayer).issueSignedBy(request, f.walletAddress, signature);
        await expect(f.registry.connect(f.relayer).issueSignedBy(request, f.walletAddress, signature))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryAlreadyAnchored")
          .withArgs(1n, request.commitment);
      });

      it("refuses a wallet that is not an authorised key, or on another organisation's event", async () => {
        const f = await loadFixture(withWallet);
        const stranger = await deployWallet(f.other.address);
        const strangerAddress = await stranger.getAddress();
        const request = issueRequest({ eventId: f.conference });
        await expect(
          f.registry
            .connect(f.relayer)
            .issueSignedBy(request, strangerAddress, await sign(f, request, f.other)),
        )
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnknownKey")
          .withArgs(strangerAddress);
        const foreignEvent = issueRequest({ eventId: f.otherEvent });
        await expect(
          f.registry
            .connect(f.relayer)
            .issueSignedBy(foreignEvent, f.walletAddress, await sign(f, foreignEvent, f.other)),
        )
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryWrongOrganisation")
          .withArgs(f.otherEvent, 1);
      });

      it("refuses a contract signer that does not implement ERC-1271", async () => {
        const f = await loadFixture(deployRegistry);
        const request = issueRequest({ eventId: f.conference });
        await expect(f.registry.connect(f.relayer).issueSignedBy(request, f.address, await sign(f, request)))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
          .withArgs(f.address);
      });
    });
  });

  describe("claimToken", () => {
    it("mints the token of a batch leaf to the holder of a signed voucher, relayed by anyone", async () => {
      const f = await loadFixture(withBatch);
      const { leaf, proof } = leafOf(f.tree, 3);
      const { request, signature } = await claimFor(f, f.root, leaf, f.holder.address);
      expect(await f.registry.isBatchMember(1, f.root, leaf, proof)).to.equal(true);
      await expect(f.registry.connect(f.relayer).claimToken(request, proof, f.key.address, signature))
        .to.emit(f.soulbound, "Transfer")
        .withArgs(ethers.ZeroAddress, f.holder.address, tokenIdOf(1, leaf))
        .and.to.emit(f.soulbound, "Locked")
        .withArgs(tokenIdOf(1, leaf));
      expect(await f.soulbound.ownerOf(tokenIdOf(1, leaf))).to.equal(f.holder.address);
      expect(await f.soulbound.locked(tokenIdOf(1, leaf))).to.equal(true);
    });

    it("accepts a voucher signed through an ERC-1271 key", async () => {
      const f = await loadFixture(withWallet);
      const tree = batchTree(4);
      await f.registry.connect(f.key).anchorBatch(tree.root, f.conference, 0, 4);
      const { leaf, proof } = leafOf(tree, 0);
      const { request, signature } = await claimFor(f, hex(tree.root), leaf, f.holder.address, f.other);
      await expect(f.registry.connect(f.relayer).claimToken(request, proof, f.walletAddress, signature))
        .to.emit(f.soulbound, "Transfer")
        .withArgs(ethers.ZeroAddress, f.holder.address, tokenIdOf(1, leaf));
    });

    it("mints each leaf once", async () => {
      const f = await loadFixture(withBatch);
      const { leaf, proof } = leafOf(f.tree, 1);
      const first = await claimFor(f, f.root, leaf, f.holder.address);
      await f.registry.connect(f.relayer).claimToken(first.request, proof, f.key.address, first.signature);
      await expect(
        f.registry.connect(f.relayer).claimToken(first.request, proof, f.key.address, first.signature),
      )
        .to.be.revertedWithCustomError(f.soulbound, "ERC721InvalidSender")
        .withArgs(ethers.ZeroAddress);
      const second = await claimFor(f, f.root, leaf, f.other.address);
      await expect(
        f.registry.connect(f.relayer).claimToken(second.request, proof, f.key.address, second.signature),
      )
        .to.be.revertedWithCustomError(f.soulbound, "ERC721InvalidSender")
        .withArgs(ethers.ZeroAddress);
      expect(await f.soulbound.ownerOf(tokenIdOf(1, leaf))).to.equal(f.holder.address);
    });

    it("refuses a proof that does not lead from the leaf to the root", async () => {
      const f = await loadFixture(withBatch);
      const { leaf } = leafOf(f.tree, 2);
      const { proof: otherProof } = leafOf(f.tree, 5);
      const { request, signature } = await claimFor(f, f.root, leaf, f.holder.address);
      for (const proof of [otherProof, [], [ethers.ZeroHash]]) {
        expect(await f.registry.isBatchMember(1, f.root, leaf, proof)).to.equal(false);
        await expect(f.registry.connect(f.relayer).claimToken(request, proof, f.key.address, signature))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidProof")
          .withArgs(f.root, leaf);
      }
      const stranger = randomCommitment();
      const voucher = await claimFor(f, f.root, stranger, f.holder.address);
      await expect(
        f.registry
          .connect(f.relayer)
          .claimToken(voucher.request, leafOf(f.tree, 0).proof, f.key.address, voucher.signature),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidProof")
        .withArgs(f.root, stranger);
    });

    it("refuses a root that is not anchored or is a single credential", async () => {
      const f = await loadFixture(withBatch);
      const loose = batchTree(4, "loose");
      const { leaf, proof } = leafOf(loose, 0);
      const unanchored = await claimFor(f, hex(loose.root), leaf, f.holder.address);
      await expect(
        f.registry
          .connect(f.relayer)
          .claimToken(unanchored.request, proof, f.key.address, unanchored.signature),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryNotAnchored")
        .withArgs(1n, loose.root);
      await f.registry.connect(f.key).issue(loose.root, f.conference, 0);
      await expect(
        f.registry
          .connect(f.relayer)
          .claimToken(unanchored.request, proof, f.key.address, unanchored.signature),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryNotABatch")
        .withArgs(loose.root);
    });

    it("refuses a leaf of a revoked batch", async () => {
      const f = await loadFixture(withBatch);
      const { leaf, proof } = leafOf(f.tree, 0);
      const { request, signature } = await claimFor(f, f.root, leaf, f.holder.address);
      await f.registry.connect(f.key).revoke(1, f.root, 1);
      await expect(f.registry.connect(f.relayer).claimToken(request, proof, f.key.address, signature))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryAlreadyRevoked")
        .withArgs(leaf);
    });

    it("refuses a revoked or superseded leaf, and still mints its siblings", async () => {
      const f = await loadFixture(withBatch);
      const revoked = leafOf(f.tree, 0);
      const superseded = leafOf(f.tree, 1);
      const sibling = leafOf(f.tree, 2);
      await f.registry.connect(f.key).revokeLeaf(1, f.root, revoked.leaf, 3);
      const replacement = randomCommitment();
      await f.registry.connect(f.key).issue(replacement, f.conference, 0);
      await f.registry.connect(f.key).supersede(1, f.root, superseded.leaf, replacement);
      for (const { leaf, proof } of [revoked, superseded]) {
        const { request, signature } = await claimFor(f, f.root, leaf, f.holder.address);
        await expect(f.registry.connect(f.relayer).claimToken(request, proof, f.key.address, signature))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryAlreadyRevoked")
          .withArgs(leaf);
      }
      const { request, signature } = await claimFor(f, f.root, sibling.leaf, f.holder.address);
      await expect(
        f.registry.connect(f.relayer).claimToken(request, sibling.proof, f.key.address, signature),
      ).to.emit(f.soulbound, "Locked");
    });

    it("refuses a leaf of a batch whose validity has ended", async () => {
      const f = await loadFixture(deployRegistry);
      const tree = batchTree(4);
      const validUntil = (await now()) + 1000n;
      await f.registry.connect(f.key).anchorBatch(tree.root, f.conference, validUntil, 4);
      const before = leafOf(tree, 0);
      const after = leafOf(tree, 1);
      const early = await claimFor(f, hex(tree.root), before.leaf, f.holder.address);
      const late = await claimFor(f, hex(tree.root), after.leaf, f.holder.address);
      await time.setNextBlockTimestamp(validUntil - 1n);
      await expect(
        f.registry.connect(f.relayer).claimToken(early.request, before.proof, f.key.address, early.signature),
      ).to.emit(f.soulbound, "Locked");
      await time.setNextBlockTimestamp(validUntil);
      await expect(
        f.registry.connect(f.relayer).claimToken(late.request, after.proof, f.key.address, late.signature),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidValidity")
        .withArgs(validUntil);
    });

    it("refuses a voucher whose deadline has passed", async () => {
      const f = await loadFixture(withBatch);
      const deadline = (await now()) + 60n;
      const a = leafOf(f.tree, 0);
      const b = leafOf(f.tree, 1);
      const onTime = await claimFor(f, f.root, a.leaf, f.holder.address, f.key, { deadline });
      const late = await claimFor(f, f.root, b.leaf, f.holder.address, f.key, { deadline });
      await time.setNextBlockTimestamp(deadline);
      await f.registry
        .connect(f.relayer)
        .claimToken(onTime.request, a.proof, f.key.address, onTime.signature);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(
        f.registry.connect(f.relayer).claimToken(late.request, b.proof, f.key.address, late.signature),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryExpiredRequest")
        .withArgs(deadline);
    });

    it("refuses a voucher not signed by the named signer, or tampered with", async () => {
      const f = await loadFixture(withBatch);
      const { leaf, proof } = leafOf(f.tree, 4);
      const byOther = await claimFor(f, f.root, leaf, f.holder.address, f.other);
      await expect(
        f.registry.connect(f.relayer).claimToken(byOther.request, proof, f.key.address, byOther.signature),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
        .withArgs(f.key.address);
      const genuine = await claimFor(f, f.root, leaf, f.holder.address);
      const redirected = { ...genuine.request, holder: hex(f.other.address) };
      await expect(
        f.registry.connect(f.relayer).claimToken(redirected, proof, f.key.address, genuine.signature),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
        .withArgs(f.key.address);
      for (const mangled of [highS(genuine.signature), compact(genuine.signature)]) {
        await expect(f.registry.connect(f.relayer).claimToken(genuine.request, proof, f.key.address, mangled))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
          .withArgs(f.key.address);
      }
      await f.registry
        .connect(f.relayer)
        .claimToken(genuine.request, proof, f.key.address, genuine.signature);
    });

    it("refuses a voucher made for another registry or chain", async () => {
      const f = await loadFixture(deployTwoRegistries);
      const tree = batchTree(4);
      await f.registry.connect(f.key).anchorBatch(tree.root, f.conference, 0, 4);
      await f.second.connect(f.key).anchorBatch(tree.root, f.conference, 0, 4);
      const { leaf, proof } = leafOf(tree, 0);
      const request = claimRequest({ root: hex(tree.root), leaf, holder: hex(f.holder.address) });
      for (const signature of [
        await signClaim(f.key, f.chainId, f.secondAddress, request),
        await signClaim(f.key, f.chainId + 1n, f.address, request),
      ]) {
        await expect(f.registry.connect(f.relayer).claimToken(request, proof, f.key.address, signature))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidSignature")
          .withArgs(f.key.address);
      }
      const forSecond = await signClaim(f.key, f.chainId, f.secondAddress, request);
      await expect(f.second.connect(f.relayer).claimToken(request, proof, f.key.address, forSecond)).not.to.be
        .reverted;
    });

    it("requires a signer that is a key of the batch's organisation, valid now", async () => {
      const f = await loadFixture(withBatch);
      const { leaf, proof } = leafOf(f.tree, 6);
      const byOtherKey = await claimFor(f, f.root, leaf, f.holder.address, f.otherKey);
      await expect(
        f.registry
          .connect(f.relayer)
          .claimToken(byOtherKey.request, proof, f.otherKey.address, byOtherKey.signature),
      )
        // The signer's organisation is the namespace: organisation 2 has no such batch.
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryNotAnchored")
        .withArgs(2n, f.root);
      const byOutsider = await claimFor(f, f.root, leaf, f.holder.address, f.other);
      await expect(
        f.registry
          .connect(f.relayer)
          .claimToken(byOutsider.request, proof, f.other.address, byOutsider.signature),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnknownKey")
        .withArgs(f.other.address);

      const genuine = await claimFor(f, f.root, leaf, f.holder.address);
      await f.registry.suspendOrganisation(1);
      await expect(
        f.registry.connect(f.relayer).claimToken(genuine.request, proof, f.key.address, genuine.signature),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryOrganisationSuspended")
        .withArgs(1);
      await f.registry.reinstateOrganisation(1);
      await f.registry.connect(f.orgAdmin).removeKey(f.key.address);
      await expect(
        f.registry.connect(f.relayer).claimToken(genuine.request, proof, f.key.address, genuine.signature),
      )
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryKeyNotAuthorised")
        .withArgs(f.key.address);
    });

    it("refuses the zero address as holder", async () => {
      const f = await loadFixture(withBatch);
      const { leaf, proof } = leafOf(f.tree, 7);
      const { request, signature } = await claimFor(f, f.root, leaf, ethers.ZeroAddress);
      await expect(f.registry.connect(f.relayer).claimToken(request, proof, f.key.address, signature))
        .to.be.revertedWithCustomError(f.soulbound, "ERC721InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("isBatchMember", () => {
    it("checks every leaf of an anchored batch against its proof", async () => {
      const f = await loadFixture(withBatch);
      for (let i = 0; i < 8; i++) {
        const { leaf, proof } = leafOf(f.tree, i);
        expect(await f.registry.isBatchMember(1, f.root, leaf, proof)).to.equal(true);
        expect(await f.registry.isBatchMember(1, f.root, leaf, leafOf(f.tree, (i + 1) % 8).proof)).to.equal(
          false,
        );
      }
      // Raw values are not leaves: StandardMerkleTree hashes them twice.
      const [value] = f.tree.at(0)!;
      expect(await f.registry.isBatchMember(1, f.root, value, leafOf(f.tree, 0).proof)).to.equal(false);
    });

    it("is false for a root that is not anchored or is a single credential", async () => {
      const f = await loadFixture(deployRegistry);
      const tree = batchTree(2);
      const { leaf, proof } = leafOf(tree, 0);
      expect(await f.registry.isBatchMember(1, tree.root, leaf, proof)).to.equal(false);
      await f.registry.connect(f.key).issue(tree.root, f.conference, 0);
      expect(await f.registry.isBatchMember(1, tree.root, leaf, proof)).to.equal(false);
      // A single commitment with an empty proof would verify as its own one-leaf tree.
      const single = randomCommitment();
      await f.registry.connect(f.key).issue(single, f.conference, 0);
      expect(await f.registry.isBatchMember(1, single, single, [])).to.equal(false);
    });
  });

  describe("revoke", () => {
    it("lets a key revoke with a reason code, keeping the rest of the record", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      const c = randomCommitment();
      const validUntil = (await now()) + 5000n;
      await registry.connect(key).issue(c, conference, validUntil);
      const before = await recordOf(registry, c);
      await expect(registry.connect(key).revoke(1, c, 7))
        .to.emit(registry, "CredentialRevoked")
        .withArgs(c);
      expect(await recordOf(registry, c)).to.deep.equal({
        ...before,
        revokedAt: BigInt(await time.latest()),
        revocationReason: 7n,
      });
    });

    it("revokes a whole batch by its root", async () => {
      const f = await loadFixture(withBatch);
      await expect(f.registry.connect(f.key).revoke(1, f.root, 255))
        .to.emit(f.registry, "CredentialRevoked")
        .withArgs(f.root);
      expect(await recordOf(f.registry, f.root)).to.include({ revocationReason: 255n, batchSize: 8n });
      await expect(f.registry.connect(f.key).revokeLeaf(1, f.root, leafOf(f.tree, 0).leaf, 1))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryAlreadyRevoked")
        .withArgs(f.root);
    });

    it("lets the admin revoke, even while the organisation is suspended and its keys are not", async () => {
      const { registry, key, orgAdmin, conference } = await loadFixture(deployRegistry);
      const [a, b] = [randomCommitment(), randomCommitment()];
      await registry.connect(key).issue(a, conference, 0);
      await registry.connect(key).issue(b, conference, 0);
      await expect(registry.connect(orgAdmin).revoke(1, a, 1))
        .to.emit(registry, "CredentialRevoked")
        .withArgs(a);
      await registry.suspendOrganisation(1);
      await expect(registry.connect(key).revoke(1, b, 1))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(key.address);
      await expect(registry.connect(orgAdmin).revoke(1, b, 4))
        .to.emit(registry, "CredentialRevoked")
        .withArgs(b);
      expect((await registry.record(1, b)).revocationReason).to.equal(4);
    });

    it("refuses another organisation, governance, outsiders and keys outside their window", async () => {
      const { registry, key, orgAdmin, otherKey, otherAdmin, governor, other, conference } =
        await loadFixture(deployRegistry);
      const c = randomCommitment();
      await registry.connect(key).issue(c, conference, 0);
      const future = (await ethers.getSigners())[8]!;
      await authorise(registry, orgAdmin, 1, future, (await now()) + 1000n, 0);
      for (const account of [otherKey, otherAdmin, governor, other, future]) {
        await expect(registry.connect(account).revoke(1, c, 1))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
          .withArgs(account.address);
      }
      await registry.connect(orgAdmin).removeKey(key.address);
      await expect(registry.connect(key).revoke(1, c, 1))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(key.address);
      expect((await registry.record(1, c)).revokedAt).to.equal(0);
    });

    it("lets a former admin no longer revoke, and the new one do so", async () => {
      const { registry, key, orgAdmin, other, conference } = await loadFixture(deployRegistry);
      const c = randomCommitment();
      await registry.connect(key).issue(c, conference, 0);
      await registry.connect(orgAdmin).changeOrganisationAdmin(1, other.address);
      await expect(registry.connect(orgAdmin).revoke(1, c, 1))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(orgAdmin.address);
      await expect(registry.connect(other).revoke(1, c, 1)).to.emit(registry, "CredentialRevoked");
    });

    it("refuses to revoke twice, with reason 0, or what is not anchored", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      const c = randomCommitment();
      await registry.connect(key).issue(c, conference, 0);
      await expect(registry.connect(key).revoke(1, c, 0)).to.be.revertedWithCustomError(
        registry,
        "IntygRegistryInvalidReason",
      );
      await registry.connect(key).revoke(1, c, 1);
      const revokedAt = (await registry.record(1, c)).revokedAt;
      await expect(registry.connect(key).revoke(1, c, 2))
        .to.be.revertedWithCustomError(registry, "IntygRegistryAlreadyRevoked")
        .withArgs(c);
      expect(await recordOf(registry, c)).to.include({ revokedAt, revocationReason: 1n });
      const unknown = randomCommitment();
      await expect(registry.connect(key).revoke(1, unknown, 1))
        .to.be.revertedWithCustomError(registry, "IntygRegistryNotAnchored")
        .withArgs(1n, unknown);
    });
  });

  describe("revokeLeaf", () => {
    it("revokes one leaf of a batch with a reason code, leaving the batch and its other leaves", async () => {
      const f = await loadFixture(withBatch);
      const { leaf } = leafOf(f.tree, 2);
      const before = await recordOf(f.registry, f.root);
      await expect(f.registry.connect(f.key).revokeLeaf(1, f.root, leaf, 255))
        .to.emit(f.registry, "BatchLeafRevoked")
        .withArgs(f.root, 1n, leaf);
      const revocation = await f.registry.leafRevocation(1, f.root, leaf);
      expect([revocation.revokedAt, revocation.reason]).to.deep.equal([BigInt(await time.latest()), 255n]);
      expect(await recordOf(f.registry, f.root)).to.deep.equal(before);
      const sibling = await f.registry.leafRevocation(1, f.root, leafOf(f.tree, 3).leaf);
      expect([sibling.revokedAt, sibling.reason]).to.deep.equal([0n, 0n]);
      // The same leaf value under another root is another credential.
      const otherRoot = await f.registry.leafRevocation(1, randomCommitment(), leaf);
      expect(otherRoot.revokedAt).to.equal(0);
    });

    it("lets the admin revoke a leaf while suspended, and not another organisation", async () => {
      const f = await loadFixture(withBatch);
      const { leaf } = leafOf(f.tree, 1);
      for (const account of [f.otherKey, f.otherAdmin, f.other]) {
        await expect(f.registry.connect(account).revokeLeaf(1, f.root, leaf, 1))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnauthorised")
          .withArgs(account.address);
      }
      await f.registry.suspendOrganisation(1);
      await expect(f.registry.connect(f.key).revokeLeaf(1, f.root, leaf, 1))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnauthorised")
        .withArgs(f.key.address);
      await expect(f.registry.connect(f.orgAdmin).revokeLeaf(1, f.root, leaf, 1))
        .to.emit(f.registry, "BatchLeafRevoked")
        .withArgs(f.root, 1n, leaf);
    });

    it("refuses a leaf twice, reason 0, a zero leaf, a single credential and a root not anchored", async () => {
      const f = await loadFixture(withBatch);
      const { leaf } = leafOf(f.tree, 5);
      await expect(f.registry.connect(f.key).revokeLeaf(1, f.root, leaf, 0)).to.be.revertedWithCustomError(
        f.registry,
        "IntygRegistryInvalidReason",
      );
      await f.registry.connect(f.key).revokeLeaf(1, f.root, leaf, 1);
      await expect(f.registry.connect(f.key).revokeLeaf(1, f.root, leaf, 2))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryAlreadyRevoked")
        .withArgs(leaf);
      expect((await f.registry.leafRevocation(1, f.root, leaf)).reason).to.equal(1);
      await expect(
        f.registry.connect(f.key).revokeLeaf(1, f.root, ethers.ZeroHash, 1),
      ).to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidLeaf");
      const single = randomCommitment();
      await f.registry.connect(f.key).issue(single, f.conference, 0);
      await expect(f.registry.connect(f.key).revokeLeaf(1, single, leaf, 1))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryNotABatch")
        .withArgs(single);
      const unknown = randomCommitment();
      await expect(f.registry.connect(f.key).revokeLeaf(1, unknown, leaf, 1))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryNotAnchored")
        .withArgs(1n, unknown);
    });
  });

  describe("supersede", () => {
    it("revokes a single credential as superseded and links it to its replacement", async () => {
      const { registry, key, conference, course } = await loadFixture(deployRegistry);
      const [old, replacement] = [randomCommitment(), randomCommitment()];
      await registry.connect(key).issue(old, conference, 0);
      await registry.connect(key).issue(replacement, course, 0);
      expect(await registry.supersededBy(1, old, ethers.ZeroHash)).to.equal(ethers.ZeroHash);
      expect(await registry.REASON_SUPERSEDED()).to.equal(REASON_SUPERSEDED);
      await expect(registry.connect(key).supersede(1, old, ethers.ZeroHash, replacement))
        .to.emit(registry, "CredentialRevoked")
        .withArgs(old)
        .and.to.emit(registry, "CredentialSuperseded")
        .withArgs(1n, old, ethers.ZeroHash, replacement);
      expect(await recordOf(registry, old)).to.include({
        revokedAt: BigInt(await time.latest()),
        revocationReason: REASON_SUPERSEDED,
      });
      expect(await registry.supersededBy(1, old, ethers.ZeroHash)).to.equal(replacement);
      expect((await registry.record(1, replacement)).revokedAt).to.equal(0);
    });

    it("revokes a leaf as superseded and links it to its replacement", async () => {
      const f = await loadFixture(withBatch);
      const { leaf } = leafOf(f.tree, 4);
      const replacement = randomCommitment();
      await f.registry.connect(f.key).issue(replacement, f.conference, 0);
      await expect(f.registry.connect(f.key).supersede(1, f.root, leaf, replacement))
        .to.emit(f.registry, "BatchLeafRevoked")
        .withArgs(f.root, 1n, leaf)
        .and.to.emit(f.registry, "CredentialSuperseded")
        .withArgs(1n, f.root, leaf, replacement);
      const revocation = await f.registry.leafRevocation(1, f.root, leaf);
      expect([revocation.revokedAt, revocation.reason]).to.deep.equal([
        BigInt(await time.latest()),
        REASON_SUPERSEDED,
      ]);
      expect(await f.registry.supersededBy(1, f.root, leaf)).to.equal(replacement);
      expect(await f.registry.supersededBy(1, f.root, ethers.ZeroHash)).to.equal(ethers.ZeroHash);
      expect((await f.registry.record(1, f.root)).revokedAt).to.equal(0);
    });

    it("accepts a batch root as the replacement, and chains replacements", async () => {
      const f = await loadFixture(withBatch);
      const [first, second] = [randomCommitment(), randomCommitment()];
      await f.registry.connect(f.key).issue(first, f.conference, 0);
      await f.registry.connect(f.key).supersede(1, first, ethers.ZeroHash, f.root);
      await f.registry.connect(f.key).anchorBatch(second, f.conference, 0, 2);
      await f.registry.connect(f.key).supersede(1, f.root, ethers.ZeroHash, second);
      expect(await f.registry.supersededBy(1, first, ethers.ZeroHash)).to.equal(f.root);
      expect(await f.registry.supersededBy(1, f.root, ethers.ZeroHash)).to.equal(second);
    });

    it("refuses a replacement of another organisation", async () => {
      const f = await loadFixture(withBatch);
      const [old, foreign] = [randomCommitment(), randomCommitment()];
      await f.registry.connect(f.key).issue(old, f.conference, 0);
      await f.registry.connect(f.otherKey).issue(foreign, f.otherEvent, 0);
      // Organisation 1's namespace has no such commitment: the replacement must be its own.
      await expect(f.registry.connect(f.key).supersede(1, old, ethers.ZeroHash, foreign))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryNotAnchored")
        .withArgs(1n, foreign);
      await expect(f.registry.connect(f.key).supersede(1, f.root, leafOf(f.tree, 0).leaf, foreign))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryNotAnchored")
        .withArgs(1n, foreign);
      expect((await f.registry.record(1, old)).revokedAt).to.equal(0);
      expect(await f.registry.supersededBy(1, old, ethers.ZeroHash)).to.equal(ethers.ZeroHash);
    });

    it("refuses a replacement that is not anchored", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      const [old, missing] = [randomCommitment(), randomCommitment()];
      await registry.connect(key).issue(old, conference, 0);
      await expect(registry.connect(key).supersede(1, old, ethers.ZeroHash, missing))
        .to.be.revertedWithCustomError(registry, "IntygRegistryNotAnchored")
        .withArgs(1n, missing);
    });

    it("refuses a replacement that is revoked, or the credential itself", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      const [a, b, c] = [randomCommitment(), randomCommitment(), randomCommitment()];
      for (const x of [a, b, c]) await registry.connect(key).issue(x, conference, 0);
      await expect(registry.connect(key).supersede(1, a, ethers.ZeroHash, a))
        .to.be.revertedWithCustomError(registry, "IntygRegistryAlreadyRevoked")
        .withArgs(a);
      await registry.connect(key).revoke(1, c, 1);
      await expect(registry.connect(key).supersede(1, a, ethers.ZeroHash, c))
        .to.be.revertedWithCustomError(registry, "IntygRegistryAlreadyRevoked")
        .withArgs(c);
      // No cycle: once a is superseded by b, b cannot be superseded by a.
      await registry.connect(key).supersede(1, a, ethers.ZeroHash, b);
      await expect(registry.connect(key).supersede(1, b, ethers.ZeroHash, a))
        .to.be.revertedWithCustomError(registry, "IntygRegistryAlreadyRevoked")
        .withArgs(a);
      expect(await registry.supersededBy(1, b, ethers.ZeroHash)).to.equal(ethers.ZeroHash);
    });

    it("refuses what is already revoked, and callers that may not revoke", async () => {
      const f = await loadFixture(withBatch);
      const [old, replacement] = [randomCommitment(), randomCommitment()];
      await f.registry.connect(f.key).issue(old, f.conference, 0);
      await f.registry.connect(f.key).issue(replacement, f.conference, 0);
      for (const account of [f.otherKey, f.other]) {
        await expect(f.registry.connect(account).supersede(1, old, ethers.ZeroHash, replacement))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnauthorised")
          .withArgs(account.address);
      }
      await f.registry.connect(f.orgAdmin).revoke(1, old, 1);
      await expect(f.registry.connect(f.key).supersede(1, old, ethers.ZeroHash, replacement))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryAlreadyRevoked")
        .withArgs(old);
      const { leaf } = leafOf(f.tree, 0);
      await f.registry.connect(f.key).revokeLeaf(1, f.root, leaf, 1);
      await expect(f.registry.connect(f.key).supersede(1, f.root, leaf, replacement))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryAlreadyRevoked")
        .withArgs(leaf);
    });

    it("lets the admin supersede while the organisation is suspended", async () => {
      const { registry, key, orgAdmin, conference } = await loadFixture(deployRegistry);
      const [old, replacement] = [randomCommitment(), randomCommitment()];
      await registry.connect(key).issue(old, conference, 0);
      await registry.connect(key).issue(replacement, conference, 0);
      await registry.suspendOrganisation(1);
      await expect(registry.connect(orgAdmin).supersede(1, old, ethers.ZeroHash, replacement))
        .to.emit(registry, "CredentialSuperseded")
        .withArgs(1n, old, ethers.ZeroHash, replacement);
    });
  });

  describe("views", () => {
    it("returns empty records for what was never anchored or revoked", async () => {
      const { registry } = await loadFixture(deployRegistry);
      const unknown = randomCommitment();
      expect(await recordOf(registry, unknown)).to.deep.equal({
        eventId: 0n,
        issuedAt: 0n,
        validUntil: 0n,
        revokedAt: 0n,
        revocationReason: 0n,
        batchSize: 0n,
      });
      const leaf = await registry.leafRevocation(1, unknown, randomCommitment());
      expect([leaf.revokedAt, leaf.reason]).to.deep.equal([0n, 0n]);
      expect(await registry.supersededBy(1, unknown, randomCommitment())).to.equal(ethers.ZeroHash);
    });

    it("hashes an issue request as ethers' TypedDataEncoder does with the shared types", async () => {
      const f = await loadFixture(deployRegistry);
      const requests: IssueRequest[] = [
        issueRequest({ eventId: f.conference }),
        issueRequest({
          eventId: f.course,
          validUntil: 123_456n,
          batchSize: 17,
          holder: hex(f.holder.address),
        }),
        {
          commitment: `0x${"ff".repeat(32)}`,
          eventId: MAX_UINT64,
          validUntil: MAX_UINT64,
          batchSize: Number(MAX_UINT32),
          holder: "0xffffffffffffffffffffffffffffffffffffffff",
          deadline: MAX_UINT64,
        },
      ];
      for (const request of requests) {
        expect(await f.registry.hashIssueRequest(request)).to.equal(
          ethers.TypedDataEncoder.hash(intygDomain(f.chainId, f.address), ISSUE_TYPES, request),
        );
      }
    });

    it("hashes a claim request as ethers' TypedDataEncoder does with the shared types", async () => {
      const f = await loadFixture(deployRegistry);
      const requests: ClaimRequest[] = [
        claimRequest({ root: randomCommitment(), leaf: randomCommitment() }),
        claimRequest({
          root: randomCommitment(),
          leaf: randomCommitment(),
          holder: hex(f.holder.address),
          deadline: 1n,
        }),
      ];
      for (const request of requests) {
        expect(await f.registry.hashClaimRequest(request)).to.equal(
          ethers.TypedDataEncoder.hash(intygDomain(f.chainId, f.address), CLAIM_TYPES, request),
        );
      }
    });

    it("hashes under its own address: two registries give two digests", async () => {
      const f = await loadFixture(deployTwoRegistries);
      const request = issueRequest({ eventId: f.conference });
      const [a, b] = [await f.registry.hashIssueRequest(request), await f.second.hashIssueRequest(request)];
      expect(a).not.to.equal(b);
      expect(b).to.equal(
        ethers.TypedDataEncoder.hash(intygDomain(f.chainId, f.secondAddress), ISSUE_TYPES, request),
      );
    });
  });
});
