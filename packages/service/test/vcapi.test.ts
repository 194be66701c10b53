import { type Credential, checkIntegrity, eventUrn, organisationUrn } from "@intyg/credential";
import { createVcApiVerifier } from "@intyg/verifier";
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

  const issue = (body: unknown) => h.call("POST", "/credentials/issue", { body });
  const urnOf = () => eventUrn(h.deployment.chainId, h.deployment.registry, BigInt(event.chainEventId));
  const issuerId = () =>
    organisationUrn(h.deployment.chainId, h.deployment.registry, h.deployment.organisationId);

  it("POST /credentials/issue takes a standard request and answers 201 only once the credential is anchored and verifies", async () => {
    const request = {
      credential: {
        "@context": [
          "https://www.w3.org/ns/credentials/v2",
          "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
          "https://intyg.se/ns/credentials/v1",
          { name: "https://schema.org/name", email: { "@id": "https://schema.org/email" } },
        ],
        type: ["VerifiableCredential", "AchievementCredential"],
        issuer: { id: issuerId(), type: ["Profile"] },
        name: CONFERENCE.name,
        description: "Intyg om deltagande, utfärdat via VC-API.",
        validFrom: "2026-01-15T09:30:00-06:00",
        validUntil: "2031-06-01T00:00:00.5+02:00",
        credentialSubject: {
          type: ["AchievementSubject"],
          name: "Ingrid Åkesson",
          role: "organiser",
          achievement: { id: urnOf(), type: ["Achievement"] },
        },
      },
      options: { anchorWaitSeconds: 20 },
    };
    // The worker anchors while the request waits.
    const answer = issue(request);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await h.worker.runOnce();
    const body = await expectJson<{ verifiableCredential: Credential }>(await answer, 201);
    const vc = body.verifiableCredential;
    expect(vc.proof[0].type).to.equal("IntygEip712IssueRequestProof2026");
    expect(vc.issuer.id).to.equal(issuerId());
    expect(vc.credentialSubject.achievement.id).to.equal(urnOf());
    // Offsets normalised to UTC, not replaced.
    expect(vc.validFrom).to.equal("2026-01-15T15:30:00Z");
    expect(vc.validUntil).to.equal("2031-05-31T22:00:00Z");
    expect((vc as { description?: string }).description).to.equal(
      "Intyg om deltagande, utfärdat via VC-API.",
    );
    expect(vc.commitment.claims).to.have.property("/description");
    expect(checkIntegrity(vc).ok).to.equal(true);
    const verifier = createVcApiVerifier({ rpcUrl: h.deployment.rpcUrl, registry: h.deployment.registry });
    const report = await verifier.verifyCredential({ verifiableCredential: vc });
    expect(report.problemDetails).to.deep.equal([]);
    expect(report.verified).to.equal(true);
  });

  it("answers 202 with the status URL when anchoring takes longer than the wait", async () => {
    const response = await issue({
      credential: { credentialSubject: { name: "Väntar", achievement: { id: urnOf() } } },
      options: { anchorWaitSeconds: 0 },
    });
    const pending = await expectJson<{ id: string; status: string; statusUrl: string }>(response, 202);
    expect(pending.status).to.equal("pending");
    expect(pending.statusUrl).to.match(new RegExp(`/v1/credentials/${pending.id}$`));
    expect(response.headers.get("location")).to.equal(pending.statusUrl);
    await h.worker.runOnce();
    const path = new URL(pending.statusUrl).pathname;
    const status = await expectJson<{ status: string }>(await h.call("GET", path), 200);
    expect(status.status).to.equal("anchored");
  });

  it("accepts the service's event id in options, and refuses unknown events, options and empty subjects", async () => {
    await expectJson(
      await issue({
        credential: { credentialSubject: { name: "Via options" } },
        options: { eventId: event.id, anchorWaitSeconds: 0 },
      }),
      202,
    );
    await expectProblem(
      await issue({
        credential: { credentialSubject: { name: "X" } },
        options: { eventId: "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f" },
      }),
      404,
    );
    const empty = await expectProblem(
      await issue({ credential: { credentialSubject: { achievement: { id: urnOf() } } } }),
      400,
    );
    expect(JSON.stringify(empty)).to.match(/no claims/);
    await expectProblem(
      await issue({
        credential: { credentialSubject: { name: "X" } },
        options: { eventId: event.id, proofType: "x" },
      }),
      400,
    );
    const achievement = await expectProblem(
      await issue({
        credential: { credentialSubject: { name: "X", achievement: { id: urnOf(), name: "Other" } } },
      }),
      400,
    );
    expect(JSON.stringify(achievement)).to.match(/name/);
  });

  it("refuses with 422, naming it, every requested property it cannot honour instead of replacing it", async () => {
    const base = { credentialSubject: { name: "X", achievement: { id: urnOf() } } };
    const refused = async (credential: Record<string, unknown>, path: string) => {
      const problem = await expectProblem(await issue({ credential: { ...base, ...credential } }), 422);
      const paths = (problem.errors as { path: string }[]).map((e) => e.path);
      expect(paths, JSON.stringify(problem)).to.include(path);
    };
    for (const property of [
      "id",
      "credentialStatus",
      "credentialSchema",
      "evidence",
      "termsOfUse",
      "refreshService",
      "relatedResource",
    ]) {
      await refused(
        {
          [property]:
            property === "id"
              ? "urn:uuid:6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"
              : { id: "https://example.org/x", type: "X" },
        },
        `/credential/${property}`,
      );
    }
    await refused(
      { "@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/ctx"] },
      "/credential/@context/1",
    );
    await refused({ "@context": ["https://example.org/ctx"] }, "/credential/@context/0");
    await refused(
      { "@context": ["https://www.w3.org/ns/credentials/v2", { name: "https://example.org/name" }] },
      "/credential/@context/1/name",
    );
    await refused({ type: ["VerifiableCredential", "UniversityDegreeCredential"] }, "/credential/type/1");
    await refused({ issuer: "did:example:someone-else" }, "/credential/issuer");
    await refused({ issuer: { id: issuerId(), name: "Another name" } }, "/credential/issuer/name");
    await refused({ name: "Another name" }, "/credential/name");
    await refused({ validFrom: "2026-13-01T00:00:00Z" }, "/credential/validFrom");
    // validUntil is compared with the requested validFrom, not with now.
    await refused(
      { validFrom: "2032-01-01T00:00:00+01:00", validUntil: "2031-12-31T22:30:00Z" },
      "/credential/validUntil",
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
