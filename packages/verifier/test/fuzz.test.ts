// Generated hostile documents against a real chain, through every public verify entry point: credentials
// (one, and a list beside a genuine one), presentations, both online and on a recorded snapshot, the VC-API
// operations, and the readers of documents and share links. Random JSON, and documents shaped like
// credentials and presentations with random, missing and wrongly typed fields, deep and wide nesting, long
// strings, prototype keys, lone surrogates, numbers beyond double range and bigints as strings, as values,
// texts and bytes. Nothing may throw; every answer must be a well-formed report with reason codes, in
// bounded time; and nothing verifies unless it is one of the genuine documents.

import { type Credential, discloseCredential, shareUrl } from "@intyg/credential";
import { expect } from "chai";
import fc from "fast-check";
import {
  createPresentation,
  createVcApiVerifier,
  holderDid,
  isShareLink,
  parseSnapshot,
  type RegistrySnapshot,
  readDocument,
  readShareLink,
  recordSnapshot,
  SnapshotError,
  type VerifiablePresentation,
  verifyCredential,
  verifyCredentials,
  verifyPresentation,
} from "../src";
import { readShareLinkDocument } from "../src/share";
import {
  bytesEdited,
  CODE,
  canonical,
  encoded,
  expectNoPollution,
  expectReport,
  hostileLeaf,
  hostileTree,
  nested,
  shapedLike,
  textEdited,
  timed,
} from "./arbitraries";
import { account, clone, createFixture, type Fixture } from "./fixture";

