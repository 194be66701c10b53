// What the service issues verifies with @intyg/verifier against the chain — batch members, single
// credentials, disclosed copies — and stops verifying once revoked.

import { discloseCredential } from "@intyg/credential";
import { createVcApiVerifier, type VerificationReport, verifyCredential } from "@intyg/verifier";
import { expect } from "chai";
import { createApp } from "../src/http/app";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson } from "./helpers/harness";

describe("credentials issued by the service verify with @intyg/verifier", () => {
  let h: AppHarness;
  let eventId: string;
  let ids: string[];
  const verify = (doc: unknown): Promise<VerificationReport> =>
    verifyCredential(doc, { rpcUrl: h.deployment.rpcUrl, registry: h.deployment.registry, lang: "en" });
  const failed = (report: VerificationReport) =>
    report.checks.filter((c) => c.status === "failed").map((c) => c.id);

  before(async () => {
    h = await createAppHarness("pglite", { autoStartWorker: false });
    eventId = (
      await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      )
    ).id;
    const bulk = await expectJson<{ credentials: { id: string }[] }>(
      await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
        body: {
          attendees: Array.from({ length: 25 }, (_, i) => ({
            subject: {
              name: `Verifierad ${i}`,
              email: `v${i}@example.se`,
              role: "participant",
              partsAttended: ["seminarier"],
            },
          })),
        },
        headers: { "idempotency-key": "verify" },
      }),
      201,
    );
    ids = bulk.credentials.map((c) => c.id);
    await h.worker.runOnce();
  });
  after(async () => {
    await h?.close();
  });

  const doc = async (id: string) =>
    (
      await expectJson<{ credential: Record<string, unknown> }>(
        await h.call("GET", `/v1/credentials/${id}`),
        200,
      )
    ).credential;

  it("a batch member verifies, and so does a copy that hides the e-mail", async () => {
    const credential = await doc(ids[0]!);
    const report = await verify(credential);
    expect(failed(report), JSON.stringify(report.checks)).to.deep.equal([]);
    expect(report.verified).to.equal(true);
    const disclosed = discloseCredential(credential as never, { hide: ["/credentialSubject/email"] });
    expect((await verify(disclosed)).verified).to.equal(true);
  });

  it("a single credential for a holder wallet and a VC-API credential verify", async () => {
    const single = await expectJson<{ id: string }>(
      await h.call("POST", `/v1/events/${eventId}/credentials`, {
        body: { subject: { name: "Plånbok" }, holder: "0x90F79bf6EB2c4f870365E785982E1f101E93b906" },
      }),
      201,
    );
    const vc = await expectJson<{ id: string }>(
      await h.call("POST", "/credentials/issue", {
        body: {
          credential: { credentialSubject: { name: "VC-API" } },
          options: { eventId, anchorWaitSeconds: 0 },
        },
      }),
      202,
    );
    await h.worker.runOnce();
    const report = await verify(await doc(single.id));
    expect(failed(report), JSON.stringify(report.checks)).to.deep.equal([]);
    expect((await verify(await doc(vc.id))).verified).to.equal(true);
  });

  it("a revoked batch member no longer verifies; its neighbours still do", async () => {
    await expectJson(
      await h.call("POST", `/v1/credentials/${ids[1]}/revoke`, { body: { reason: "issuedInError" } }),
      202,
    );
    await h.worker.runOnce();
    const revoked = await verify(await doc(ids[1]!));
    expect(revoked.verified).to.equal(false);
    expect(failed(revoked)).to.include("revocation");
    expect((await verify(await doc(ids[2]!))).verified).to.equal(true);
  });

  it("a tampered credential does not verify", async () => {
    const credential = (await doc(ids[3]!)) as { credentialSubject: Record<string, unknown> };
    credential.credentialSubject.name = "Någon annan";
    expect((await verify(credential)).verified).to.equal(false);
  });

  it("the verifier's VC-API adapter fits the service's deps.verifier hook", async () => {
    const app = createApp({
      ...h,
      verifier: createVcApiVerifier({ rpcUrl: h.deployment.rpcUrl, registry: h.deployment.registry }),
    });
    const response = await app.request("/credentials/verify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ verifiableCredential: await doc(ids[4]!), options: { lang: "en" } }),
    });
    const report = await expectJson<{ verified: boolean; problemDetails: unknown[] }>(response, 200);
    expect(report.problemDetails).to.deep.equal([]);
    expect(report.verified).to.equal(true);
  });
});
