import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import {
  ACTIVE,
  authorise,
  COURSE,
  deployRegistry,
  EVENT,
  eventIdOf,
  eventOf,
  FOREVER,
  freshOrgNumber,
  keyOf,
  now,
  organisationOf,
  randomCommitment,
  randomKey,
  SUSPENDED,
} from "./fixtures";

const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const GOVERNOR_ROLE = ethers.id("GOVERNOR_ROLE");

/** Funded accounts beyond the ones the fixture names (index 8 on). */
async function spareSigners() {
  return (await ethers.getSigners()).slice(8);
}

function randomAddress(): string {
  return randomKey().address;
}

describe("IntygOrganisations", () => {
  describe("governance roles (AccessControlDefaultAdminRules)", () => {
    it("gives the initial admin the default admin role and GOVERNOR_ROLE, and nobody else", async () => {
      const { registry, governor, orgAdmin, key } = await loadFixture(deployRegistry);
      expect(await registry.GOVERNOR_ROLE()).to.equal(GOVERNOR_ROLE);
      expect(await registry.DEFAULT_ADMIN_ROLE()).to.equal(DEFAULT_ADMIN_ROLE);
      expect(await registry.getRoleAdmin(GOVERNOR_ROLE)).to.equal(DEFAULT_ADMIN_ROLE);
      expect(await registry.owner()).to.equal(governor.address);
      expect(await registry.defaultAdmin()).to.equal(governor.address);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, governor.address)).to.equal(true);
      expect(await registry.hasRole(GOVERNOR_ROLE, governor.address)).to.equal(true);
      for (const account of [orgAdmin, key]) {
        expect(await registry.hasRole(GOVERNOR_ROLE, account.address)).to.equal(false);
        expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, account.address)).to.equal(false);
      }
    });

    it("refuses a zero initial admin", async () => {
      const factory = await ethers.getContractFactory("IntygRegistry");
      await expect(factory.deploy(0, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(factory, "AccessControlInvalidDefaultAdmin")
        .withArgs(ethers.ZeroAddress);
    });

    it("lets the default admin grant and revoke GOVERNOR_ROLE, which alone accredits", async () => {
      const { registry, governor, other, orgAdmin } = await loadFixture(deployRegistry);
      await expect(
        registry.connect(other).accreditOrganisation(orgAdmin.address, ethers.ZeroHash, freshOrgNumber()),
      )
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(other.address, GOVERNOR_ROLE);

      await registry.connect(governor).scheduleRoleGrant(GOVERNOR_ROLE, other.address);
      await expect(registry.connect(governor).grantRole(GOVERNOR_ROLE, other.address))
        .to.emit(registry, "RoleGranted")
        .withArgs(GOVERNOR_ROLE, other.address, governor.address);
      const profile = ethers.id("third");
      const number = freshOrgNumber();
      await expect(registry.connect(other).accreditOrganisation(orgAdmin.address, profile, number))
        .to.emit(registry, "OrganisationAccredited")
        .withArgs(3, orgAdmin.address, profile, number);

      await registry.connect(governor).revokeRole(GOVERNOR_ROLE, other.address);
      await expect(registry.connect(other).suspendOrganisation(1))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(other.address, GOVERNOR_ROLE);
    });

    it("does not let a governor or an organisation admin grant roles", async () => {
      const { registry, governor, orgAdmin, other } = await loadFixture(deployRegistry);
      await registry.connect(governor).scheduleRoleGrant(GOVERNOR_ROLE, other.address);
      await registry.connect(governor).grantRole(GOVERNOR_ROLE, other.address);
      for (const account of [other, orgAdmin]) {
        await expect(registry.connect(account).grantRole(GOVERNOR_ROLE, account.address))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(account.address, DEFAULT_ADMIN_ROLE);
      }
    });

    it("refuses to grant the default admin role directly", async () => {
      const { registry, governor, other } = await loadFixture(deployRegistry);
      await expect(
        registry.connect(governor).grantRole(DEFAULT_ADMIN_ROLE, other.address),
      ).to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminRules");
    });

    it("hands the default admin role over in two steps after the delay", async () => {
      const [governor, successor] = await ethers.getSigners();
      const delay = 3 * 24 * 3600;
      const factory = await ethers.getContractFactory("IntygRegistry");
      const registry = await factory.deploy(delay, governor!.address);
      expect(await registry.defaultAdminDelay()).to.equal(delay);

      await registry.connect(governor!).beginDefaultAdminTransfer(successor!.address);
      const [pending, schedule] = await registry.pendingDefaultAdmin();
      expect(pending).to.equal(successor!.address);
      await expect(registry.connect(successor!).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);

      await time.increaseTo(schedule + 1n);
      await registry.connect(successor!).acceptDefaultAdminTransfer();
      expect(await registry.owner()).to.equal(successor!.address);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, governor!.address)).to.equal(false);
      // GOVERNOR_ROLE is a separate role: the new default admin grants it, the old holder keeps it until revoked.
      expect(await registry.hasRole(GOVERNOR_ROLE, successor!.address)).to.equal(false);
      await registry.connect(successor!).scheduleRoleGrant(GOVERNOR_ROLE, successor!.address);
      await time.increase(delay);
      await registry.connect(successor!).grantRole(GOVERNOR_ROLE, successor!.address);
      await registry.connect(successor!).revokeRole(GOVERNOR_ROLE, governor!.address);
      await expect(
        registry
          .connect(governor!)
          .accreditOrganisation(successor!.address, ethers.id("successor"), freshOrgNumber()),
      )
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(governor!.address, GOVERNOR_ROLE);
      await expect(
        registry
          .connect(successor!)
          .accreditOrganisation(successor!.address, ethers.id("successor"), freshOrgNumber()),
      ).to.emit(registry, "OrganisationAccredited");
    });
  });

  describe("accreditOrganisation", () => {
    it("accredits with sequential ids from 1 and records the profile and admin", async () => {
      const { registry, governor, other } = await loadFixture(deployRegistry);
      expect(await registry.organisationCount()).to.equal(2);
      const profile = ethers.id("third-profile");
      expect(
        await registry
          .connect(governor)
          .accreditOrganisation.staticCall(other.address, profile, freshOrgNumber()),
      ).to.equal(3);
      await expect(registry.connect(governor).accreditOrganisation(other.address, profile, freshOrgNumber()))
        .to.emit(registry, "OrganisationAccredited")
        .withArgs(3, other.address, profile, anyValue);
      expect(await registry.organisationCount()).to.equal(3);
      expect(await organisationOf(registry, 3)).to.deep.equal({
        profileHash: profile,
        admin: other.address,
        status: ACTIVE,
        eventCount: 0n,
        suspendedAt: 0n,
      });
    });

    it("starts with no organisations, and leaves id 0 unused", async () => {
      const { registry } = await loadFixture(deployRegistry);
      const fresh = await (await ethers.getContractFactory("IntygRegistry")).deploy(
        0,
        await registry.owner(),
      );
      expect(await fresh.organisationCount()).to.equal(0);
      expect((await registry.organisation(0)).status).to.equal(0n);
      expect((await registry.organisation(0)).admin).to.equal(ethers.ZeroAddress);
    });

    it("is reserved to GOVERNOR_ROLE", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      await expect(
        registry.connect(orgAdmin).accreditOrganisation(orgAdmin.address, ethers.ZeroHash, freshOrgNumber()),
      )
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(orgAdmin.address, GOVERNOR_ROLE);
    });

    it("refuses a zero admin", async () => {
      const { registry } = await loadFixture(deployRegistry);
      await expect(registry.accreditOrganisation(ethers.ZeroAddress, ethers.ZeroHash, freshOrgNumber()))
        .to.be.revertedWithCustomError(registry, "IntygRegistryInvalidAdmin")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("suspension and reinstatement", () => {
    it("suspends an organisation and every one of its keys, and reinstates them all", async () => {
      const { registry, orgAdmin, key, otherKey } = await loadFixture(deployRegistry);
      const start = await now();
      const future = randomAddress();
      const removed = randomAddress();
      await authorise(registry, orgAdmin, 1, future, start + 1000n, 0);
      await authorise(registry, orgAdmin, 1, removed, 0, 0);
      await registry.connect(orgAdmin).removeKey(removed);
      const keys = [key.address, future, removed];
      expect(await registry.organisationKeys(1)).to.deep.equal(keys);

      await expect(registry.suspendOrganisation(1)).to.emit(registry, "OrganisationSuspended").withArgs(1);
      const suspendedAt = BigInt(await time.latest());
      expect((await registry.organisation(1)).status).to.equal(SUSPENDED);
      expect((await registry.organisation(1)).suspendedAt).to.equal(suspendedAt);
      for (const k of keys) expect((await registry.signingKey(k)).suspended).to.equal(true);
      expect((await registry.signingKey(otherKey.address)).suspended).to.equal(false);
      expect((await registry.organisation(2)).status).to.equal(ACTIVE);

      await expect(registry.reinstateOrganisation(1)).to.emit(registry, "OrganisationReinstated").withArgs(1);
      expect((await registry.organisation(1)).status).to.equal(ACTIVE);
      expect((await registry.organisation(1)).suspendedAt).to.equal(0);
      for (const k of keys) expect((await registry.signingKey(k)).suspended).to.equal(false);
    });

    it("stops the keys and the admin of a suspended organisation, and lets them act again once reinstated", async () => {
      const { registry, orgAdmin, key, otherKey, conference, otherEvent } = await loadFixture(deployRegistry);
      await registry.suspendOrganisation(1);

      await expect(registry.connect(key).issue(randomCommitment(), conference, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryOrganisationSuspended")
        .withArgs(1);
      await expect(registry.connect(key).createEvent(1, 0, EVENT, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryOrganisationSuspended")
        .withArgs(1);
      await expect(registry.connect(orgAdmin).createEvent(1, 0, EVENT, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryOrganisationSuspended")
        .withArgs(1);
      await expect(registry.connect(orgAdmin).updateEventMetadata(conference, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryOrganisationSuspended")
        .withArgs(1);
      await expect(authorise(registry, orgAdmin, 1, randomKey(), 0, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryOrganisationSuspended")
        .withArgs(1);
      // The other organisation is unaffected.
      await expect(registry.connect(otherKey).issue(randomCommitment(), otherEvent, 0)).to.emit(
        registry,
        "CredentialAnchored",
      );

      await registry.reinstateOrganisation(1);
      await expect(registry.connect(key).issue(randomCommitment(), conference, 0)).to.emit(
        registry,
        "CredentialAnchored",
      );
      await expect(registry.connect(orgAdmin).createEvent(1, 0, EVENT, ethers.ZeroHash)).to.emit(
        registry,
        "EventCreated",
      );
    });

    it("suspends an organisation with the most keys it can have", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      for (let i = 1; i < 32; i++) await authorise(registry, orgAdmin, 1, randomKey(), 0, 0);
      const keys = await registry.organisationKeys(1);
      expect(keys).to.have.length(32);
      await registry.suspendOrganisation(1);
      for (const k of keys) expect((await registry.signingKey(k)).suspended).to.equal(true);
      await registry.reinstateOrganisation(1);
      for (const k of keys) expect((await registry.signingKey(k)).suspended).to.equal(false);
    });

    it("refuses to suspend twice or to reinstate an active organisation", async () => {
      const { registry } = await loadFixture(deployRegistry);
      await expect(registry.reinstateOrganisation(1))
        .to.be.revertedWithCustomError(registry, "IntygRegistryOrganisationNotSuspended")
        .withArgs(1);
      await registry.suspendOrganisation(1);
      await expect(registry.suspendOrganisation(1))
        .to.be.revertedWithCustomError(registry, "IntygRegistryOrganisationAlreadySuspended")
        .withArgs(1);
      await registry.reinstateOrganisation(1);
      await expect(registry.reinstateOrganisation(1))
        .to.be.revertedWithCustomError(registry, "IntygRegistryOrganisationNotSuspended")
        .withArgs(1);
    });

    it("refuses unknown organisations", async () => {
      const { registry } = await loadFixture(deployRegistry);
      for (const id of [0, 3]) {
        await expect(registry.suspendOrganisation(id))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownOrganisation")
          .withArgs(id);
        await expect(registry.reinstateOrganisation(id))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownOrganisation")
          .withArgs(id);
      }
    });

    it("is reserved to GOVERNOR_ROLE", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      await expect(registry.connect(orgAdmin).suspendOrganisation(1))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(orgAdmin.address, GOVERNOR_ROLE);
      await registry.suspendOrganisation(1);
      await expect(registry.connect(orgAdmin).reinstateOrganisation(1))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(orgAdmin.address, GOVERNOR_ROLE);
    });
  });

  describe("organisation profiles", () => {
    it("puts a profile the admin proposed in force only when governance approves it", async () => {
      const { registry, orgAdmin, governor } = await loadFixture(deployRegistry);
      const accredited = (await registry.organisationProfiles(1))[0]!;
      const proposed = ethers.id("new-profile");
      await expect(registry.connect(orgAdmin).proposeOrganisationProfile(1, proposed))
        .to.emit(registry, "OrganisationProfileProposed")
        .withArgs(1, proposed);
      expect(await registry.pendingOrganisationProfile(1)).to.equal(proposed);
      expect((await registry.organisation(1)).profileHash).to.equal(ethers.id("org-profile"));
      await expect(registry.connect(governor).approveOrganisationProfile(1, proposed))
        .to.emit(registry, "OrganisationProfileUpdated")
        .withArgs(1, proposed);
      const approvedAt = BigInt(await time.latest());
      expect((await registry.organisation(1)).profileHash).to.equal(proposed);
      expect(await registry.pendingOrganisationProfile(1)).to.equal(ethers.ZeroHash);
      expect((await registry.organisationProfiles(1)).map((v) => [v.profileHash, v.since])).to.deep.equal([
        [ethers.id("org-profile"), accredited.since],
        [proposed, approvedAt],
      ]);
      // The profile in force at a time: none before accreditation, then each version from its `since`.
      expect(await registry.profileAt(1, accredited.since - 1n)).to.equal(ethers.ZeroHash);
      expect(await registry.profileAt(1, approvedAt - 1n)).to.equal(ethers.id("org-profile"));
      expect(await registry.profileAt(1, approvedAt)).to.equal(proposed);
      expect(await registry.profileAt(9, approvedAt)).to.equal(ethers.ZeroHash);
      expect((await registry.organisation(2)).profileHash).to.equal(ethers.id("other-profile"));
    });

    it("approves only what was proposed, and only by governance", async () => {
      const { registry, orgAdmin, governor, otherAdmin } = await loadFixture(deployRegistry);
      const proposed = ethers.id("new-profile");
      await expect(registry.connect(governor).approveOrganisationProfile(1, proposed))
        .to.be.revertedWithCustomError(registry, "IntygRegistryProfileNotProposed")
        .withArgs(1, proposed);
      await expect(registry.connect(governor).approveOrganisationProfile(1, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryProfileNotProposed")
        .withArgs(1, ethers.ZeroHash);
      await registry.connect(orgAdmin).proposeOrganisationProfile(1, proposed);
      for (const account of [orgAdmin, otherAdmin]) {
        await expect(registry.connect(account).approveOrganisationProfile(1, proposed))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(account.address, GOVERNOR_ROLE);
      }
      // Another organisation's pending proposal is not this one's.
      await expect(registry.connect(governor).approveOrganisationProfile(2, proposed))
        .to.be.revertedWithCustomError(registry, "IntygRegistryProfileNotProposed")
        .withArgs(2, proposed);
    });

    it("refuses proposals from anyone but the admin, zero hashes and unknown organisations", async () => {
      const { registry, other, otherAdmin, key, governor, orgAdmin } = await loadFixture(deployRegistry);
      for (const account of [other, otherAdmin, key, governor]) {
        await expect(registry.connect(account).proposeOrganisationProfile(1, ethers.id("x")))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
          .withArgs(account.address);
      }
      await expect(
        registry.connect(orgAdmin).proposeOrganisationProfile(1, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(registry, "IntygRegistryInvalidProfile");
      await expect(registry.proposeOrganisationProfile(9, ethers.id("x")))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownOrganisation")
        .withArgs(9);
    });
  });

  describe("changeOrganisationAdmin", () => {
    it("hands the organisation to a new admin, who alone can then manage it", async () => {
      const { registry, orgAdmin, other } = await loadFixture(deployRegistry);
      await expect(registry.connect(orgAdmin).changeOrganisationAdmin(1, other.address))
        .to.emit(registry, "OrganisationAdminChanged")
        .withArgs(1, other.address);
      expect((await registry.organisation(1)).admin).to.equal(other.address);

      await expect(authorise(registry, orgAdmin, 1, randomKey(), 0, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(orgAdmin.address);
      await expect(registry.connect(orgAdmin).proposeOrganisationProfile(1, ethers.id("x")))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(orgAdmin.address);
      await expect(authorise(registry, other, 1, randomKey(), 0, 0)).to.emit(
        registry,
        "SigningKeyAuthorised",
      );
    });

    it("does not let governance replace the admin", async () => {
      const { registry, governor, other, orgAdmin } = await loadFixture(deployRegistry);
      await expect(registry.connect(governor).changeOrganisationAdmin(1, other.address))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(governor.address);
      expect((await registry.organisation(1)).admin).to.equal(orgAdmin.address);
    });

    it("refuses a zero admin, an outsider and an unknown organisation", async () => {
      const { registry, orgAdmin, otherAdmin } = await loadFixture(deployRegistry);
      await expect(registry.connect(orgAdmin).changeOrganisationAdmin(1, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(registry, "IntygRegistryInvalidAdmin")
        .withArgs(ethers.ZeroAddress);
      await expect(registry.connect(otherAdmin).changeOrganisationAdmin(1, otherAdmin.address))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(otherAdmin.address);
      await expect(registry.changeOrganisationAdmin(7, otherAdmin.address))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownOrganisation")
        .withArgs(7);
      expect((await registry.organisation(1)).admin).to.equal(orgAdmin.address);
    });
  });

  describe("authoriseKey", () => {
    it("registers a key with its window and lists it under the organisation", async () => {
      const { registry, orgAdmin, key } = await loadFixture(deployRegistry);
      const k = randomAddress();
      await expect(authorise(registry, orgAdmin, 1, k, 100, 200))
        .to.emit(registry, "SigningKeyAuthorised")
        .withArgs(1, k, 100, 200);
      expect(await keyOf(registry, k)).to.deep.equal({
        organisationId: 1n,
        validFrom: 100n,
        validUntil: 200n,
        suspended: false,
      });
      expect(await registry.organisationKeys(1)).to.deep.equal([key.address, k]);
      expect(await registry.organisationKeys(3)).to.deep.equal([]);
    });

    it("reads validUntil 0 as no end", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      const k = randomAddress();
      await expect(authorise(registry, orgAdmin, 1, k, 5, 0))
        .to.emit(registry, "SigningKeyAuthorised")
        .withArgs(1, k, 5, FOREVER);
      expect((await registry.signingKey(k)).validUntil).to.equal(FOREVER);
    });

    it("is reserved to the organisation's admin, not governance, its keys or another organisation", async () => {
      const { registry, governor, key, otherAdmin } = await loadFixture(deployRegistry);
      for (const account of [governor, key, otherAdmin]) {
        await expect(authorise(registry, account, 1, randomKey(), 0, 0))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
          .withArgs(account.address);
      }
    });

    it("refuses an unknown organisation", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      await expect(authorise(registry, orgAdmin, 0, randomKey(), 0, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownOrganisation")
        .withArgs(0);
    });

    it("refuses the zero address as a key", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      await expect(authorise(registry, orgAdmin, 1, ethers.ZeroAddress, 0, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryInvalidKey")
        .withArgs(ethers.ZeroAddress);
    });

    it("registers a key once: not again, not for another organisation, not after its removal", async () => {
      const { registry, orgAdmin, otherAdmin, key } = await loadFixture(deployRegistry);
      await expect(authorise(registry, orgAdmin, 1, key, 0, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyAlreadyRegistered")
        .withArgs(key.address);
      await expect(authorise(registry, otherAdmin, 2, key, 0, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyAlreadyRegistered")
        .withArgs(key.address);
      await registry.connect(orgAdmin).removeKey(key.address);
      await expect(authorise(registry, orgAdmin, 1, key, 0, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyAlreadyRegistered")
        .withArgs(key.address);
      expect(await registry.organisationKeys(1)).to.deep.equal([key.address]);
      expect((await registry.signingKey(key.address)).organisationId).to.equal(1);
    });

    it("refuses an empty or inverted window", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      for (const [from, until] of [
        [100n, 100n],
        [200n, 100n],
      ]) {
        await expect(authorise(registry, orgAdmin, 1, randomKey(), from!, until!))
          .to.be.revertedWithCustomError(registry, "IntygRegistryInvalidKeyWindow")
          .withArgs(from, until);
      }
      // validUntil 0 means FOREVER, which leaves no room after validFrom = FOREVER.
      await expect(authorise(registry, orgAdmin, 1, randomKey(), FOREVER, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryInvalidKeyWindow")
        .withArgs(FOREVER, FOREVER);
      await expect(authorise(registry, orgAdmin, 1, randomKey(), FOREVER - 1n, 0)).to.emit(
        registry,
        "SigningKeyAuthorised",
      );
    });

    it("caps an organisation at MAX_KEYS keys in its lifetime, removed keys included", async () => {
      const { registry, orgAdmin, otherAdmin } = await loadFixture(deployRegistry);
      expect(await registry.MAX_KEYS()).to.equal(32);
      for (let i = 1; i < 32; i++) await authorise(registry, orgAdmin, 1, randomKey(), 0, 0);
      await expect(authorise(registry, orgAdmin, 1, randomKey(), 0, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryTooManyKeys")
        .withArgs(1);
      const keys = await registry.organisationKeys(1);
      await registry.connect(orgAdmin).removeKey(keys[5]!);
      await expect(authorise(registry, orgAdmin, 1, randomKey(), 0, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryTooManyKeys")
        .withArgs(1);
      // The cap is per organisation.
      await expect(authorise(registry, otherAdmin, 2, randomKey(), 0, 0)).to.emit(
        registry,
        "SigningKeyAuthorised",
      );
    });
  });

  describe("key windows", () => {
    it("lets a key sign in [validFrom, validUntil) only", async () => {
      const { registry, orgAdmin, conference } = await loadFixture(deployRegistry);
      const [signer] = await spareSigners();
      const from = (await now()) + 100n;
      const until = from + 50n;
      await authorise(registry, orgAdmin, 1, signer!, from, until);

      await time.setNextBlockTimestamp(from - 1n);
      await expect(registry.connect(signer!).createEvent(1, 0, EVENT, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyNotAuthorised")
        .withArgs(signer!.address);
      await time.setNextBlockTimestamp(from);
      await expect(registry.connect(signer!).createEvent(1, 0, EVENT, ethers.ZeroHash)).to.emit(
        registry,
        "EventCreated",
      );
      await time.setNextBlockTimestamp(until - 1n);
      await expect(registry.connect(signer!).updateEventMetadata(conference, ethers.id("late"))).to.emit(
        registry,
        "EventMetadataUpdated",
      );
      await time.setNextBlockTimestamp(until);
      await expect(registry.connect(signer!).updateEventMetadata(conference, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyNotAuthorised")
        .withArgs(signer!.address);
    });

    it("answers isKeyValidAt at the edges of the window and for the right organisation only", async () => {
      const { registry, orgAdmin, key, otherKey } = await loadFixture(deployRegistry);
      const k = randomAddress();
      await authorise(registry, orgAdmin, 1, k, 100, 200);
      expect(await registry.isKeyValidAt(k, 1, 99)).to.equal(false);
      expect(await registry.isKeyValidAt(k, 1, 100)).to.equal(true);
      expect(await registry.isKeyValidAt(k, 1, 199)).to.equal(true);
      expect(await registry.isKeyValidAt(k, 1, 200)).to.equal(false);
      expect(await registry.isKeyValidAt(k, 2, 150)).to.equal(false);
      expect(await registry.isKeyValidAt(k, 0, 150)).to.equal(false);
      expect(await registry.isKeyValidAt(key.address, 1, FOREVER - 1n)).to.equal(true);
      expect(await registry.isKeyValidAt(otherKey.address, 1, 150)).to.equal(false);
      const unknown = randomAddress();
      for (const org of [0, 1]) expect(await registry.isKeyValidAt(unknown, org, 0)).to.equal(false);
    });

    it("ignores suspension in isKeyValidAt (it answers for past signatures)", async () => {
      const { registry, key } = await loadFixture(deployRegistry);
      await registry.suspendOrganisation(1);
      expect((await registry.signingKey(key.address)).suspended).to.equal(true);
      expect(await registry.isKeyValidAt(key.address, 1, await time.latest())).to.equal(true);
    });
  });

  describe("removeKey", () => {
    it("ends the window now; what the key signed before stays valid", async () => {
      const { registry, orgAdmin, key, conference } = await loadFixture(deployRegistry);
      const signedAt = await now();
      const removedAt = signedAt + 100n;
      await time.setNextBlockTimestamp(removedAt);
      await expect(registry.connect(orgAdmin).removeKey(key.address))
        .to.emit(registry, "SigningKeyRemoved")
        .withArgs(1, key.address, removedAt);
      expect(await keyOf(registry, key.address)).to.deep.equal({
        organisationId: 1n,
        validFrom: 0n,
        validUntil: removedAt,
        suspended: false,
      });
      expect(await registry.isKeyValidAt(key.address, 1, signedAt)).to.equal(true);
      expect(await registry.isKeyValidAt(key.address, 1, removedAt - 1n)).to.equal(true);
      expect(await registry.isKeyValidAt(key.address, 1, removedAt)).to.equal(false);
      await expect(registry.connect(key).issue(randomCommitment(), conference, 0))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyNotAuthorised")
        .withArgs(key.address);
      // It stays listed (the cap counts it) and keeps its organisation.
      expect(await registry.organisationKeys(1)).to.deep.equal([key.address]);
    });

    it("lets a key remove itself", async () => {
      const { registry, key } = await loadFixture(deployRegistry);
      await expect(registry.connect(key).removeKey(key.address)).to.emit(registry, "SigningKeyRemoved");
      expect(await registry.isKeyValidAt(key.address, 1, await time.latest())).to.equal(false);
    });

    it("lets the admin remove a key of a suspended organisation (a compromised key)", async () => {
      const { registry, orgAdmin, key } = await loadFixture(deployRegistry);
      await registry.suspendOrganisation(1);
      await expect(registry.connect(orgAdmin).removeKey(key.address)).to.emit(registry, "SigningKeyRemoved");
      await registry.reinstateOrganisation(1);
      expect(await registry.isKeyValidAt(key.address, 1, await time.latest())).to.equal(false);
    });

    it("refuses governance, outsiders, other keys and another organisation's admin", async () => {
      const { registry, governor, other, otherAdmin, otherKey, orgAdmin, key } =
        await loadFixture(deployRegistry);
      const [sibling] = await spareSigners();
      await authorise(registry, orgAdmin, 1, sibling!, 0, 0);
      for (const account of [governor, other, otherAdmin, otherKey, sibling!]) {
        await expect(registry.connect(account).removeKey(key.address))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
          .withArgs(account.address);
      }
    });

    it("refuses an unknown key", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      const unknown = randomAddress();
      await expect(registry.connect(orgAdmin).removeKey(unknown))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownKey")
        .withArgs(unknown);
    });

    it("refuses to remove a key twice or an expired key", async () => {
      const { registry, orgAdmin, key } = await loadFixture(deployRegistry);
      await registry.connect(orgAdmin).removeKey(key.address);
      await expect(registry.connect(orgAdmin).removeKey(key.address))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyAlreadyRemoved")
        .withArgs(key.address);

      const expiring = randomAddress();
      const until = (await now()) + 10n;
      await authorise(registry, orgAdmin, 1, expiring, 0, until);
      await time.increaseTo(until);
      await expect(registry.connect(orgAdmin).removeKey(expiring))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyAlreadyRemoved")
        .withArgs(expiring);
    });

    it("leaves a key that never became valid with an empty window", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      const k = randomAddress();
      const from = (await now()) + 1000n;
      await authorise(registry, orgAdmin, 1, k, from, from + 1000n);
      await time.setNextBlockTimestamp(from - 500n);
      await expect(registry.connect(orgAdmin).removeKey(k))
        .to.emit(registry, "SigningKeyRemoved")
        .withArgs(1, k, from - 500n);
      expect(await keyOf(registry, k)).to.deep.equal({
        organisationId: 1n,
        validFrom: from,
        validUntil: from,
        suspended: false,
      });
      for (const t of [from - 1n, from, from + 999n])
        expect(await registry.isKeyValidAt(k, 1, t)).to.equal(false);
      // Removed once: a second removal is refused like for any other removed key.
      await expect(registry.connect(orgAdmin).removeKey(k))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyAlreadyRemoved")
        .withArgs(k);
    });
  });

  describe("createEvent", () => {
    it("creates events and courses with ids in the organisation's space", async () => {
      const { registry, orgAdmin, otherAdmin } = await loadFixture(deployRegistry);
      expect((await registry.organisation(1)).eventCount).to.equal(3);
      const metadata = ethers.id("seminar-day");
      expect(await registry.connect(orgAdmin).createEvent.staticCall(1, 0, EVENT, metadata)).to.equal(
        eventIdOf(1, 4),
      );
      await expect(registry.connect(orgAdmin).createEvent(1, 0, EVENT, metadata))
        .to.emit(registry, "EventCreated")
        .withArgs(1, eventIdOf(1, 4), 0, EVENT, metadata);
      expect(await eventOf(registry, eventIdOf(1, 4))).to.deep.equal({
        metadataHash: metadata,
        parentId: 0n,
        createdAt: BigInt(await time.latest()),
        kind: BigInt(EVENT),
      });
      expect((await registry.organisation(1)).eventCount).to.equal(4);
      // Each organisation counts its own events.
      await expect(registry.connect(otherAdmin).createEvent(2, 0, COURSE, metadata))
        .to.emit(registry, "EventCreated")
        .withArgs(2, eventIdOf(2, 2), 0, COURSE, metadata);
    });

    it("records the fixture's events, sub-events and courses", async () => {
      const { registry, conference, hackathon, course } = await loadFixture(deployRegistry);
      expect((await eventOf(registry, conference)).kind).to.equal(BigInt(EVENT));
      expect(await eventOf(registry, hackathon)).to.include({ parentId: conference, kind: BigInt(EVENT) });
      expect(await eventOf(registry, course)).to.include({ parentId: 0n, kind: BigInt(COURSE) });
      expect(await eventOf(registry, eventIdOf(1, 4))).to.deep.equal({
        metadataHash: ethers.ZeroHash,
        parentId: 0n,
        createdAt: 0n,
        kind: 0n,
      });
    });

    it("lets a valid key of the organisation create an event", async () => {
      const { registry, key } = await loadFixture(deployRegistry);
      await expect(registry.connect(key).createEvent(1, 0, COURSE, ethers.ZeroHash))
        .to.emit(registry, "EventCreated")
        .withArgs(1, eventIdOf(1, 4), 0, COURSE, ethers.ZeroHash);
    });

    it("accepts an event of the same organisation as parent, at any depth", async () => {
      const { registry, orgAdmin, conference, hackathon } = await loadFixture(deployRegistry);
      await expect(registry.connect(orgAdmin).createEvent(1, conference, COURSE, ethers.ZeroHash))
        .to.emit(registry, "EventCreated")
        .withArgs(1, eventIdOf(1, 4), conference, COURSE, ethers.ZeroHash);
      await expect(registry.connect(orgAdmin).createEvent(1, hackathon, EVENT, ethers.ZeroHash))
        .to.emit(registry, "EventCreated")
        .withArgs(1, eventIdOf(1, 5), hackathon, EVENT, ethers.ZeroHash);
      expect((await registry.eventInfo(eventIdOf(1, 5))).parentId).to.equal(hackathon);
    });

    it("refuses a parent of another organisation, a course, or one that does not exist", async () => {
      const { registry, orgAdmin, course, otherEvent } = await loadFixture(deployRegistry);
      for (const parent of [otherEvent, course, eventIdOf(1, 99), eventIdOf(1, 0), 5n]) {
        await expect(registry.connect(orgAdmin).createEvent(1, parent, EVENT, ethers.ZeroHash))
          .to.be.revertedWithCustomError(registry, "IntygRegistryInvalidParent")
          .withArgs(parent);
      }
    });

    it("refuses kind None and out-of-range kinds", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      await expect(
        registry.connect(orgAdmin).createEvent(1, 0, 0, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(registry, "IntygRegistryInvalidEventKind");
      await expect(
        registry.connect(orgAdmin).createEvent(1, 0, 3, ethers.ZeroHash),
      ).to.be.revertedWithoutReason();
    });

    it("refuses an unknown organisation", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      await expect(registry.connect(orgAdmin).createEvent(3, 0, EVENT, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownOrganisation")
        .withArgs(3);
    });

    it("refuses outsiders, another organisation's admin and keys, and removed keys", async () => {
      const { registry, orgAdmin, key, other, otherAdmin, otherKey } = await loadFixture(deployRegistry);
      for (const account of [other, otherAdmin]) {
        await expect(registry.connect(account).createEvent(1, 0, EVENT, ethers.ZeroHash))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownKey")
          .withArgs(account.address);
      }
      await expect(registry.connect(otherKey).createEvent(1, 0, EVENT, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(otherKey.address);
      await registry.connect(orgAdmin).removeKey(key.address);
      await expect(registry.connect(key).createEvent(1, 0, EVENT, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryKeyNotAuthorised")
        .withArgs(key.address);
    });
  });

  describe("updateEventMetadata", () => {
    it("lets the admin and the organisation's keys replace the metadata hash", async () => {
      const { registry, orgAdmin, key, conference, course } = await loadFixture(deployRegistry);
      const before = await eventOf(registry, conference);
      const first = ethers.id("programme-v2");
      await expect(registry.connect(orgAdmin).updateEventMetadata(conference, first))
        .to.emit(registry, "EventMetadataUpdated")
        .withArgs(conference, first);
      expect(await eventOf(registry, conference)).to.deep.equal({ ...before, metadataHash: first });
      const second = ethers.id("course-v2");
      await expect(registry.connect(key).updateEventMetadata(course, second))
        .to.emit(registry, "EventMetadataUpdated")
        .withArgs(course, second);
      expect((await registry.eventInfo(course)).metadataHash).to.equal(second);
    });

    it("refuses an unknown event", async () => {
      const { registry, orgAdmin } = await loadFixture(deployRegistry);
      for (const id of [eventIdOf(1, 4), eventIdOf(1, 0), 0n]) {
        await expect(registry.connect(orgAdmin).updateEventMetadata(id, ethers.ZeroHash))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownEvent")
          .withArgs(id);
      }
    });

    it("refuses another organisation's admin and keys", async () => {
      const { registry, otherAdmin, otherKey, conference } = await loadFixture(deployRegistry);
      await expect(registry.connect(otherAdmin).updateEventMetadata(conference, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownKey")
        .withArgs(otherAdmin.address);
      await expect(registry.connect(otherKey).updateEventMetadata(conference, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(otherKey.address);
    });

    it("refuses the keys of a suspended organisation", async () => {
      const { registry, key, conference } = await loadFixture(deployRegistry);
      await registry.suspendOrganisation(1);
      await expect(registry.connect(key).updateEventMetadata(conference, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "IntygRegistryOrganisationSuspended")
        .withArgs(1);
    });
  });
});
