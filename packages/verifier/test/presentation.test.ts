import { type Credential, discloseCredential } from "@intyg/credential";
import { expect } from "chai";
import { type Hex, recoverTypedDataAddress } from "viem";
import {
  createPresentation,
  createVcApiVerifier,
  holderDid,
  presentationHash,
  presentationTypedData,
  verifyCredentials,
  verifyPresentation,
} from "../src";
import { account, clone, createFixture, type Fixture } from "./fixture";

// biome-ignore lint/suspicious/noExplicitAny: tests edit presentations as free JSON
type Json = any;

/** The order of secp256k1. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The other valid signature of the same message by the same key: `s` becomes `n - s` and `v` flips. */
function malleate(signature: Hex): Hex {
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = Number.parseInt(signature.slice(130, 132), 16);
  const flipped = (SECP256K1_N - s).toString(16).padStart(64, "0");
  return `${signature.slice(0, 66)}${flipped}${(v === 27 ? 28 : 27).toString(16)}` as Hex;
}

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
    const vcapi = createVcApiVerifier({
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
      chainId: fx.chainId,
      trustSource: { source: "server" },
    });
    const ok = await vcapi.verifyCredential({ verifiableCredential: credential, options: { lang: "en" } });
    expect(ok.verified).to.equal(true);
    expect(ok.trust).to.deep.include({ source: "server", registry: fx.registry, chainId: fx.chainId });
    expect(ok.trust.message).to.match(/chosen by this site's own configuration/);
    expect(ok.problemDetails).to.deep.equal([]);
    expect(ok.lang).to.equal("en");
    const presentation = await createPresentation({ credential, account: holder, challenge, domain });
    const vp = await vcapi.verifyPresentation({
      verifiablePresentation: presentation,
      options: { challenge, domain },
    });
    expect(vp.verified).to.equal(true);
    const replay = await vcapi.verifyPresentation({ presentation, options: { challenge: "other", domain } });
    expect(replay.verified).to.equal(false);
    // VC-API problem details: a stable English type and title, the localised text as detail.
    expect(replay.problemDetails[0]).to.deep.include({
      type: "https://intyg.se/ns/problems#holder.challenge-mismatch",
      title: "Holder check failed (challenge-mismatch)",
      check: "holder",
      code: "challenge-mismatch",
      lang: "sv",
    });
    expect(replay.problemDetails[0]!.detail).to.equal(
      replay.checks.find((check) => check.id === "holder")!.message,
    );
    const replayEn = await vcapi.verifyPresentation({
      presentation,
      options: { challenge: "other", domain, lang: "en" },
    });
    expect(replayEn.problemDetails[0]!.type).to.equal(replay.problemDetails[0]!.type);
    expect(replayEn.problemDetails[0]!.detail).to.not.equal(replay.problemDetails[0]!.detail);
    const sneaky = await vcapi.verifyCredential({
      verifiableCredential: credential,
      options: { registry: "0x000000000000000000000000000000000000dEaD", rpcUrl: "http://127.0.0.1:9" },
    });
    expect(sneaky.verified).to.equal(true);
    expect(sneaky.trust.registry).to.equal(fx.registry);
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
    const many = { ...presentation, verifiableCredential: new Array(51).fill(credential) };
    const tooMany = await verifyPresentation(many, { challenge, domain, lang: "en" });
    expect(tooMany.checks[0]!.code).to.equal("credential-count");
    expect(tooMany.checks[0]!.message).to.contain("at most 50");
    expect((await verifyPresentation(credential, { challenge, domain })).checks[0]!.code).to.equal(
      "not-a-presentation",
    );
  });

  it("accepts any VC 2.0 envelope the holder signed, and nothing added after signing", async () => {
    const credential = await fx.issue({ subject: { id: holderDid(31337, holder.address) } });
    const options = { rpcUrl: fx.rpcUrl, registry: fx.registry, challenge, domain, lang: "en" as const };
    const did = holderDid(31337, holder.address);
    const rich = await createPresentation({
      credential,
      account: holder,
      challenge,
      domain,
      envelope: {
        "@context": [
          "https://www.w3.org/ns/credentials/v2",
          "https://example.org/ctx/v1",
          { note: "urn:x:note" },
        ],
        id: "urn:uuid:6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
        type: ["VerifiablePresentation", "ExamplePresentation"],
        holder: { id: did, type: "Wallet" },
        note: "signed along with everything else",
      },
    });
    const report = await verifyPresentation(rich, options);
    expect(report.verified, JSON.stringify(report.checks)).to.equal(true);
    expect(report.holder).to.equal(holder.address);
    // Anything changed or added after signing, anywhere, is not the holder's: the signature no longer holds.
    const changes: [string, (vp: Json) => void][] = [
      ["an added property", (vp) => (vp.extra = "x")],
      ["a changed id", (vp) => (vp.id = "urn:uuid:00000000-0000-4000-8000-000000000000")],
      ["an added type", (vp) => vp.type.push("Other")],
      ["an added context", (vp) => vp["@context"].push("https://example.org/other")],
      ["a changed holder property", (vp) => (vp.holder.type = "Other")],
      ["an added proof property", (vp) => (vp.proof.nonce = "1")],
      ["a changed creation time", (vp) => (vp.proof.created = "2001-01-01T00:00:00Z")],
      [
        "a changed credential's proof time",
        (vp) => (vp.verifiableCredential[0].proof[0].created = "2001-01-01T00:00:00Z"),
      ],
    ];
    for (const [label, change] of changes) {
      const changed = clone(rich) as Json;
      change(changed);
      expect(holderCheck(await verifyPresentation(changed, options)), label).to.include({
        status: "failed",
        code: "invalid-signature",
      });
    }
  });

  it("fails a presentation whose holder is not the wallet that signed it", async () => {
    const credential = await fx.issue({ subject: { id: holderDid(31337, holder.address) } });
    const options = { rpcUrl: fx.rpcUrl, registry: fx.registry, challenge, domain };
    const genuine = await createPresentation({ credential, account: holder, challenge, domain });
    const other = holderDid(31337, account(4).address);
    // The holder's signature, with another wallet named as the holder.
    const renamed = clone(genuine);
    renamed.holder = other;
    renamed.proof.verificationMethod = `${other}#blockchainAccountId`;
    expect(holderCheck(await verifyPresentation(renamed, options)).code).to.equal("invalid-signature");
    // Another wallet's signature, naming the credential's holder.
    const impostor = await createPresentation({ credential, account: account(4), challenge, domain });
    impostor.holder = genuine.holder;
    impostor.proof.verificationMethod = genuine.proof.verificationMethod;
    expect(holderCheck(await verifyPresentation(impostor, options)).code).to.equal("invalid-signature");
    // The holder alone changed: the verification method no longer names it.
    const inconsistent = { ...genuine, holder: other };
    const report = await verifyPresentation(inconsistent, { ...options, lang: "en" });
    expect(report.checks[0]).to.include({ id: "format", status: "failed", code: "presentation-schema" });
    expect(report.checks[0]!.message).to.match(/damaged or incomplete/);
    expect(report.checks[0]!.detail).to.match(/verification method/);
    expect((await verifyPresentation(genuine, options)).verified).to.equal(true);
  });

  it("fails a presentation whose signature was malleated (high s) or written in upper case", async () => {
    const credential = await fx.issue({ subject: { id: holderDid(31337, holder.address) } });
    const options = { rpcUrl: fx.rpcUrl, registry: fx.registry, challenge, domain };
    const genuine = await createPresentation({ credential, account: holder, challenge, domain });
    const malleated = malleate(genuine.proof.proofValue);
    // The malleated copy is a valid signature by the same wallet: only the verifier's rule refuses it.
    const payload = { challenge, domain, presentationHash: presentationHash(genuine) };
    expect(
      await recoverTypedDataAddress({ ...presentationTypedData(payload), signature: malleated }),
    ).to.equal(holder.address);
    const copy = { ...genuine, proof: { ...genuine.proof, proofValue: malleated } };
    expect(holderCheck(await verifyPresentation(copy, options)).code).to.equal("invalid-signature");
    const upper = `0x${genuine.proof.proofValue.slice(2).toUpperCase()}` as Hex;
    const shouting = { ...genuine, proof: { ...genuine.proof, proofValue: upper } };
    expect(holderCheck(await verifyPresentation(shouting, options)).code).to.equal("malformed-proof");
  });

  it("fails a presentation with a disclosed claim swapped in from another presentation", async () => {
    const did = holderDid(31337, holder.address);
    const issue = (name: string, role: "participant" | "speaker") =>
      fx.issue({ subject: { id: did, name, role, email: `${role}@example.se`, organisation: "Kommun" } });
    const hide = { hide: ["/credentialSubject/email", "/credentialSubject/organisation"] };
    const a = discloseCredential(await issue("Anna Andersson", "participant"), hide);
    const b = discloseCredential(await issue("Berit Berg", "speaker"), hide);
    const options = { rpcUrl: fx.rpcUrl, registry: fx.registry, challenge, domain };
    const vpA = await createPresentation({ credential: a, account: holder, challenge, domain });
    const vpB = await createPresentation({ credential: b, account: holder, challenge, domain });
    expect((await verifyPresentation(vpA, options)).verified).to.equal(true);
    expect((await verifyPresentation(vpB, options)).verified).to.equal(true);
    const failure = async (vp: unknown) => {
      const report = await verifyPresentation(vp, options);
      expect(report.verified).to.equal(false);
      const failed = report.checks.find((check) => check.status === "failed")!;
      return `${failed.id}:${failed.code}`;
    };
    const credentialOf = (vp: typeof vpA) => vp.verifiableCredential[0] as Credential;

    // B's role in A's presentation; then with B's salt for it too.
    const role = clone(vpA);
    credentialOf(role).credentialSubject.role = "speaker";
    expect(await failure(role)).to.equal("integrity:root-mismatch");
    const roleAndSalt = clone(role);
    const path = "/credentialSubject/role";
    credentialOf(roleAndSalt).commitment.claims[path] = credentialOf(vpB).commitment.claims[path]!;
    expect(await failure(roleAndSalt)).to.equal("integrity:root-mismatch");
    // B's hidden email digest in place of A's.
    const digest = clone(vpA);
    const email = "/credentialSubject/email";
    credentialOf(digest).commitment.claims[email] = credentialOf(vpB).commitment.claims[email]!;
    expect(await failure(digest)).to.equal("integrity:root-mismatch");
    // B's subject and commitment whole in A's credential: A's issuer signed A's root, not B's.
    const subject = clone(vpA);
    credentialOf(subject).credentialSubject = credentialOf(vpB).credentialSubject;
    credentialOf(subject).commitment = credentialOf(vpB).commitment;
    expect(await failure(subject)).to.match(/^(integrity:root-mismatch|signature:commitment-mismatch)$/);
    // B's whole credential under A's presentation proof: the holder signed A's credential id.
    const envelope = { ...clone(vpA), verifiableCredential: [credentialOf(vpB)] };
    expect(await failure(envelope)).to.equal("holder:invalid-signature");
  });

  it("fails a credential, alone or presented, whose Merkle proof or signed request is from another batch", async () => {
    const subject = { id: holderDid(31337, holder.address), name: "Anna Andersson" };
    const [x] = await fx.issueBatch(4, { subject });
    const [, y] = await fx.issueBatch(4, { subject });
    const options = { rpcUrl: fx.rpcUrl, registry: fx.registry, challenge, domain };
    const reasons = async (docs: Credential[]) =>
      (await verifyCredentials(docs, options)).map((report) => {
        const failed = report.checks.find((check) => check.status === "failed");
        return failed ? `${failed.id}:${failed.code}` : "verified";
      });
    // x with y's batch (root, leaf, proof, size); with y's signed request too; with y's proof path only.
    const otherBatch = clone(x!);
    otherBatch.anchor.batch = clone(y!.anchor.batch!);
    const otherRequest = clone(otherBatch);
    otherRequest.proof = clone(y!.proof);
    const otherPath = clone(x!);
    otherPath.anchor.batch!.proof = clone(y!.anchor.batch!.proof);
    const everything = clone(otherRequest);
    everything.anchor.batch!.leaf = x!.anchor.batch!.leaf;
    expect(await reasons([x!, y!, otherBatch, otherRequest, otherPath, everything])).to.deep.equal([
      "verified",
      "verified",
      "signature:batch-root-mismatch",
      "signature:batch-leaf-mismatch",
      "signature:batch-proof-invalid",
      "signature:batch-proof-invalid",
    ]);
    // Presented by its true holder, it fails all the same (the holder check itself passes: it is their wallet).
    const vp = await createPresentation({ credential: otherRequest, account: holder, challenge, domain });
    const report = await verifyPresentation(vp, options);
    expect(report.checks.find((check) => check.status === "failed")).to.include({
      id: "signature",
      code: "batch-leaf-mismatch",
    });
    expect(report.verified).to.equal(false);
    expect(holderCheck(report).status).to.equal("passed");
  });

  it("verifies a presentation of several credentials only when each one verifies and is the signer's", async () => {
    const subject = { id: holderDid(31337, holder.address), name: "Anna Andersson" };
    const first = await fx.issue({ subject });
    const [, second] = await fx.issueBatch(2, { subject });
    const options = { rpcUrl: fx.rpcUrl, registry: fx.registry, challenge, domain, lang: "en" as const };
    const both = await createPresentation({
      credentials: [first, second!],
      account: holder,
      challenge,
      domain,
    });
    const report = await verifyPresentation(both, options);
    expect(report.verified, JSON.stringify(report.checks)).to.equal(true);
    expect(report.verdict).to.contain("all 2 credentials");
    expect(report.credentials).to.have.length(2);
    for (const one of report.credentials!) {
      expect(one.verified).to.equal(true);
      expect(holderCheck(one).status).to.equal("passed");
      expect(one.credential, "each credential's claims are reported").to.be.an("object");
    }
    expect(report.holder).to.equal(holder.address);
    const vcapi = createVcApiVerifier({ rpcUrl: fx.rpcUrl, registry: fx.registry });
    const answer = await vcapi.verifyPresentation({
      verifiablePresentation: both,
      options: { challenge, domain },
    });
    expect(answer.verified, JSON.stringify(answer)).to.equal(true);

    // A credential of another wallet beside the holder's own: the presentation is not the signer's to make.
    const other = account(4);
    const foreign = await fx.issue({ subject: { id: holderDid(31337, other.address), name: "Bo" } });
    const mixed = await createPresentation({
      credentials: [first, foreign],
      account: holder,
      challenge,
      domain,
    });
    const mixedReport = await verifyPresentation(mixed, options);
    expect(mixedReport.verified).to.equal(false);
    expect(holderCheck(mixedReport).code).to.equal("holder-mismatch");
    expect(mixedReport.verdict).to.contain("credential 2 of 2");
    expect(mixedReport.credentials!.map((one) => one.verified)).to.deep.equal([true, false]);
    expect(mixedReport.credential, "nothing is reported as proved").to.equal(undefined);

    // One credential changed after signing: its integrity fails, and the holder's signature no longer holds.
    const tampered: Json = clone(both);
    tampered.verifiableCredential[1].credentialSubject.name = "Eva";
    const tamperedReport = await verifyPresentation(tampered, options);
    expect(tamperedReport.verified).to.equal(false);
    expect(tamperedReport.checks.find((c) => c.id === "integrity")!.status).to.equal("failed");
    expect(tamperedReport.credentials![0]!.checks.find((c) => c.id === "holder")!.code).to.equal(
      "invalid-signature",
    );

    // A genuine credential added to a signed presentation is not covered by the holder's signature.
    const added: Json = clone(both);
    added.verifiableCredential.push(first);
    const addedReport = await verifyPresentation(added, options);
    expect(addedReport.verified).to.equal(false);
    expect(holderCheck(addedReport).code).to.equal("invalid-signature");
  });

  it("does not verify a presentation that holds no credential, though it reports its holder check", async () => {
    const options = { rpcUrl: fx.rpcUrl, registry: fx.registry, challenge, domain, lang: "en" as const };
    const empty = await createPresentation({
      credentials: [],
      chainId: 31337,
      account: holder,
      challenge,
      domain,
    });
    expect(empty.verifiableCredential).to.deep.equal([]);
    const report = await verifyPresentation(empty, options);
    expect(report.verified, "nothing was presented to verify").to.equal(false);
    expect(report.verdict).to.match(/^Not verified: the presentation holds no credential/);
    expect(report.credentials).to.deep.equal([]);
    expect(report.credential).to.equal(undefined);
    expect(report.holder).to.equal(holder.address);
    expect(report.checks.filter((c) => c.status === "passed").map((c) => c.id)).to.deep.equal([
      "format",
      "holder",
    ]);
    expect(
      report.checks.filter((c) => c.status === "skipped").every((c) => c.code === "no-credential"),
    ).to.equal(true);
    const { verifiableCredential: _none, ...withoutList } = empty;
    // The holder signed an empty list: leaving the list out changes what was signed.
    expect(holderCheck(await verifyPresentation(withoutList, options)).code).to.equal("invalid-signature");
    const replay = await verifyPresentation(empty, { ...options, challenge: "another-challenge" });
    expect(replay.verified).to.equal(false);
    expect(holderCheck(replay).code).to.equal("challenge-mismatch");
    const sv = await verifyPresentation(empty, { ...options, lang: "sv" });
    expect(sv.verdict).to.contain("innehåller inget intyg");
    // A presentation of no credential needs the chain id of the holder's did:pkh.
    let refused: unknown;
    await createPresentation({ credentials: [], account: holder, challenge, domain }).catch((e) => {
      refused = e;
    });
    expect(String(refused)).to.contain("chainId");
  });
});
