import { FORWARDER_DOMAIN_NAME, FORWARDER_DOMAIN_VERSION, forwardRequestTypes } from "@intyg/credential";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import type { HDNodeWallet, Interface, Signer } from "ethers";
import { ethers } from "hardhat";
import type { IntygForwarder, IntygRegistry, MockCaller } from "../../typechain-types";
import {
  authorise,
  batchTree,
  deployRegistry,
  EVENT,
  eventIdOf,
  freshOrgNumber,
  issueRequest,
  leafOf,
  now,
  randomCommitment,
  recordOf,
  rvs,
  signConsent,
  signIssue,
} from "./fixtures";

const GOVERNOR_ROLE = ethers.id("GOVERNOR_ROLE");
const REASON_SUPERSEDED = 2n;

/** What {IntygForwarder-execute} takes: the signed request without its nonce (the forwarder supplies it). */
type ForwardRequestData = {
  from: string;
  to: string;
  value: bigint;
  gas: bigint;
  deadline: bigint;
  data: string;
  signature: string;
};

type Fixture = Awaited<ReturnType<typeof deployWithForwarder>>;

/**
 * {deployRegistry} plus the registry's forwarder and accounts that hold no ether: `zeroKey`, a signing key of
 * organisation 1 (authorised by its funded admin), and `zeroAdmin`, the admin of organisation 3. They only sign;
 * the fixture's funded `relayer` sends every transaction.
 */
async function deployWithForwarder() {
  const f = await deployRegistry();
  const forwarder = (await ethers.getContractAt(
    "IntygForwarder",
    await f.registry.trustedForwarder(),
  )) as unknown as IntygForwarder;
  const forwarderAddress = await forwarder.getAddress();
  const zeroKey = ethers.Wallet.createRandom();
  const zeroAdmin = ethers.Wallet.createRandom();
  await authorise(f.registry, f.orgAdmin, 1, zeroKey);
  await f.registry.accreditOrganisation(zeroAdmin.address, ethers.id("zero-profile"), freshOrgNumber());
  return { ...f, forwarder, forwarderAddress, zeroKey, zeroAdmin };
}

/** A request by `signer` to call `data` on the registry (or `to`), signed over the forwarder's domain. */
async function signRequest(
  f: Fixture,
  signer: Signer | HDNodeWallet,
  data: string,
  options: { from?: string; to?: string; deadline?: bigint; nonce?: bigint; gas?: bigint } = {},
): Promise<ForwardRequestData> {
  const from = options.from ?? (await signer.getAddress());
  const request = {
    from,
    to: options.to ?? f.address,
    value: 0n,
    gas: options.gas ?? 500_000n,
    nonce: options.nonce ?? (await f.forwarder.nonces(from)),
    deadline: options.deadline ?? (await now()) + 3_600n,
    data,
  };
  const domain = {
    name: FORWARDER_DOMAIN_NAME,
    version: FORWARDER_DOMAIN_VERSION,
    chainId: f.chainId,
    verifyingContract: f.forwarderAddress,
  };
  const signature = await signer.signTypedData(
    domain,
    { ForwardRequest: [...forwardRequestTypes.ForwardRequest] },
    request,
  );
  const { nonce: _, ...rest } = request;
  return { ...rest, signature };
}

/** Calldata of the registry's function `name` (checked by name and arguments against its ABI). */
function call(registry: IntygRegistry, name: string, args: readonly unknown[]): string {
  return (registry.interface as Interface).encodeFunctionData(name, args);
}

/** Signs a request by `signer` for `data` and has the relayer execute it. */
async function relay(f: Fixture, signer: Signer | HDNodeWallet, data: string) {
  return f.forwarder.connect(f.relayer).execute(await signRequest(f, signer, data));
}

/** Anchors `commitment` at the conference on `signer`'s signed issue request, relayed (`issueSigned`). */
async function issueSignedBy(f: Fixture, signer: HDNodeWallet, commitment: `0x${string}`, batchSize = 0) {
  const request = issueRequest({ eventId: f.conference, commitment, batchSize });
  await f.registry
    .connect(f.relayer)
    .issueSigned(request, ...rvs(await signIssue(signer, f.chainId, f.address, request)));
}

async function balanceOf(account: { address: string }): Promise<bigint> {
  return ethers.provider.getBalance(account.address);
}

