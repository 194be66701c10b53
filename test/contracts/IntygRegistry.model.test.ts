// Model-based property test: long random sequences of accreditation, suspension, key changes, event
// creation, issuance, batch anchoring, revocation, supersession and governance (profile proposals and approvals,
// attempts to take an organisation over) run against the registry and against a plain TypeScript model of its
// rules, with several organisations anchoring the same commitments in their own namespaces. After every step the
// two must agree: the same calls succeed, and every record, key, profile and organisation reads the same.

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import type { IntygRegistry } from "../../typechain-types";
import { authorise as authoriseWithConsent, freshOrgNumber } from "./fixtures";

const FOREVER = 2 ** 40 - 1;
const ADMINS = 3; // signers 1..3
const KEYS = 6; // signers 4..9
const COMMITMENTS = Array.from({ length: 5 }, (_, i) =>
  ethers.keccak256(ethers.toUtf8Bytes(`commitment-${i}`)),
);
const LEAVES = Array.from({ length: 3 }, (_, i) => ethers.keccak256(ethers.toUtf8Bytes(`leaf-${i}`)));

type OrgModel = {
  admin: number;
  status: 1 | 2;
  eventCount: number;
  keys: number[];
  profile: string;
  pending: string;
};
type KeyModel = { org: number; validFrom: number; validUntil: number; suspended: boolean; index: number };
type RecordModel = {
  eventId: bigint;
  issuedAt: number;
  validUntil: number;
  revokedAt: number;
  reason: number;
  batchSize: number;
  /** The key slot that anchored it. */
  anchoredBy: number;
};
type Model = {
  now: number;
  orgs: OrgModel[]; // index = organisation id - 1
  keys: (KeyModel | undefined)[]; // index = key slot
  events: Map<bigint, { kind: 1 | 2 }>;
  /** By `${organisation}:${commitment}`: each organisation has its own namespace. */
  records: Map<string, RecordModel>;
  leafRevocations: Map<string, { revokedAt: number; reason: number }>;
  supersededBy: Map<string, string>;
};
type Real = {
  registry: IntygRegistry;
  governor: HardhatEthersSigner;
  admins: HardhatEthersSigner[];
  keys: HardhatEthersSigner[];
};

function eventIdOf(org: number, sequence: number): bigint {
  return (BigInt(org) << 32n) | BigInt(sequence);
}

function keyValidNow(m: Model, slot: number, org: number): boolean {
  const key = m.keys[slot];
  return (
    !!key &&
    org !== 0 &&
    key.org === org &&
    !key.suspended &&
    key.validFrom <= m.now &&
    m.now < key.validUntil
  );
}

function adminOf(m: Model, org: number): number | undefined {
  return org >= 1 && org <= m.orgs.length ? m.orgs[org - 1]!.admin : undefined;
}

/** A step: what the model predicts (apply or undefined when it must revert) and what the chain does. */
type Step = {
  label: string;
  predict(m: Model): ((m: Model) => void) | undefined;
  send(r: Real): Promise<unknown>;
};

const orgIndex = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 2 }) },
  fc.integer({ min: 1, max: 4 }),
);
const keySlot = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 }) },
  fc.integer({ min: 0, max: KEYS - 1 }),
);
const adminSlot = fc.integer({ min: 0, max: ADMINS - 1 });
const commitmentIndex = fc.integer({ min: 0, max: COMMITMENTS.length - 1 });
const eventRef = fc.record({
  org: orgIndex,
  sequence: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 2 }) },
    fc.integer({ min: 0, max: 4 }),
  ),
});
const reason = fc.integer({ min: 0, max: 6 });

