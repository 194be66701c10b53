import { checkIntegrity, verifyBatchProof } from "@intyg/credential";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { REVOCATION_REASONS } from "@intyg/registry";
import { expect } from "chai";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

type Resource = {
  id: string;
  status: string;
  commitment: Hex;
  batch: { root: Hex; leaf: Hex; proof: Hex[] } | null;
  revocation: { reason: string; status: string } | null;
  supersedes: string | null;
  supersededBy: string | null;
  erasedAt: string | null;
  holderUrl: string | null;
  credential: Record<string, unknown> | null;
};

const ZERO = `0x${"0".repeat(64)}` as Hex;

for (const kind of STORE_KINDS) {
  describe(`revoke, re-issue and erase (${kind})`, () => {
    let h: AppHarness;
    let eventId: string;
    let ids: string[];
    const get = async (id: string) => expectJson<Resource>(await h.call("GET", `/v1/credentials/${id}`), 200);
    const settle = async () => {
      await h.worker.runOnce();
      await h.worker.runOnce();
    };

    before(async () => {
      h = await createAppHarness(kind, { autoStartWorker: false });
      eventId = (
        await expectJson<{ id: string }>(
          await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
          201,
        )
      ).id;
      const bulk = await expectJson<{ credentials: { id: string }[] }>(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body: {
            attendees: Array.from({ length: 6 }, (_, i) => ({
              subject: { name: `Anna Ödman ${i}`, email: `anna${i}@example.se` },
            })),
          },
          headers: { "idempotency-key": "rev" },
        }),
        201,
      );
      ids = bulk.credentials.map((c) => c.id);
      await settle();
      for (const id of ids) expect((await get(id)).status).to.equal("anchored");
    });
    after(async () => {
      await h?.close();
    });

    it("revokes a batch member on chain with revokeLeaf and its reason code; the others stay valid", async () => {
      const queued = await h.call("POST", `/v1/credentials/${ids[0]}/revoke`, {
        body: { reason: "issuedInError" },
      });
      const body = await expectJson<Resource>(queued, 202);
      expect(body.revocation).to.deep.include({ reason: "issuedInError", status: "requested" });
      await settle();
      const revoked = await get(ids[0]!);
      expect(revoked.revocation!.status).to.equal("confirmed");
      const onChain = await h.chain.leafRevocation(
        h.deployment.organisationId,
        revoked.batch!.root,
        revoked.batch!.leaf,
      );
      expect(onChain.reason).to.equal(REVOCATION_REASONS.issuedInError);
      expect(onChain.revokedAt).to.be.greaterThan(0);
      const other = await get(ids[3]!);
      expect(
        (await h.chain.leafRevocation(h.deployment.organisationId, other.batch!.root, other.batch!.leaf))
          .revokedAt,
      ).to.equal(0);
      expect((await h.chain.record(h.deployment.organisationId, other.batch!.root)).revokedAt).to.equal(0);
      // Asking again with the same reason changes nothing; another reason is a conflict.
      expect(
        (await h.call("POST", `/v1/credentials/${ids[0]}/revoke`, { body: { reason: "issuedInError" } }))
          .status,
      ).to.equal(200);
      await expectProblem(
        await h.call("POST", `/v1/credentials/${ids[0]}/revoke`, { body: { reason: "fraud" } }),
        409,
      );
      await expectProblem(
        await h.call("POST", `/v1/credentials/${ids[0]}/revoke`, { body: { reason: "bored" } }),
        400,
      );
    });

    it("re-issues a corrected credential and records supersede(root, leaf, replacement) on chain", async () => {
      const created = await h.call("POST", `/v1/credentials/${ids[1]}/reissue`, {
        body: { subject: { name: "Anna Ödman-Berg", email: "anna1@example.se" } },
      });
      const replacement = await expectJson<Resource>(created, 201);
      expect(replacement.supersedes).to.equal(ids[1]);
      expect((replacement.credential!.credentialSubject as { name: string }).name).to.equal(
        "Anna Ödman-Berg",
      );
      await settle();
      const old = await get(ids[1]!);
      const fresh = await get(replacement.id);
      expect(fresh.status).to.equal("anchored");
      expect(old.supersededBy).to.equal(replacement.id);
      expect(old.revocation).to.deep.include({ reason: "superseded", status: "confirmed" });
      expect(
        await h.chain.supersededBy(h.deployment.organisationId, old.batch!.root, old.batch!.leaf),
      ).to.equal(fresh.commitment);
      expect(
        (await h.chain.leafRevocation(h.deployment.organisationId, old.batch!.root, old.batch!.leaf)).reason,
      ).to.equal(REVOCATION_REASONS.superseded);
      expect(
        (await h.chain.record(h.deployment.organisationId, fresh.commitment)).issuedAt,
      ).to.be.greaterThan(0);
      await expectProblem(await h.call("POST", `/v1/credentials/${ids[1]}/reissue`, { body: {} }), 409);
    });

    it("re-issues a single credential too (supersede with a zero leaf)", async () => {
      const single = await expectJson<Resource>(
        await h.call("POST", `/v1/events/${eventId}/credentials`, {
          body: { subject: { name: "Enskild" }, holder: privateKeyToAccount(DEV_PRIVATE_KEYS[5]).address },
        }),
        201,
      );
      await settle();
      const replacement = await expectJson<Resource>(
        await h.call("POST", `/v1/credentials/${single.id}/reissue`, { body: {} }),
        201,
      );
      await settle();
      const fresh = await get(replacement.id);
      expect(await h.chain.supersededBy(h.deployment.organisationId, single.commitment, ZERO)).to.equal(
        fresh.commitment,
      );
      expect(
        (await h.chain.record(h.deployment.organisationId, single.commitment)).revocationReason,
      ).to.equal(REVOCATION_REASONS.superseded);
    });

    it("revokes a single credential with revoke(commitment, code)", async () => {
      const single = await expectJson<Resource>(
        await h.call("POST", `/v1/events/${eventId}/credentials`, {
          body: { subject: { name: "Bedragare" }, holder: privateKeyToAccount(DEV_PRIVATE_KEYS[4]).address },
        }),
        201,
      );
      await settle();
      await expectJson(
        await h.call("POST", `/v1/credentials/${single.id}/revoke`, { body: { reason: "fraud" } }),
        202,
      );
      await settle();
      const record = await h.chain.record(h.deployment.organisationId, single.commitment);
      expect(record.revocationReason).to.equal(REVOCATION_REASONS.fraud);
      expect((await get(single.id)).revocation!.status).to.equal("confirmed");
    });

    it("cancels a credential revoked before it was anchored: it never reaches the chain", async () => {
      const pending = await expectJson<Resource>(
        await h.call("POST", `/v1/events/${eventId}/credentials`, { body: { subject: { name: "Ångrad" } } }),
        201,
      );
      const revoked = await expectJson<Resource>(
        await h.call("POST", `/v1/credentials/${pending.id}/revoke`, { body: { reason: "withdrawn" } }),
        200,
      );
      expect(revoked.status).to.equal("cancelled");
      expect(revoked.revocation!.status).to.equal("confirmed");
      await settle();
      expect((await get(pending.id)).status).to.equal("cancelled");
      expect((await h.chain.record(h.deployment.organisationId, pending.commitment)).issuedAt).to.equal(0);
      const batches = await h.store.anchoring.listBatches(h.organisation.id);
      for (const batch of batches) {
        const members = await h.store.anchoring.batchMembers(batch.id);
        expect(members.map((m) => m.id)).not.to.include(pending.id);
      }
    });

    it("erases a credential's personal data; others verify as before; it can still be revoked", async () => {
      const before = await get(ids[2]!);
      const holderUrl = before.holderUrl!;
      const erased = await expectJson<Resource>(await h.call("POST", `/v1/credentials/${ids[2]}/erase`), 200);
      expect(erased.credential).to.equal(null);
      expect(erased.holderUrl).to.equal(null);
      expect(erased.erasedAt).to.be.a("string");
      expect(erased.batch).to.deep.equal(before.batch);
      const [row] = await h.store.db.query<Record<string, unknown>>(
        `SELECT document, recipient, holder_token, personal_enc, holder_token_hash,
                (SELECT terms FROM credential_search WHERE credential_id = c.id) AS search_terms
           FROM credentials c WHERE id = $1`,
        [ids[2]],
      );
      expect(Object.values(row!).every((v) => v === null)).to.equal(true);
      const dump = JSON.stringify(
        await h.store.db.query("SELECT * FROM credentials WHERE id = $1", [ids[2]]),
      );
      expect(dump).not.to.contain("Ödman 2");
      expect(dump).not.to.contain("anna2@example.se");
      await expectProblem(await h.call("GET", `/v1/credentials/${ids[2]}/pdf`), 410, "gone");
      await expectProblem(await h.call("GET", `/v1/credentials/${ids[2]}/share`), 410);
      await expectProblem(await h.call("GET", new URL(holderUrl).pathname), 404);
      // Everyone else in the batch is unaffected.
      for (const id of [ids[3]!, ids[4]!, ids[5]!]) {
        const other = await get(id);
        expect(checkIntegrity(other.credential).ok).to.equal(true);
        expect(verifyBatchProof(other.batch!.root, other.commitment, other.batch!.proof)).to.equal(true);
        expect(
          await h.chain.isBatchMember(
            h.deployment.organisationId,
            other.batch!.root,
            other.batch!.leaf,
            other.batch!.proof,
          ),
        ).to.equal(true);
        expect((await h.call("GET", `/v1/credentials/${id}/pdf`)).status).to.equal(200);
      }
      // Erased, and still revocable: the leaf and root were kept.
      await expectJson(
        await h.call("POST", `/v1/credentials/${ids[2]}/revoke`, { body: { reason: "withdrawn" } }),
        202,
      );
      await settle();
      expect(
        (await h.chain.leafRevocation(h.deployment.organisationId, before.batch!.root, before.batch!.leaf))
          .reason,
      ).to.equal(REVOCATION_REASONS.withdrawn);
      // A revoked credential cannot be superseded; an erased one only with the corrected subject.
      await expectProblem(await h.call("POST", `/v1/credentials/${ids[2]}/reissue`, { body: {} }), 409);
      await expectJson(await h.call("POST", `/v1/credentials/${ids[4]}/erase`), 200);
      const problem = await expectProblem(
        await h.call("POST", `/v1/credentials/${ids[4]}/reissue`, { body: {} }),
        422,
      );
      expect(problem.detail).to.match(/erased/);
      await expectJson(
        await h.call("POST", `/v1/credentials/${ids[4]}/reissue`, {
          body: { subject: { name: "Ny uppgift" } },
        }),
        201,
      );
    });

    it("erasing a credential before it is anchored cancels it", async () => {
      const pending = await expectJson<Resource>(
        await h.call("POST", `/v1/events/${eventId}/credentials`, { body: { subject: { name: "Glömd" } } }),
        201,
      );
      const erased = await expectJson<Resource>(
        await h.call("POST", `/v1/credentials/${pending.id}/erase`),
        200,
      );
      expect(erased.status).to.equal("cancelled");
      await settle();
      expect((await h.chain.record(h.deployment.organisationId, pending.commitment)).issuedAt).to.equal(0);
    });
  });
}