describe("IntygForwarder", () => {
  describe("keys and admins that hold no ether", () => {
    it("a zero-ether key creates an event and updates its metadata", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, zeroKey } = f;
      const eventId = eventIdOf(1, 4);
      await expect(relay(f, zeroKey, call(registry, "createEvent", [1, 0, EVENT, ethers.id("relayed")])))
        .to.emit(registry, "EventCreated")
        .withArgs(1, eventId, 0, EVENT, ethers.id("relayed"));
      await expect(relay(f, zeroKey, call(registry, "updateEventMetadata", [eventId, ethers.id("v2")])))
        .to.emit(registry, "EventMetadataUpdated")
        .withArgs(eventId, ethers.id("v2"));
      expect((await registry.eventInfo(eventId)).metadataHash).to.equal(ethers.id("v2"));
      expect(await f.forwarder.nonces(zeroKey.address)).to.equal(2n);
      expect(await balanceOf(zeroKey)).to.equal(0n);
    });

    it("a zero-ether key revokes a credential it anchored through issueSigned, and only the key that anchored it may", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, zeroKey, key } = f;
      const c = randomCommitment();
      await issueSignedBy(f, zeroKey, c);
      // Another valid key of the same organisation, relayed: the registry sees that key, which did not anchor it.
      await expect(relay(f, key, call(registry, "revoke", [1, c, 1])))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(key.address);
      await expect(relay(f, zeroKey, call(registry, "revoke", [1, c, 1])))
        .to.emit(registry, "CredentialRevoked")
        .withArgs(c);
      const record = await recordOf(registry, c);
      expect(record.revokedAt).to.equal(BigInt(await time.latest()));
      expect(record.revocationReason).to.equal(1n);
      expect(await balanceOf(zeroKey)).to.equal(0n);
    });

    it("a zero-ether key revokes a leaf of a batch it anchored through issueSigned", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, zeroKey } = f;
      const tree = batchTree(8, "relayed");
      await issueSignedBy(f, zeroKey, tree.root as `0x${string}`, 8);
      const { leaf } = leafOf(tree, 3);
      await expect(relay(f, zeroKey, call(registry, "revokeLeaf", [1, tree.root, leaf, 4])))
        .to.emit(registry, "BatchLeafRevoked")
        .withArgs(tree.root, 1, leaf);
      const revocation = await registry.leafRevocation(1, tree.root, leaf);
      expect(revocation.revokedAt).to.equal(BigInt(await time.latest()));
      expect(revocation.reason).to.equal(4n);
      expect(await balanceOf(zeroKey)).to.equal(0n);
    });

    it("a zero-ether key supersedes a credential it anchored", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, zeroKey } = f;
      const old = randomCommitment();
      const replacement = randomCommitment();
      await issueSignedBy(f, zeroKey, old);
      await issueSignedBy(f, zeroKey, replacement);
      await expect(relay(f, zeroKey, call(registry, "supersede", [1, old, ethers.ZeroHash, replacement])))
        .to.emit(registry, "CredentialSuperseded")
        .withArgs(1, old, ethers.ZeroHash, replacement);
      expect(await registry.supersededBy(1, old, ethers.ZeroHash)).to.equal(replacement);
      expect((await recordOf(registry, old)).revocationReason).to.equal(REASON_SUPERSEDED);
      expect(await balanceOf(zeroKey)).to.equal(0n);
    });

    it("a zero-ether admin authorises a key with the key's consent, and removes it", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, zeroAdmin } = f;
      const newKey = ethers.Wallet.createRandom();
      const consent = await signConsent(newKey, registry, 3);
      await expect(relay(f, zeroAdmin, call(registry, "authoriseKey", [3, newKey.address, 0, 0, consent])))
        .to.emit(registry, "SigningKeyAuthorised")
        .withArgs(3, newKey.address, 0, 2n ** 40n - 1n);
      expect(await registry.organisationKeys(3)).to.deep.equal([newKey.address]);
      expect(await registry.isKeyValidAt(newKey.address, 3, await time.latest())).to.equal(true);

      await expect(relay(f, zeroAdmin, call(registry, "removeKey", [newKey.address])))
        .to.emit(registry, "SigningKeyRemoved")
        .withArgs(3, newKey.address, anyValue);
      expect(await registry.isKeyValidAt(newKey.address, 3, await time.latest())).to.equal(false);
      expect(await balanceOf(zeroAdmin)).to.equal(0n);
      expect(await balanceOf(newKey)).to.equal(0n);
    });

    it("a zero-ether key removes itself", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, zeroKey } = f;
      await expect(relay(f, zeroKey, call(registry, "removeKey", [zeroKey.address])))
        .to.emit(registry, "SigningKeyRemoved")
        .withArgs(1, zeroKey.address, anyValue);
      expect(await registry.isKeyValidAt(zeroKey.address, 1, await time.latest())).to.equal(false);
    });

    it("a zero-ether admin proposes a profile and hands the organisation to another, who then acts", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, zeroAdmin } = f;
      await expect(relay(f, zeroAdmin, call(registry, "proposeOrganisationProfile", [3, ethers.id("p2")])))
        .to.emit(registry, "OrganisationProfileProposed")
        .withArgs(3, ethers.id("p2"));
      const next = ethers.Wallet.createRandom();
      await expect(relay(f, zeroAdmin, call(registry, "changeOrganisationAdmin", [3, next.address])))
        .to.emit(registry, "OrganisationAdminChanged")
        .withArgs(3, next.address);
      // The old admin is no longer the admin; the new one is, through the forwarder as well.
      await expect(relay(f, zeroAdmin, call(registry, "createEvent", [3, 0, EVENT, ethers.id("e")])))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownKey")
        .withArgs(zeroAdmin.address);
      await expect(relay(f, next, call(registry, "createEvent", [3, 0, EVENT, ethers.id("e")])))
        .to.emit(registry, "EventCreated")
        .withArgs(3, eventIdOf(3, 1), 0, EVENT, ethers.id("e"));
      expect(await balanceOf(next)).to.equal(0n);
    });

    it("a zero-ether governor accredits an organisation, and a relayed non-governor cannot", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, zeroKey } = f;
      const governor = ethers.Wallet.createRandom();
      // The fixture's registry has no admin delay: a scheduled grant is ready at once.
      await registry.scheduleRoleGrant(GOVERNOR_ROLE, governor.address);
      await registry.grantRole(GOVERNOR_ROLE, governor.address);
      const admin = ethers.Wallet.createRandom().address;
      const number = freshOrgNumber();
      await expect(relay(f, zeroKey, call(registry, "accreditOrganisation", [admin, ethers.id("p"), number])))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(zeroKey.address, GOVERNOR_ROLE);
      await expect(
        relay(f, governor, call(registry, "accreditOrganisation", [admin, ethers.id("p"), number])),
      )
        .to.emit(registry, "OrganisationAccredited")
        .withArgs(4, admin, ethers.id("p"), number);
      await expect(relay(f, governor, call(registry, "suspendOrganisation", [4])))
        .to.emit(registry, "OrganisationSuspended")
        .withArgs(4);
      expect(await balanceOf(governor)).to.equal(0n);
    });
  });

  describe("what a relayed request may not do", () => {
    it("a key of organisation 1 cannot act for organisation 2 (the registry's own error is bubbled)", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, forwarder, zeroKey, otherKey, otherEvent } = f;
      const theirs = randomCommitment();
      await registry.connect(otherKey).issue(theirs, otherEvent, 0);
      const attempts: [string, unknown[]][] = [
        ["createEvent", [2, 0, EVENT, ethers.id("x")]],
        ["updateEventMetadata", [otherEvent, ethers.id("x")]],
        ["revoke", [2, theirs, 1]],
        ["supersede", [2, theirs, ethers.ZeroHash, theirs]],
      ];
      for (const [name, args] of attempts) {
        await expect(relay(f, zeroKey, call(registry, name, args)))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
          .withArgs(zeroKey.address);
      }
      // An admin of organisation 3 cannot authorise keys of organisation 2 either.
      const newKey = ethers.Wallet.createRandom();
      const consent = await signConsent(newKey, registry, 2);
      await expect(relay(f, f.zeroAdmin, call(registry, "authoriseKey", [2, newKey.address, 0, 0, consent])))
        .to.be.revertedWithCustomError(registry, "IntygRegistryUnauthorised")
        .withArgs(f.zeroAdmin.address);
      expect((await recordOf(registry, theirs, 2)).revokedAt).to.equal(0n);
      expect(await forwarder.nonces(zeroKey.address)).to.equal(0n);
    });

    it("refuses a request whose signature is not by `from`", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, forwarder, zeroKey } = f;
      const forger = ethers.Wallet.createRandom();
      const request = await signRequest(
        f,
        forger,
        call(registry, "createEvent", [1, 0, EVENT, ethers.id("x")]),
        {
          from: zeroKey.address,
        },
      );
      await expect(forwarder.connect(f.relayer).execute(request))
        .to.be.revertedWithCustomError(forwarder, "ERC2771ForwarderInvalidSigner")
        .withArgs(forger.address, zeroKey.address);
      expect((await registry.organisation(1)).eventCount).to.equal(3n);
    });

    it("refuses the replay of an executed request (its nonce is used)", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, forwarder, zeroKey } = f;
      const request = await signRequest(
        f,
        zeroKey,
        call(registry, "createEvent", [1, 0, EVENT, ethers.id("x")]),
      );
      await forwarder.connect(f.relayer).execute(request);
      expect(await forwarder.nonces(zeroKey.address)).to.equal(1n);
      // The signature now recovers to another address under the next nonce.
      expect(await forwarder.verify(request)).to.equal(false);
      await expect(forwarder.connect(f.relayer).execute(request)).to.be.revertedWithCustomError(
        forwarder,
        "ERC2771ForwarderInvalidSigner",
      );
      expect((await registry.organisation(1)).eventCount).to.equal(4n);
    });

    it("refuses an expired request", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, forwarder, zeroKey } = f;
      const deadline = (await now()) + 60n;
      const request = await signRequest(
        f,
        zeroKey,
        call(registry, "createEvent", [1, 0, EVENT, ethers.id("x")]),
        {
          deadline,
        },
      );
      await time.increase(120);
      await expect(forwarder.connect(f.relayer).execute(request))
        .to.be.revertedWithCustomError(forwarder, "ERC2771ForwarderExpiredRequest")
        .withArgs(deadline);
      expect(await forwarder.nonces(zeroKey.address)).to.equal(0n);
    });

    it("a request whose call fails keeps its nonce, and succeeds once the call can", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, forwarder, zeroKey } = f;
      const c = randomCommitment();
      const request = await signRequest(f, zeroKey, call(registry, "revoke", [1, c, 1]));
      await expect(forwarder.connect(f.relayer).execute(request))
        .to.be.revertedWithCustomError(registry, "IntygRegistryNotAnchored")
        .withArgs(1, c);
      expect(await forwarder.nonces(zeroKey.address)).to.equal(0n);
      await issueSignedBy(f, zeroKey, c);
      await expect(forwarder.connect(f.relayer).execute(request))
        .to.emit(registry, "CredentialRevoked")
        .withArgs(c);
      expect(await forwarder.nonces(zeroKey.address)).to.equal(1n);
    });

    it("refuses issue and anchorBatch through the forwarder, even from a valid key: the forwarder is not a key", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, forwarderAddress, zeroKey, key, conference } = f;
      for (const signer of [zeroKey, key]) {
        const c = randomCommitment();
        await expect(relay(f, signer, call(registry, "issue", [c, conference, 0])))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownKey")
          .withArgs(forwarderAddress);
        await expect(relay(f, signer, call(registry, "anchorBatch", [c, conference, 0, 8])))
          .to.be.revertedWithCustomError(registry, "IntygRegistryUnknownKey")
          .withArgs(forwarderAddress);
        expect((await recordOf(registry, c)).issuedAt).to.equal(0n);
      }
    });

    it("believes the appended 20 bytes from the trusted forwarder only, not from another account or contract", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, key, orgAdmin, other, conference, relayer } = f;
      const c = randomCommitment();
      await registry.connect(key).issue(c, conference, 0);
      const caller = (await (
        await ethers.getContractFactory("MockCaller")
      ).deploy()) as unknown as MockCaller;
      const callerAddress = await caller.getAddress();
      const newKey = ethers.Wallet.createRandom();
      const consent = await signConsent(newKey, registry, 1);
      // Each call claims, in its last 20 bytes, to come from the key that anchored `c` or from the admin.
      const claims: [string, string, string][] = [
        [call(registry, "revoke", [1, c, 1]), key.address, "IntygRegistryUnauthorised"],
        [
          call(registry, "createEvent", [1, 0, EVENT, ethers.id("x")]),
          key.address,
          "IntygRegistryUnknownKey",
        ],
        [
          call(registry, "authoriseKey", [1, newKey.address, 0, 0, consent]),
          orgAdmin.address,
          "IntygRegistryUnauthorised",
        ],
        [call(registry, "removeKey", [key.address]), orgAdmin.address, "IntygRegistryUnauthorised"],
      ];
      for (const [data, claimed, error] of claims) {
        const suffixed = ethers.concat([data, claimed]);
        await expect(other.sendTransaction({ to: f.address, data: suffixed }))
          .to.be.revertedWithCustomError(registry, error)
          .withArgs(other.address);
        await expect(caller.connect(relayer).forward(f.address, suffixed))
          .to.be.revertedWithCustomError(registry, error)
          .withArgs(callerAddress);
      }
      // A forwarder the registry did not deploy will not even call it.
      const foreign = (await (
        await ethers.getContractFactory("IntygForwarder")
      ).deploy()) as unknown as IntygForwarder;
      const request = await signRequest(
        { ...f, forwarder: foreign, forwarderAddress: await foreign.getAddress() },
        key,
        call(registry, "revoke", [1, c, 1]),
      );
      await expect(foreign.connect(relayer).execute(request))
        .to.be.revertedWithCustomError(foreign, "ERC2771UntrustfulTarget")
        .withArgs(f.address, await foreign.getAddress());
      expect((await recordOf(registry, c)).revokedAt).to.equal(0n);
      expect(await registry.isKeyValidAt(key.address, 1, await time.latest())).to.equal(true);
    });
  });

  describe("trust", () => {
    it("trusts the forwarder it deployed first, and no other address", async () => {
      const f = await loadFixture(deployWithForwarder);
      const { registry, forwarderAddress, soulbound } = f;
      // The registry's first CREATE (a contract's nonce starts at 1) is the forwarder, its second the token.
      expect(forwarderAddress).to.equal(ethers.getCreateAddress({ from: f.address, nonce: 1 }));
      expect(await soulbound.getAddress()).to.equal(ethers.getCreateAddress({ from: f.address, nonce: 2 }));
      expect(await registry.trustedForwarder()).to.equal(forwarderAddress);
      expect(await registry.isTrustedForwarder(forwarderAddress)).to.equal(true);
      const foreign = await (await ethers.getContractFactory("IntygForwarder")).deploy();
      for (const address of [
        ethers.ZeroAddress,
        f.address,
        await soulbound.getAddress(),
        await foreign.getAddress(),
        f.governor.address,
        f.relayer.address,
      ]) {
        expect(await registry.isTrustedForwarder(address)).to.equal(false);
      }
      expect((await f.forwarder.eip712Domain()).name).to.equal("IntygForwarder");
    });
  });
});