const steps: fc.Arbitrary<(m: Model) => Step>[] = [
  adminSlot.map((admin) => () => ({
    label: `accredit(admin ${admin})`,
    predict: () => (m) => {
      m.orgs.push({
        admin,
        status: 1,
        eventCount: 0,
        keys: [],
        profile: ethers.id(`p${admin}`),
        pending: "",
      });
    },
    send: (r) =>
      r.registry
        .connect(r.governor)
        .accreditOrganisation(r.admins[admin]!.address, ethers.id(`p${admin}`), freshOrgNumber()),
  })),
  fc.tuple(orgIndex, fc.boolean()).map(([org, suspend]) => () => ({
    label: `${suspend ? "suspend" : "reinstate"}(${org})`,
    predict: (m) => {
      const o = m.orgs[org - 1];
      if (!o || (suspend ? o.status === 2 : o.status !== 2)) return undefined;
      return (m) => {
        const target = m.orgs[org - 1]!;
        target.status = suspend ? 2 : 1;
        for (const slot of target.keys) m.keys[slot]!.suspended = suspend;
      };
    },
    send: (r) =>
      suspend
        ? r.registry.connect(r.governor).suspendOrganisation(org)
        : r.registry.connect(r.governor).reinstateOrganisation(org),
  })),
  fc
    .record({
      org: orgIndex,
      slot: keySlot,
      sender: adminSlot,
      from: fc.constantFrom(-100, 0, 50),
      until: fc.constantFrom(0, 30, 400),
    })
    .map(({ org, slot, sender, from, until }) => (m0: Model) => {
      const validFrom = Math.max(0, m0.now + from);
      const validUntil = until === 0 ? 0 : m0.now + until;
      return {
        label: `authoriseKey(org ${org}, key ${slot}, by admin ${sender}, ${validFrom}..${validUntil})`,
        predict: (m) => {
          const o = m.orgs[org - 1];
          const end = validUntil === 0 ? FOREVER : validUntil;
          if (
            !o ||
            o.admin !== sender ||
            o.status !== 1 ||
            m.keys[slot] ||
            validFrom >= end ||
            o.keys.length >= 32
          ) {
            return undefined;
          }
          return (m) => {
            m.orgs[org - 1]!.keys.push(slot);
            m.keys[slot] = {
              org,
              validFrom,
              validUntil: end,
              suspended: false,
              index: m.orgs[org - 1]!.keys.length - 1,
            };
          };
        },
        send: (r) =>
          authoriseWithConsent(r.registry, r.admins[sender]!, org, r.keys[slot]!, validFrom, validUntil),
      };
    }),
  fc.tuple(keySlot, fc.boolean(), adminSlot).map(([slot, bySelf, admin]) => () => ({
    label: `removeKey(key ${slot}, by ${bySelf ? "itself" : `admin ${admin}`})`,
    predict: (m) => {
      const key = m.keys[slot];
      if (!key) return undefined;
      if (!bySelf && adminOf(m, key.org) !== admin) return undefined;
      if (key.validUntil <= m.now || key.validUntil <= key.validFrom) return undefined;
      return (m) => {
        const k = m.keys[slot]!;
        k.validUntil = Math.max(k.validFrom, m.now);
      };
    },
    send: (r) =>
      r.registry.connect(bySelf ? r.keys[slot]! : r.admins[admin]!).removeKey(r.keys[slot]!.address),
  })),
  fc
    .record({
      org: orgIndex,
      byKey: fc.option(keySlot, { nil: undefined }),
      admin: adminSlot,
      kind: fc.constantFrom(0, 1, 2),
      parent: fc.option(eventRef, { nil: undefined }),
    })
    .map(({ org, byKey, admin, kind, parent }) => () => {
      const parentId = parent ? eventIdOf(parent.org, parent.sequence) : 0n;
      return {
        label: `createEvent(org ${org}, kind ${kind}, parent ${parentId}, by ${byKey === undefined ? `admin ${admin}` : `key ${byKey}`})`,
        predict: (m) => {
          const o = m.orgs[org - 1];
          if (!o) return undefined;
          const authorised = byKey === undefined ? o.admin === admin : keyValidNow(m, byKey, org) || false;
          // The admin check comes first on chain: a key whose address is not the admin must be valid.
          if (!authorised || o.status !== 1 || kind === 0) return undefined;
          if (parentId !== 0n && (parent!.org !== org || m.events.get(parentId)?.kind !== 1))
            return undefined;
          return (m) => {
            const target = m.orgs[org - 1]!;
            target.eventCount += 1;
            m.events.set(eventIdOf(org, target.eventCount), { kind: kind as 1 | 2 });
          };
        },
        send: (r) =>
          r.registry
            .connect(byKey === undefined ? r.admins[admin]! : r.keys[byKey]!)
            .createEvent(org, parentId, kind, ethers.id("meta")),
      };
    }),
  fc
    .record({
      slot: keySlot,
      event: eventRef,
      c: commitmentIndex,
      batch: fc.constantFrom(0, 0, 5),
      expiry: fc.constantFrom(0, 0, -1, 100),
    })
    .map(({ slot, event, c, batch, expiry }) => (m0: Model) => {
      const eventId = eventIdOf(event.org, event.sequence);
      const validUntil = expiry === 0 ? 0 : m0.now + expiry;
      return {
        label: `${batch ? "anchorBatch" : "issue"}(key ${slot}, event ${eventId}, c${c}, validUntil ${validUntil})`,
        predict: (m) => {
          const key = m.keys[slot];
          if (!key || key.org !== event.org || event.sequence === 0) return undefined;
          if (!keyValidNow(m, slot, event.org)) return undefined;
          if (validUntil !== 0 && validUntil <= m.now) return undefined;
          if (m.records.has(`${event.org}:${COMMITMENTS[c]}`)) return undefined;
          return (m) => {
            m.records.set(`${event.org}:${COMMITMENTS[c]}`, {
              eventId,
              issuedAt: m.now,
              validUntil,
              revokedAt: 0,
              reason: 0,
              batchSize: batch,
              anchoredBy: slot,
            });
          };
        },
        send: (r) =>
          batch
            ? r.registry.connect(r.keys[slot]!).anchorBatch(COMMITMENTS[c]!, eventId, validUntil, batch)
            : r.registry.connect(r.keys[slot]!).issue(COMMITMENTS[c]!, eventId, validUntil),
      };
    }),
  fc
    .record({
      org: orgIndex,
      byKey: fc.option(keySlot, { nil: undefined }),
      admin: adminSlot,
      c: commitmentIndex,
      reason,
      leaf: fc.option(fc.integer({ min: 0, max: LEAVES.length - 1 }), { nil: undefined, freq: 2 }),
    })
    .map(({ org, byKey, admin, c, reason, leaf }) => () => ({
      label: `${leaf === undefined ? "revoke" : "revokeLeaf"}(org ${org}, c${c}${leaf === undefined ? "" : `, leaf ${leaf}`}, reason ${reason}, by ${byKey === undefined ? `admin ${admin}` : `key ${byKey}`})`,
      predict: (m) => {
        const rec = m.records.get(`${org}:${COMMITMENTS[c]}`);
        if (reason === 0 || !rec) return undefined;
        // The admin revokes anything of its organisation; a key only what it anchored itself.
        const authorised =
          (byKey !== undefined && byKey === rec.anchoredBy && keyValidNow(m, byKey, org)) ||
          (byKey === undefined && adminOf(m, org) === admin);
        if (leaf === undefined) {
          if (rec.revokedAt !== 0 || !authorised) return undefined;
          return (m) => {
            const target = m.records.get(`${org}:${COMMITMENTS[c]}`)!;
            target.revokedAt = m.now;
            target.reason = reason;
          };
        }
        if (rec.batchSize === 0 || rec.revokedAt !== 0 || !authorised) return undefined;
        const k = `${org}:${COMMITMENTS[c]}:${LEAVES[leaf]}`;
        if (m.leafRevocations.has(k)) return undefined;
        return (m) => {
          m.leafRevocations.set(k, { revokedAt: m.now, reason });
        };
      },
      send: (r) => {
        const sender = byKey === undefined ? r.admins[admin]! : r.keys[byKey]!;
        return leaf === undefined
          ? r.registry.connect(sender).revoke(org, COMMITMENTS[c]!, reason)
          : r.registry.connect(sender).revokeLeaf(org, COMMITMENTS[c]!, LEAVES[leaf]!, reason);
      },
    })),
  fc
    .record({ org: orgIndex, slot: keySlot, c: commitmentIndex, next: commitmentIndex })
    .map(({ org, slot, c, next }) => () => ({
      label: `supersede(org ${org}, c${c} by c${next}, key ${slot})`,
      predict: (m) => {
        const old = m.records.get(`${org}:${COMMITMENTS[c]}`);
        const replacement = m.records.get(`${org}:${COMMITMENTS[next]}`);
        // The replacement must still be in force after the old one is revoked: nothing replaces itself.
        if (old?.revokedAt !== 0) return undefined;
        if (old.anchoredBy !== slot || !keyValidNow(m, slot, org)) return undefined;
        if (replacement?.revokedAt !== 0 || c === next) return undefined;
        return (m) => {
          const target = m.records.get(`${org}:${COMMITMENTS[c]}`)!;
          target.revokedAt = m.now;
          target.reason = 2;
          m.supersededBy.set(`${org}:${COMMITMENTS[c]}`, COMMITMENTS[next]!);
        };
      },
      send: (r) =>
        r.registry
          .connect(r.keys[slot]!)
          .supersede(org, COMMITMENTS[c]!, ethers.ZeroHash, COMMITMENTS[next]!),
    })),
  // Governance: an admin proposes a profile, governance approves what was proposed (and nothing else).
  fc
    .record({ org: orgIndex, admin: adminSlot, approve: fc.boolean(), p: fc.integer({ min: 0, max: 2 }) })
    .map(({ org, admin, approve, p }) => () => {
      const hash = ethers.id(`profile-${p}`);
      return {
        label: `${approve ? "approveProfile" : "proposeProfile"}(org ${org}, profile ${p}${approve ? "" : `, by admin ${admin}`})`,
        predict: (m) => {
          const o = m.orgs[org - 1];
          if (!o) return undefined;
          if (approve) {
            if (o.pending !== hash) return undefined;
            return (m) => {
              const target = m.orgs[org - 1]!;
              target.profile = hash;
              target.pending = "";
            };
          }
          if (o.admin !== admin) return undefined;
          return (m) => {
            m.orgs[org - 1]!.pending = hash;
          };
        },
        send: (r) =>
          approve
            ? r.registry.connect(r.governor).approveOrganisationProfile(org, hash)
            : r.registry.connect(r.admins[admin]!).proposeOrganisationProfile(org, hash),
      };
    }),
  // Governance trying to act in an organisation's name: take over its admin, or authorise its own key.
  fc.record({ org: orgIndex, takeover: fc.boolean() }).map(({ org, takeover }) => () => ({
    label: `governor${takeover ? "TakesOverAdmin" : "AuthorisesKey"}(org ${org})`,
    predict: () => undefined,
    send: async (r) =>
      takeover
        ? r.registry.connect(r.governor).changeOrganisationAdmin(org, r.governor.address)
        : authoriseWithConsent(r.registry, r.governor, org, r.governor, 0, 0),
  })),
  fc.integer({ min: 1, max: 300 }).map((seconds) => () => ({
    label: `wait(${seconds}s)`,
    predict: () => (m) => {
      m.now += seconds - 1; // the next step adds the last second
    },
    send: async () => undefined,
  })),
];

