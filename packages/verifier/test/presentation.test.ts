import { expect } from "chai";
import { createPresentation, createVcApiVerifier, holderDid, verifyPresentation } from "../src";
import { account, createFixture, type Fixture } from "./fixture";

describe("presentations: holder binding", function () {
  this.timeout(120_000);
  let fx: Fixture;
  const holder = account(3);
  const challenge = "b1f4c0de-5e1e-4c7a-9d2b-8f3a6e2c9a10";
  const domain = "rekrytering.example.se";

  before(async () => {
    fx = await createFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  const holderCheck = (report: Awaited<ReturnType<typeof verifyPresentation>>) =>
    report.checks.find((c) => c.id === "holder")!;

  it("passes a presentation signed by the holder's wallet over the verifier's challenge (EIP-712 and personal_sign)", async () => {
    const credential = await fx.issue({
      subject: { id: holderDid(31337, holder.address), name: "Anna Andersson" },
    });
    const options = { rpcUrl: fx.rpcUrl, registry: fx.registry, challenge, domain, lang: "en" as const };
    for (const method of ["eip712", "personal_sign"] as const) {
      const presentation = await createPresentation({
        credential,
        account: holder,
        challenge,
        domain,
        method,
      });
      const report = await verifyPresentation(presentation, options);
      expect(report.verified, JSON.stringify(report.checks)).to.equal(true);
      expect(report.kind).to.equal("presentation");
      expect(report.holder).to.equal(holder.address);
      expect(holderCheck(report).message).to.match(/rekrytering\.example\.se/);
    }
  });

  it("fails a replayed presentation, a foreign one, one by another wallet, and one without a challenge", async () => {
    const credential = await fx.issue({ subject: { id: holderDid(31337, holder.address) } });
    const options = { rpcUrl: fx.rpcUrl, registry: fx.registry, challenge, domain };
    const replayed = await createPresentation({
      credential,
      account: holder,
      challenge: "an-old-challenge",
      domain,
    });
    expect(holderCheck(await verifyPresentation(replayed, options)).code).to.equal("challenge-mismatch");
    const foreign = await createPresentation({
      credential,
      account: holder,
      challenge,
      domain: "evil.example",
    });
    expect(holderCheck(await verifyPresentation(foreign, options)).code).to.equal("domain-mismatch");
    const thief = await createPresentation({ credential, account: account(4), challenge, domain });
    expect(holderCheck(await verifyPresentation(thief, options)).code).to.equal("holder-mismatch");
    const genuine = await createPresentation({ credential, account: holder, challenge, domain });
    const noChallenge = await verifyPresentation(genuine, { rpcUrl: fx.rpcUrl, registry: fx.registry });
    expect(holderCheck(noChallenge).code).to.equal("no-challenge");
    // A signature over another challenge, pasted into this one, recovers to no one in particular.
    const pasted = { ...replayed, proof: { ...replayed.proof, challenge } };
    expect(holderCheck(await verifyPresentation(pasted, options)).code).to.equal("invalid-signature");
  });

  it("fails a presentation of a credential that names no holder wallet", async () => {
    const credential = await fx.issue();
    const presentation = await createPresentation({ credential, account: holder, challenge, domain });
    const report = await verifyPresentation(presentation, {
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
      challenge,
      domain,
    });
    expect(holderCheck(report).code).to.equal("holder-not-bound");
    expect(report.verified).to.equal(false);
  });

  it("serves the VC-API verify operations with the configured chain, never the request's", async () => {
    const credential = await fx.issue({ subject: { id: holderDid(31337, holder.address) } });
    const vcapi = createVcApiVerifier({ rpcUrl: fx.rpcUrl, registry: fx.registry });
    const ok = await vcapi.verifyCredential({ verifiableCredential: credential, options: { lang: "en" } });
    expect(ok.verified).to.equal(true);
    expect(ok.errors).to.deep.equal([]);
    expect(ok.lang).to.equal("en");
    const presentation = await createPresentation({ credential, account: holder, challenge, domain });
    const vp = await vcapi.verifyPresentation({
      verifiablePresentation: presentation,
      options: { challenge, domain },
    });
    expect(vp.verified).to.equal(true);
    const replay = await vcapi.verifyPresentation({ presentation, options: { challenge: "other", domain } });
    expect(replay.verified).to.equal(false);
    expect(replay.errors[0]).to.match(/^holder: /);
    const sneaky = await vcapi.verifyCredential({
      verifiableCredential: credential,
      options: { registry: "0x000000000000000000000000000000000000dEaD", rpcUrl: "http://127.0.0.1:9" },
    });
    expect(sneaky.verified).to.equal(true);
    expect((await vcapi.verifyCredential(undefined as never)).verified).to.equal(false);
  });

  it("checks every credential check inside a presentation, and refuses malformed presentations", async () => {
    const credential = await fx.issue({ subject: { id: holderDid(31337, holder.address), name: "A" } });
    const presentation = await createPresentation({ credential, account: holder, challenge, domain });
    const tampered = JSON.parse(JSON.stringify(presentation));
    tampered.verifiableCredential[0].credentialSubject.name = "B";
    const report = await verifyPresentation(tampered, {
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
      challenge,
      domain,
    });
    expect(report.checks.find((c) => c.id === "integrity")!.status).to.equal("failed");
    expect(holderCheck(report).status).to.equal("skipped");
    const two = { ...presentation, verifiableCredential: [credential, credential] };
    expect((await verifyPresentation(two, { challenge, domain })).checks[0]!.code).to.equal(
      "credential-count",
    );
    expect((await verifyPresentation(credential, { challenge, domain })).checks[0]!.code).to.equal(
      "not-a-presentation",
    );
  });
});
