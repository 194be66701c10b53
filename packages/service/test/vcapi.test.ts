import { type Credential, checkIntegrity, eventUrn, organisationUrn } from "@intyg/credential";
import { expect } from "chai";
import type { CredentialVerifier } from "../src/http/context";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";

describe("VC-API", () => {
  let h: AppHarness;
  let event: { id: string; chainEventId: string };

  before(async () => {
    h = await createAppHarness("pglite", { autoStartWorker: false });
    event = await expectJson(
      await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
      201,
    );
  });
  after(async () => {
    await h?.close();
  });

  it("POST /credentials/issue returns the signed credential and anchors it on its own", async () => {
    const urn = eventUrn(h.deployment.chainId, h.deployment.registry, BigInt(event.chainEventId));
    const response = await h.call("POST", "/credentials/issue", {
      body: {
        credential: {
          "@context": ["https://www.w3.org/ns/credentials/v2"],
          type: ["VerifiableCredential", "OpenBadgeCredential"],
          credentialSubject: { name: "Ingrid Åkesson", role: "organiser", achievement: { id: urn } },
        },
      },
    });
    const body = await expectJson<{ verifiableCredential: Credential }>(response, 201);
    const vc = body.verifiableCredential;
    expect(vc.proof[0].type).to.equal("IntygEip712IssueRequestProof2026");
    expect(vc.issuer.id).to.equal(
      organisationUrn(h.deployment.chainId, h.deployment.registry, h.deployment.organisationId),
    );
    expect(vc.credentialSubject.achievement.id).to.equal(urn);
    expect(checkIntegrity(vc).ok).to.equal(true);
    await h.worker.runOnce();
    expect(
      (await h.chain.record(h.deployment.organisationId, vc.commitment.root)).issuedAt,
    ).to.be.greaterThan(0);
  });

  it("accepts the service's event id in options, and refuses unknown events and fields", async () => {
    await expectJson(
      await h.call("POST", "/credentials/issue", {
        body: { credential: { credentialSubject: { name: "Via options" } }, options: { eventId: event.id } },
      }),
      201,
    );
    await expectProblem(
      await h.call("POST", "/credentials/issue", {
        body: {
          credential: { credentialSubject: { name: "X" } },
          options: { eventId: "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f" },
        },
      }),
      404,
    );
    await expectProblem(
      await h.call("POST", "/credentials/issue", { body: { credential: { credentialSubject: {} } } }),
      400,
    );
    await expectProblem(
      await h.call("POST", "/credentials/issue", {
        body: {
          credential: { credentialSubject: { name: "X" } },
          options: { eventId: event.id, proofType: "x" },
        },
      }),
      400,
    );
  });

  it("answers the verify routes with 501 until a verifier is wired", async () => {
    const problem = await expectProblem(
      await h.call("POST", "/credentials/verify", { auth: null, body: { verifiableCredential: {} } }),
      501,
      "not-implemented",
    );
    expect(problem.detail).to.match(/not wired/);
    await expectProblem(
      await h.call("POST", "/presentations/verify", { auth: null, body: { verifiablePresentation: {} } }),
      501,
    );
  });

  it("hands the verify routes to deps.verifier when one is given", async () => {
    const seen: unknown[] = [];
    const verifier: CredentialVerifier = {
      async verifyCredential(input) {
        seen.push(input);
        return { verified: true, checks: [] };
      },
      async verifyPresentation(input) {
        seen.push(input);
        return { verified: false, checks: [] };
      },
    };
    const withVerifier = await createAppHarness("pglite", {
      autoStartWorker: false,
      verifier,
      deployment: h.deployment,
    });
    try {
      const report = await expectJson<{ verified: boolean }>(
        await withVerifier.call("POST", "/credentials/verify", {
          auth: null,
          body: { verifiableCredential: { id: "x" } },
        }),
        200,
      );
      expect(report.verified).to.equal(true);
      expect(seen).to.deep.equal([{ verifiableCredential: { id: "x" } }]);
    } finally {
      await withVerifier.close();
    }
  });
});