/** A starting state that issuance can build on: two organisations with keys, events and a course. */
const prelude: ((m: Model) => Step)[] = [
  (m) => pick(steps[0]!, 0, m), // accredit(admin 0) → org 1
  (m) => pick(steps[0]!, 1, m), // accredit(admin 1) → org 2
  () => authorise(1, 0, 0),
  () => authorise(1, 1, 0),
  () => authorise(2, 2, 1),
  () => createEvent(1, 0, 1),
  () => createEvent(1, 0, 2),
  () => createEvent(2, 1, 1),
  () => anchor(0, eventIdOf(1, 1), 0, 0),
  () => anchor(0, eventIdOf(1, 2), 1, 5),
  () => anchor(2, eventIdOf(2, 1), 2, 0),
  // The same commitment in another organisation's namespace.
  () => anchor(2, eventIdOf(2, 1), 0, 5),
];

function anchor(slot: number, eventId: bigint, c: number, batchSize: number): Step {
  return {
    label: `${batchSize ? "anchorBatch" : "issue"}(key ${slot}, c${c})`,
    predict: () => (m) => {
      m.records.set(`${Number(eventId >> 32n)}:${COMMITMENTS[c]}`, {
        eventId,
        issuedAt: m.now,
        validUntil: 0,
        revokedAt: 0,
        reason: 0,
        batchSize,
        anchoredBy: slot,
      });
    },
    send: (r) =>
      batchSize
        ? r.registry.connect(r.keys[slot]!).anchorBatch(COMMITMENTS[c]!, eventId, 0, batchSize)
        : r.registry.connect(r.keys[slot]!).issue(COMMITMENTS[c]!, eventId, 0),
  };
}

