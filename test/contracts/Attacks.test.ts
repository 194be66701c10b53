// The attacks of one organisation (or of governance) on another, tried as an attacker would. Each of these
// succeeded on the first registry, where records and token ids shared one namespace, keys needed no consent,
// an admin changed its profile alone, governance could take an organisation over and any key could revoke
// anything of its organisation.

import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers, network } from "hardhat";
import type { IntygRegistry, IntygSoulbound } from "../../typechain-types";
import {
  authorise,
  batchTree,
  claimRequest,
  deployRegistry,
  freshOrgNumber,
  issueRequest,
  leafOf,
  orgNumberHash,
  randomCommitment,
  randomKey,
  recordOf,
  rvs,
  signClaim,
  signConsent,
  signIssue,
  tokenIdOf,
} from "./fixtures";

const GOVERNOR_ROLE = ethers.id("GOVERNOR_ROLE");
const THREE_DAYS = 3 * 24 * 3600;

describe("Attacks across organisations and by governance", () => {
  describe("front-running (automine off)", () => {
    afterEach(async () => {
      await network.provider.send("evm_setAutomine", [true]);
    });

    it("B anchoring A's pending batch root first takes nothing from A", async () => {
      const f = await loadFixture(deployRegistry);
      const root = batchTree(4).root;
      await network.provider.send("evm_setAutomine", [false]);
      // A's transaction is in the mempool; B copies the root under its own event with a higher fee.
      const fromA = await f.registry
        .connect(f.key)
        .anchorBatch(root, f.conference, 0, 4, { gasPrice: ethers.parseUnits("2", "gwei") });
      const fromB = await f.registry
        .connect(f.otherKey)
        .anchorBatch(root, f.otherEvent, 0, 4, { gasPrice: ethers.parseUnits("20", "gwei") });
      await mine();
      await network.provider.send("evm_setAutomine", [true]);
      const [receiptA, receiptB] = await Promise.all([fromA.wait(), fromB.wait()]);
      expect(receiptB!.index).to.be.lessThan(receiptA!.index);
      expect(receiptA!.status).to.equal(1);
      // Each record sits in its own organisation's namespace and says who anchored it.
      expect((await recordOf(f.registry, root, 1)).eventId).to.equal(f.conference);
      expect((await recordOf(f.registry, root, 1)).batchSize).to.equal(4n);
      expect((await recordOf(f.registry, root, 2)).eventId).to.equal(f.otherEvent);
      // A can still revoke its own record; B's copy is B's, and B cannot touch A's.
      await expect(f.registry.connect(f.otherKey).revoke(1, root, 1))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnauthorised")
        .withArgs(f.otherKey.address);
      await expect(f.registry.connect(f.key).revoke(1, root, 1)).to.emit(f.registry, "CredentialRevoked");
    });

    it("B anchoring A's pending signed single credential first takes nothing from A", async () => {
      const f = await loadFixture(deployRegistry);
      const request = issueRequest({ eventId: f.conference });
      const signature = await signIssue(f.key, f.chainId, f.address, request);
      await network.provider.send("evm_setAutomine", [false]);
      const fromA = await f.registry
        .connect(f.relayer)
        .issueSigned(request, ...rvs(signature), { gasPrice: ethers.parseUnits("2", "gwei") });
      const fromB = await f.registry
        .connect(f.otherKey)
        .issue(request.commitment, f.otherEvent, 0, { gasPrice: ethers.parseUnits("20", "gwei") });
      await mine();
      await network.provider.send("evm_setAutomine", [true]);
      expect((await fromA.wait())!.status).to.equal(1);
      expect((await fromB.wait())!.status).to.equal(1);
      expect((await recordOf(f.registry, request.commitment, 1)).eventId).to.equal(f.conference);
      expect((await recordOf(f.registry, request.commitment, 2)).eventId).to.equal(f.otherEvent);
    });
  });

  describe("token ids", () => {
    it("B cannot pre-claim the token id of A's future commitment", async () => {
      const f = await loadFixture(deployRegistry);
      const { registry, soulbound } = f as { registry: IntygRegistry; soulbound: IntygSoulbound };
      const request = issueRequest({ eventId: f.conference, holder: f.holder.address as `0x${string}` });
      // B anchors a one-leaf batch whose leaf is A's commitment and claims that leaf's token.
      const leaf = request.commitment;
      await registry.connect(f.otherKey).anchorBatch(leaf, f.otherEvent, 0, 1);
      const claim = claimRequest({ root: leaf, leaf, holder: f.other.address as `0x${string}` });
      await registry
        .connect(f.other)
        .claimToken(claim, [], f.otherKey.address, await signClaim(f.otherKey, f.chainId, f.address, claim));
      expect(await soulbound.ownerOf(tokenIdOf(2, leaf))).to.equal(f.other.address);
      // A's issuance with a holder still succeeds, and A's token is A's.
      await expect(
        registry
          .connect(f.relayer)
          .issueSigned(request, ...rvs(await signIssue(f.key, f.chainId, f.address, request))),
      )
        .to.emit(soulbound, "Transfer")
        .withArgs(ethers.ZeroAddress, f.holder.address, tokenIdOf(1, leaf));
      expect(await registry.tokenIdOf(1, leaf)).to.equal(tokenIdOf(1, leaf));
      expect(tokenIdOf(1, leaf)).not.to.equal(tokenIdOf(2, leaf));
    });
  });

  describe("key squatting", () => {
    it("B cannot register A's key: authorisation needs the key's consent to B's organisation", async () => {
      const f = await loadFixture(deployRegistry);
      const aKey = randomKey();
      // No consent at all, a consent B made itself, and A's key's consent to organisation 1 replayed for 2.
      const forA = await signConsent(aKey, f.registry, 1);
      for (const consent of [
        "0x",
        await signConsent(f.otherAdmin, f.registry, 2, 0, 0, aKey.address),
        forA,
      ]) {
        await expect(f.registry.connect(f.otherAdmin).authoriseKey(2, aKey.address, 0, 0, consent))
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidKeyConsent")
          .withArgs(aKey.address);
      }
      // A consent names the window too: it cannot be stretched.
      await expect(f.registry.connect(f.orgAdmin).authoriseKey(1, aKey.address, 0, 1_000, forA))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidKeyConsent")
        .withArgs(aKey.address);
      await expect(f.registry.connect(f.orgAdmin).authoriseKey(1, aKey.address, 0, 0, forA))
        .to.emit(f.registry, "SigningKeyAuthorised")
        .withArgs(1, aKey.address, 0, 2n ** 40n - 1n);
      // And once A's, never B's.
      await expect(authorise(f.registry, f.otherAdmin, 2, aKey))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryKeyAlreadyRegistered")
        .withArgs(aKey.address);
    });

    it("hashes a consent as EIP-712 under this registry's domain", async () => {
      const f = await loadFixture(deployRegistry);
      const consent = { organisationId: 1, key: f.key.address, validFrom: 5, validUntil: 9 };
      const digest = await f.registry.hashKeyConsent(consent);
      const signature = await signConsent(f.key, f.registry, 1, 5, 9);
      expect(ethers.recoverAddress(digest, signature)).to.equal(f.key.address);
    });
  });

  describe("profiles and organisation numbers", () => {
    it("B cannot copy A's profile: a proposal changes nothing until governance approves it", async () => {
      const f = await loadFixture(deployRegistry);
      const aProfile = (await f.registry.organisation(1)).profileHash;
      const bProfile = (await f.registry.organisation(2)).profileHash;
      await f.registry.connect(f.otherAdmin).proposeOrganisationProfile(2, aProfile);
      const c = randomCommitment();
      await f.registry.connect(f.otherKey).issue(c, f.otherEvent, 0);
      const issuedAt = (await recordOf(f.registry, c, 2)).issuedAt;
      // B restores its own proposal; at no time was A's profile B's.
      await f.registry.connect(f.otherAdmin).proposeOrganisationProfile(2, bProfile);
      expect(await f.registry.profileAt(2, issuedAt)).to.equal(bProfile);
      expect((await f.registry.organisationProfiles(2)).map((v) => v.profileHash)).to.deep.equal([bProfile]);
      // Governance, asked to approve A's profile for B, can only approve what is pending now.
      await expect(f.registry.approveOrganisationProfile(2, aProfile))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryProfileNotProposed")
        .withArgs(2, aProfile);
    });

    it("accredits an organisation number once", async () => {
      const f = await loadFixture(deployRegistry);
      expect(await f.registry.organisationByNumber(orgNumberHash("org"))).to.equal(1);
      expect((await f.registry.organisation(1)).organisationNumberHash).to.equal(orgNumberHash("org"));
      await expect(f.registry.accreditOrganisation(f.other.address, ethers.id("copy"), orgNumberHash("org")))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryOrganisationNumberTaken")
        .withArgs(orgNumberHash("org"), 1);
      await expect(
        f.registry.accreditOrganisation(f.other.address, ethers.id("copy"), ethers.ZeroHash),
      ).to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidOrganisationNumber");
      await expect(
        f.registry.accreditOrganisation(f.other.address, ethers.ZeroHash, freshOrgNumber()),
      ).to.be.revertedWithCustomError(f.registry, "IntygRegistryInvalidProfile");
    });
  });

  describe("governance cannot issue", () => {
    async function withDelay() {
      const [governor, orgAdmin, key, , other] = await ethers.getSigners();
      const registry = (await (
        await ethers.getContractFactory("IntygRegistry")
      ).deploy(THREE_DAYS, governor!.address)) as unknown as IntygRegistry;
      await registry.accreditOrganisation(orgAdmin!.address, ethers.id("org-profile"), freshOrgNumber());
      await authorise(registry, orgAdmin!, 1, key!);
      return { registry, governor: governor!, orgAdmin: orgAdmin!, key: key!, other: other! };
    }

    it("a new governor waits out the admin delay, in public, before it can act", async () => {
      const { registry, governor, other } = await loadFixture(withDelay);
      await expect(registry.connect(governor).grantRole(GOVERNOR_ROLE, other.address))
        .to.be.revertedWithCustomError(registry, "IntygRegistryRoleGrantNotReady")
        .withArgs(GOVERNOR_ROLE, other.address, 0);
      await expect(registry.connect(other).scheduleRoleGrant(GOVERNOR_ROLE, other.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(other.address, ethers.ZeroHash);
      const tx = await registry.connect(governor).scheduleRoleGrant(GOVERNOR_ROLE, other.address);
      // The grant is ready three days after the block that scheduled it.
      const mined = await ethers.provider.getBlock((await tx.wait())!.blockNumber);
      const readyAt = BigInt(mined!.timestamp) + BigInt(THREE_DAYS);
      await expect(tx)
        .to.emit(registry, "RoleGrantScheduled")
        .withArgs(GOVERNOR_ROLE, other.address, readyAt);
      expect(await registry.roleGrantReadyAt(GOVERNOR_ROLE, other.address)).to.equal(readyAt);
      await expect(registry.connect(governor).grantRole(GOVERNOR_ROLE, other.address))
        .to.be.revertedWithCustomError(registry, "IntygRegistryRoleGrantNotReady")
        .withArgs(GOVERNOR_ROLE, other.address, readyAt);
      await time.increaseTo(readyAt);
      await expect(registry.connect(governor).grantRole(GOVERNOR_ROLE, other.address)).to.emit(
        registry,
        "RoleGranted",
      );
      // A grant is used once.
      expect(await registry.roleGrantReadyAt(GOVERNOR_ROLE, other.address)).to.equal(0);
    });

    it("a scheduled grant can be cancelled before it is completed", async () => {
      const { registry, governor, other } = await loadFixture(withDelay);
      await registry.connect(governor).scheduleRoleGrant(GOVERNOR_ROLE, other.address);
      await expect(registry.connect(other).cancelRoleGrant(GOVERNOR_ROLE, other.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(other.address, ethers.ZeroHash);
      await expect(registry.connect(governor).cancelRoleGrant(GOVERNOR_ROLE, other.address))
        .to.emit(registry, "RoleGrantCancelled")
        .withArgs(GOVERNOR_ROLE, other.address);
      await time.increase(THREE_DAYS);
      await expect(registry.connect(governor).grantRole(GOVERNOR_ROLE, other.address))
        .to.be.revertedWithCustomError(registry, "IntygRegistryRoleGrantNotReady")
        .withArgs(GOVERNOR_ROLE, other.address, 0);
    });

    it("a governor can neither take over an organisation's admin nor authorise its own key", async () => {
      const { registry, governor, orgAdmin } = await loadFixture(withDelay);
      await expect(registry.connect(governor).changeOrganisationAdmin(1, governor.address))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(governor.address);
      await expect(authorise(registry, governor, 1, governor))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(governor.address);
      await expect(registry.connect(governor).issue(randomCommitment(), (1n << 32n) | 1n, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownKey")
        .withArgs(governor.address);
      expect((await registry.organisation(1)).admin).to.equal(orgAdmin.address);
    });
  });

  describe("a stolen signing key", () => {
    it("revokes only what it anchored itself; the admin revokes anything and recovers", async () => {
      const f = await loadFixture(deployRegistry);
      const stolen = randomKey();
      await authorise(f.registry, f.orgAdmin, 1, stolen);
      const tree = batchTree(4);
      await f.registry.connect(f.key).anchorBatch(tree.root, f.conference, 0, 4);
      const single = randomCommitment();
      await f.registry.connect(f.key).issue(single, f.conference, 0);
      const thief = stolen.connect(ethers.provider);
      await f.governor.sendTransaction({ to: stolen.address, value: ethers.parseEther("1") });
      const { leaf } = leafOf(tree, 1);
      for (const attempt of [
        () => f.registry.connect(thief).revoke(1, single, 1),
        () => f.registry.connect(thief).revoke(1, tree.root, 1),
        () => f.registry.connect(thief).revokeLeaf(1, tree.root, leaf, 1),
        () => f.registry.connect(thief).supersede(1, single, ethers.ZeroHash, tree.root),
      ]) {
        await expect(attempt())
          .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnauthorised")
          .withArgs(stolen.address);
      }
      // What the stolen key anchored itself it can revoke, until the admin removes it.
      const own = randomCommitment();
      await f.registry.connect(thief).issue(own, f.conference, 0);
      expect((await f.registry.record(1, own)).anchoredBy).to.equal(2n);
      await f.registry.connect(f.orgAdmin).removeKey(stolen.address);
      await expect(f.registry.connect(thief).revoke(1, own, 1))
        .to.be.revertedWithCustomError(f.registry, "IntygRegistryUnauthorised")
        .withArgs(stolen.address);
      // The admin revokes what the thief anchored, and the service key keeps revoking its own records.
      await expect(f.registry.connect(f.orgAdmin).revoke(1, own, 1)).to.emit(f.registry, "CredentialRevoked");
      await expect(f.registry.connect(f.key).revokeLeaf(1, tree.root, leaf, 1)).to.emit(
        f.registry,
        "BatchLeafRevoked",
      );
      expect((await recordOf(f.registry, single)).revokedAt).to.equal(0n);
    });
  });
});