describe("fuzzing: generated hostile documents through every verify entry point", function () {
  this.timeout(120_000);
  let fx: Fixture;
  let single: Credential;
  let batched: Credential;
  let presentation: VerifiablePresentation;
  let snapshot: RegistrySnapshot;
  let genuine: Set<string>;
  const holder = account(3);
  const challenge = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
  const domain = "rekrytering.example.se";

  before(async () => {
    fx = await createFixture();
    const subject = {
      id: holderDid(31337, holder.address),
      name: "Anna Andersson",
      email: "anna@example.se",
    };
    single = await fx.issue({ subject });
    batched = (await fx.issueBatch(3, { subject }))[1]!;
    const disclosed = discloseCredential(single, { hide: ["/credentialSubject/email"] });
    presentation = await createPresentation({ credential: disclosed, account: holder, challenge, domain });
    snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
    genuine = new Set([single, batched, disclosed, presentation].map((doc) => canonical(doc)!));
  });
  after(async () => {
    await fx?.stop();
  });

  /** Every entry point on one input: each answers with a report, in time, and only genuine documents verify. */
  async function throughEveryEntryPoint(input: unknown): Promise<void> {
    const online = { rpcUrl: fx.rpcUrl, registry: fx.registry, lang: "en" as const };
    const offline = { snapshot, now: (snapshot.blockTimestamp + 60) * 1000 };
    const isGenuine = genuine.has(canonical(input) ?? "");
    const vcapi = createVcApiVerifier(online);

    const credentialReports = [
      await timed(() => verifyCredential(input, online)),
      await timed(() => verifyCredential(input, offline)),
      await timed(() => vcapi.verifyCredential({ verifiableCredential: input, options: { lang: "sv" } })),
    ];
    // Beside a genuine credential in one run, the hostile one spoils nothing for it.
    const [inList, beside] = await timed(() => verifyCredentials([input, single], online));
    credentialReports.push(inList!);
    expect(beside!.verified, JSON.stringify(beside!.checks)).to.equal(true);
    for (const report of credentialReports) {
      expectReport(report, "credential");
      if (report.verified) expect(isGenuine, "a changed credential verified").to.equal(true);
    }

    const presentationReports = [
      await timed(() => verifyPresentation(input, { ...online, challenge, domain })),
      await timed(() => verifyPresentation(input, { ...offline, challenge, domain })),
      await timed(() =>
        vcapi.verifyPresentation({ verifiablePresentation: input, options: { challenge, domain } }),
      ),
    ];
    for (const report of presentationReports) {
      expectReport(report, "presentation");
      if (report.verified) expect(isGenuine, "a changed presentation verified").to.equal(true);
    }

    const read = readDocument(input);
    if (!read.ok) expect(read.code).to.match(CODE);
    if (typeof input === "string") {
      expect(isShareLink(input)).to.be.a("boolean");
      const link = readShareLink(input);
      if (!link.ok) expect(link.code).to.equal("share-link");
      const fromText = readShareLinkDocument(input);
      if (!fromText.ok) expect(fromText.code).to.match(CODE);
      // What the verifier reads from a link (its JSON text) is what the link's reader reads, value for value.
      else expect(link.ok && canonical(link.value) === canonical(fromText.value)).to.equal(true);
    }
    expectNoPollution();
  }

  it("the genuine documents verify through every entry point (the baseline of the properties below)", async () => {
    for (const doc of [single, batched]) {
      expect((await verifyCredential(doc, { rpcUrl: fx.rpcUrl, registry: fx.registry })).verified).to.equal(
        true,
      );
      expect((await verifyCredential(doc, { snapshot })).verified).to.equal(true);
    }
    const options = { challenge, domain };
    expect(
      (await verifyPresentation(presentation, { ...options, rpcUrl: fx.rpcUrl, registry: fx.registry }))
        .verified,
    ).to.equal(true);
    expect((await verifyPresentation(presentation, { ...options, snapshot })).verified).to.equal(true);
    await throughEveryEntryPoint(single);
    await throughEveryEntryPoint(JSON.stringify(presentation));
  });

  it("a very long key is cut short in the report, wherever it is refused (found by fuzzing)", async () => {
    const long = `k${"x".repeat(5_000)}`;
    const inSubject = clone(single) as unknown as { credentialSubject: Record<string, unknown> };
    inSubject.credentialSubject[long] = null;
    const inClaims = clone(single);
    (inClaims.commitment.claims as Record<string, unknown>)[`/credentialSubject/${long}`] = {
      salt: `0x${"0".repeat(32)}`,
    };
    const reports = await verifyCredentials([inSubject, inClaims], {
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
    });
    for (const report of reports) {
      expectReport(report, "credential");
      const failed = report.checks.find((check) => check.status === "failed")!;
      expect(failed.code).to.be.oneOf(["schema", "invalid-claim-path", "missing-claim-value"]);
      // The key is named for experts in the check's detail, cut short; the message stays plain language.
      expect(failed.detail ?? failed.message).to.include("kxxx");
    }
  });

  it("random JSON values, texts and bytes, deep and wide, with prototype keys", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(encoded(hostileTree), encoded(nested), fc.uint8Array({ maxLength: 64 }), fc.anything()),
        throughEveryEntryPoint,
      ),
      { numRuns: 60 },
    );
  });

  it("documents shaped like a credential, a batch credential or a presentation, with hostile fields", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          encoded(shapedLike(single)),
          encoded(shapedLike(batched)),
          encoded(shapedLike(presentation)),
        ),
        throughEveryEntryPoint,
      ),
      { numRuns: 120 },
    );
  });

  it("the genuine texts with characters cut, inserted and replaced, and their bytes overwritten", async () => {
    const texts = [single, batched, presentation].map((doc) => JSON.stringify(doc));
    await fc.assert(
      fc.asyncProperty(fc.oneof(...texts.map(textEdited), ...texts.map(bytesEdited)), throughEveryEntryPoint),
      { numRuns: 80 },
    );
  });

  it("share links: random fragments, and genuine links with a character changed", async () => {
    const link = shareUrl("https://intyg.example.se/verify", single);
    const fragment = link.slice(link.indexOf("#") + 1);
    const alphabet = fc.constantFrom(
      ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split(""),
    );
    const links = fc.oneof(
      fc.string({ unit: alphabet, maxLength: 200 }).map((s) => `c1.${s}`),
      fc.tuple(fc.nat(), alphabet).map(([at, c]) => {
        const i = 3 + (at % (fragment.length - 3));
        return `https://intyg.example.se/verify#${fragment.slice(0, i)}${c}${fragment.slice(i + 1)}`;
      }),
      fc.nat(fragment.length).map((cut) => `#${fragment.slice(0, cut)}`),
    );
    expect((await verifyCredential(link, { snapshot })).verified).to.equal(true);
    await fc.assert(
      fc.asyncProperty(links, async (text) => {
        const report = await timed(() => verifyCredential(text, { snapshot }));
        expectReport(report, "credential");
        const read = readShareLink(text);
        // A changed link verifies only if it still decodes to the genuine credential (base64url spare bits).
        if (report.verified) expect(read.ok && canonical(read.value) === canonical(single)).to.equal(true);
        const fromText = readShareLinkDocument(text);
        if (fromText.ok)
          expect(read.ok && canonical(read.value) === canonical(fromText.value)).to.equal(true);
      }),
      { numRuns: 150 },
    );
  });

  it("snapshots with hostile fields: parsing throws only SnapshotError, verifying always reports", async () => {
    const options = { now: (snapshot.blockTimestamp + 60) * 1000 };
    await fc.assert(
      fc.asyncProperty(encoded(shapedLike(snapshot)), fc.boolean(), async (damaged, asText) => {
        const given = damaged instanceof Uint8Array ? new TextDecoder().decode(damaged) : damaged;
        try {
          parseSnapshot(given as never);
        } catch (error) {
          expect(error).to.be.instanceOf(SnapshotError);
        }
        const snapshotOption = (asText && typeof given !== "string" ? JSON.stringify(given) : given) as never;
        const report = await timed(() => verifyCredential(single, { ...options, snapshot: snapshotOption }));
        expectReport(report, "credential");
        const presented = await timed(() =>
          verifyPresentation(presentation, { ...options, snapshot: snapshotOption, challenge, domain }),
        );
        expectReport(presented, "presentation");
        expectNoPollution();
      }),
      { numRuns: 80 },
    );
  });

  it("VC-API requests and options of any shape", async () => {
    const vcapi = createVcApiVerifier({ rpcUrl: fx.rpcUrl, registry: fx.registry });
    const request = fc.oneof(
      fc.anything(),
      fc.record({ verifiableCredential: fc.oneof(fc.constant(single), hostileTree), options: hostileTree }),
      fc.record({
        verifiablePresentation: fc.oneof(fc.constant(presentation), hostileTree),
        options: hostileTree,
      }),
      fc.record({
        presentation: hostileTree,
        options: fc.record({ challenge: hostileLeaf, domain: hostileLeaf }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(request, async (body) => {
        for (const kind of ["credential", "presentation"] as const) {
          const result = await timed(() =>
            kind === "credential"
              ? vcapi.verifyCredential(body as never)
              : vcapi.verifyPresentation(body as never),
          );
          const { problemDetails, warnings, ...report } = result;
          expectReport(report, kind);
          expect(problemDetails).to.have.length(
            report.checks.filter((check) => check.status === "failed").length,
          );
          expect(warnings).to.be.an("array");
        }
        expectNoPollution();
      }),
      { numRuns: 60 },
    );
  });
});