function pick(_arb: unknown, admin: number, _m: Model): Step {
  return {
    label: `accredit(admin ${admin})`,
    predict: () => (m) => {
      m.orgs.push({
        admin,
        status: 1,
        eventCount: 0,
        keys: [],
        profile: ethers.id(`p${admin}`),
        pending: "",
      });
    },
    send: (r) =>
      r.registry
        .connect(r.governor)
        .accreditOrganisation(r.admins[admin]!.address, ethers.id(`p${admin}`), freshOrgNumber()),
  };
}

function authorise(org: number, slot: number, admin: number): Step {
  return {
    label: `authoriseKey(org ${org}, key ${slot})`,
    predict: () => (m) => {
      m.orgs[org - 1]!.keys.push(slot);
      m.keys[slot] = {
        org,
        validFrom: 0,
        validUntil: FOREVER,
        suspended: false,
        index: m.orgs[org - 1]!.keys.length - 1,
      };
    },
    send: (r) => authoriseWithConsent(r.registry, r.admins[admin]!, org, r.keys[slot]!, 0, 0),
  };
}

function createEvent(org: number, admin: number, kind: 1 | 2): Step {
  return {
    label: `createEvent(org ${org}, kind ${kind})`,
    predict: () => (m) => {
      const target = m.orgs[org - 1]!;
      target.eventCount += 1;
      m.events.set(eventIdOf(org, target.eventCount), { kind });
    },
    send: (r) => r.registry.connect(r.admins[admin]!).createEvent(org, 0, kind, ethers.id("meta")),
  };
}

