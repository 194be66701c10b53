import type { Credential } from "@intyg/credential";
import { expect } from "chai";
import { createVerification } from "../src/verification";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson } from "./helpers/harness";

type VcApiResult = {
  verified: boolean;
  checks: { id: string; status: string; message: string }[];
  errors: string[];
};

describe("verification wired into the service", () => {
  let h: AppHarness;
  let credential: Credential;

  before(async () => {
    const probe = await createAppHarness("pglite", { autoStartWorker: false });
    const deployment = probe.deployment;
    await probe.close();
    h = await createAppHarness("pglite", {
      autoStartWorker: false,
      deployment,
      verifier: createVerification({ rpcUrl: deployment.rpcUrl, registry: deployment.registry }),
    });
    const event = await expectJson<{ id: string }>(
      await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
      201,
    );
    const issued = await expectJson<{ id: string }>(
      await h.call("POST", `/v1/events/${event.id}/credentials`, {
        body: { subject: { name: "Märta Ölund", email: "marta.olund@example.se" } },
      }),
      201,
    );
    await h.worker.runOnce();
    const resource = await expectJson<{ status: string; credential: Credential }>(
      await h.call("GET", `/v1/credentials/${issued.id}`),
      200,
    );
    expect(resource.status).to.equal("anchored");
    credential = resource.credential;
  });
  after(async () => {
    await h?.close();
  });

  it("POST /credentials/verify verifies an anchored credential against the chain", async () => {
    const result = await expectJson<VcApiResult>(
      await h.call("POST", "/credentials/verify", { auth: null, body: { verifiableCredential: credential } }),
      200,
    );
    expect(result.verified, JSON.stringify(result.errors)).to.equal(true);
    const passed = result.checks.filter((c) => c.status === "passed").map((c) => c.id);
    expect(passed).to.include.members(["format", "integrity", "signature", "issuer", "anchor", "revocation"]);
    expect(result.errors).to.deep.equal([]);
  });

  it("rejects a tampered credential with the failed check named, in English on request", async () => {
    const tampered = structuredClone(credential) as unknown as { credentialSubject: { name: string } };
    tampered.credentialSubject.name = "Mallory";
    const result = await expectJson<VcApiResult>(
      await h.call("POST", "/credentials/verify", {
        auth: null,
        body: { verifiableCredential: tampered, options: { lang: "en" } },
      }),
      200,
    );
    expect(result.verified).to.equal(false);
    expect(result.checks.find((c) => c.id === "integrity")?.status).to.equal("failed");
    expect(result.errors.join("\n")).to.match(/^integrity: /m);
  });

  it("POST /presentations/verify fails a presentation without a holder signature", async () => {
    const result = await expectJson<VcApiResult>(
      await h.call("POST", "/presentations/verify", {
        auth: null,
        body: {
          verifiablePresentation: { type: ["VerifiablePresentation"], verifiableCredential: [credential] },
          options: { challenge: "c-1", domain: "arbetsgivare.example.se" },
        },
      }),
      200,
    );
    expect(result.verified).to.equal(false);
  });

  it("GET /verify serves the verifier page configured with the service's chain and registry", async () => {
    const response = await h.call("GET", "/verify", { auth: null });
    expect(response.status).to.equal(200);
    const html = await response.text();
    expect(html).to.include(`<meta name="intyg-rpc" content="${h.deployment.rpcUrl}">`);
    expect(html.toLowerCase()).to.include(h.deployment.registry.toLowerCase());
    expect(html).to.match(/<script>/);
  });
});