describe("IntygOrganisations' ERC-2771 context", () => {
  async function deployContext() {
    const [admin, other] = await ethers.getSigners();
    const registry = await (await ethers.getContractFactory("IntygRegistryContext")).deploy(admin!.address);
    const forwarder = await registry.trustedForwarder();
    return { registry, forwarder, admin: admin!, other: other! };
  }

  it("gives a forwarded call's data without the signer's 20 bytes, and any other call's as it came", async () => {
    const { registry, forwarder, other } = await loadFixture(deployContext);
    expect(await registry.exposedContextSuffixLength()).to.equal(20n);
    const selector = registry.interface.getFunction("exposedMsgData").selector;
    const call = async (from: string, data: string) =>
      registry.interface.decodeFunctionResult(
        "exposedMsgData",
        await ethers.provider.call({ from, to: await registry.getAddress(), data }),
      )[0] as string;
    const suffixed = ethers.concat([selector, other.address]);
    // From the trusted forwarder: the suffix is the signer's, not the call's.
    expect(await call(forwarder, suffixed)).to.equal(selector);
    // From anyone else: appended bytes are part of the call.
    expect(await call(other.address, suffixed)).to.equal(suffixed.toLowerCase());
    expect(await call(other.address, selector)).to.equal(selector);
  });
});