async function compare(m: Model, r: Real, full: boolean): Promise<void> {
  expect(Number(await r.registry.organisationCount())).to.equal(m.orgs.length, "organisation count");
  for (let id = 1; id <= m.orgs.length; id++) {
    const o = await r.registry.organisation(id);
    const mo = m.orgs[id - 1]!;
    expect([Number(o.status), Number(o.eventCount), o.admin, o.profileHash]).to.deep.equal(
      [mo.status, mo.eventCount, r.admins[mo.admin]!.address, mo.profile],
      `organisation ${id}`,
    );
    expect(await r.registry.pendingOrganisationProfile(id)).to.equal(mo.pending || ethers.ZeroHash);
  }
  for (let slot = 0; slot < KEYS; slot++) {
    const k = await r.registry.signingKey(r.keys[slot]!.address);
    const mk = m.keys[slot];
    expect([Number(k.organisationId), Number(k.validFrom), Number(k.validUntil), k.suspended]).to.deep.equal(
      mk ? [mk.org, mk.validFrom, mk.validUntil, mk.suspended] : [0, 0, 0, false],
      `key ${slot}`,
    );
  }
  for (let org = 1; org <= Math.max(2, m.orgs.length); org++)
    for (const c of COMMITMENTS) {
      const rec = await r.registry.record(org, c);
      const mr = m.records.get(`${org}:${c}`);
      expect([
        rec.eventId,
        Number(rec.issuedAt),
        Number(rec.validUntil),
        Number(rec.revokedAt),
        Number(rec.revocationReason),
        Number(rec.batchSize),
        Number(rec.anchoredBy),
      ]).to.deep.equal(
        mr
          ? [
              mr.eventId,
              mr.issuedAt,
              mr.validUntil,
              mr.revokedAt,
              mr.reason,
              mr.batchSize,
              m.keys[mr.anchoredBy]!.index + 1,
            ]
          : [0n, 0, 0, 0, 0, 0, 0],
        `record ${c}`,
      );
      if (!full) continue;
      expect(await r.registry.supersededBy(org, c, ethers.ZeroHash)).to.equal(
        m.supersededBy.get(`${org}:${c}`) ?? ethers.ZeroHash,
      );
      for (const leaf of LEAVES) {
        const lr = await r.registry.leafRevocation(org, c, leaf);
        const ml = m.leafRevocations.get(`${org}:${c}:${leaf}`);
        expect([Number(lr.revokedAt), Number(lr.reason)]).to.deep.equal(
          ml ? [ml.revokedAt, ml.reason] : [0, 0],
        );
      }
    }
}

async function deploy() {
  const signers = await ethers.getSigners();
  const registry = (await (
    await ethers.getContractFactory("IntygRegistry")
  ).deploy(0, signers[0]!.address)) as unknown as IntygRegistry;
  await registry.waitForDeployment();
  return {
    registry,
    governor: signers[0]!,
    admins: signers.slice(1, 1 + ADMINS),
    keys: signers.slice(1 + ADMINS, 1 + ADMINS + KEYS),
  };
}

const stats: Record<string, number> = {};
// accredit, suspend/reinstate, authoriseKey, removeKey, createEvent, issue/anchorBatch, revoke/revokeLeaf, supersede,
// wait, propose/approve profile, governance takeover attempts
const WEIGHTS = [1, 1, 2, 1, 2, 8, 5, 2, 2, 2, 1];

describe("IntygRegistry model", function () {
  after(() => {
    if (process.env.MODEL_STATS) console.log(stats);
  });
  this.timeout(600_000);

  it("agrees with a plain TypeScript model over random sequences of operations", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(...steps.map((arbitrary, i) => ({ arbitrary, weight: WEIGHTS[i]! }))), {
          minLength: 15,
          maxLength: 40,
          size: "max",
        }),
        async (makers) => {
          const real = await loadFixture(deploy);
          const model: Model = {
            now: 0,
            orgs: [],
            keys: [],
            events: new Map(),
            records: new Map(),
            leafRevocations: new Map(),
            supersededBy: new Map(),
          };
          const trail: string[] = [];
          for (const make of [...prelude, ...makers]) {
            model.now = Math.max(model.now, await time.latest()) + 1;
            await time.setNextBlockTimestamp(model.now);
            const step = make(model);
            trail.push(step.label);
            const apply = step.predict(model);
            let reverted = false;
            try {
              const tx = (await step.send(real)) as { wait?: () => Promise<unknown> } | undefined;
              if (tx?.wait) await tx.wait();
              else await ethers.provider.send("evm_mine", []);
            } catch (error) {
              if (!String(error).includes("revert")) throw error;
              reverted = true;
              await ethers.provider.send("evm_mine", []);
            }
            expect(reverted, `${trail.join(" → ")}: chain ${reverted ? "reverted" : "accepted"}`).to.equal(
              apply === undefined,
            );
            apply?.(model);
            const kind = step.label.split("(")[0]!;
            stats[`${kind} ${apply ? "ok" : "rejected"}`] =
              (stats[`${kind} ${apply ? "ok" : "rejected"}`] ?? 0) + 1;
            await compare(model, real, false);
          }
          await compare(model, real, true);
        },
      ),
      { numRuns: 15 },
    );
  });
});
