import { SimpleMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import {
  type Credential,
  checkIntegrity,
  claimDigest,
  claimPath,
  commitmentRoot,
  credentialHash,
  IntegrityError,
  type IntegrityFailureReason,
  parseClaimPath,
} from "../src";
import { attendanceDocument, clone, courseDocument, makeFixtures } from "./helpers";

type Doc = Record<string, unknown> & {
  credentialSubject: Record<string, unknown>;
  commitment: { root: string; claims: Record<string, Record<string, unknown>> };
};

function failure(doc: unknown): { reason: IntegrityFailureReason; path?: string } {
  const result = checkIntegrity(doc);
  if (result.ok) throw new Error("integrity holds");
  return { reason: result.reason, ...(result.path === undefined ? {} : { path: result.path }) };
}

describe("integrity", () => {
  let signed: Credential;
  let disclosed: Credential;
  before(async () => {
    const fixtures = await makeFixtures();
    signed = fixtures["attendance-credential"] as Credential;
    disclosed = fixtures["disclosed-credential"] as Credential;
  });
  const doc = () => clone(signed) as unknown as Doc;

  it("holds for built, signed and disclosed credentials and names what is revealed and hidden", () => {
    for (const d of [attendanceDocument(), courseDocument(), signed, disclosed]) {
      expect(checkIntegrity(d)).to.include({ ok: true, root: d.commitment.root });
    }
    const result = checkIntegrity(disclosed);
    if (!result.ok) throw new Error("fails");
    expect(result.hidden).to.deep.equal(["/credentialSubject/email", "/credentialSubject/birthDate"]);
    expect(result.revealed).to.include.members(["/credentialSubject/name", "/credentialSubject/achievement"]);
  });

  it("computes the root as OpenZeppelin's SimpleMerkleTree.of over the claim digests", () => {
    const d = signed as unknown as Doc;
    const digests = Object.entries(signed.commitment.claims).map(([path, entry]) => {
      const property = path.split("/").pop()!;
      const value = path.startsWith("/credentialSubject/") ? d.credentialSubject[property] : d[property];
      return claimDigest((entry as { salt: `0x${string}` }).salt, path, value);
    });
    expect(SimpleMerkleTree.of(digests).root).to.equal(signed.commitment.root);
    expect(commitmentRoot(digests)).to.equal(signed.commitment.root);
    expect(commitmentRoot([...digests].reverse())).to.equal(signed.commitment.root);
  });

  it("hashes claims whose paths need escaping (RFC 6901, JSON) as claimDigest does, the path memo warm", () => {
    for (const property of ["a/b", "c~d", 'q"u\\o~1te/', "~", "/", "plain"]) {
      const path = claimPath({ scope: "subject", property });
      expect(parseClaimPath(path)).to.deep.equal({ scope: "subject", property });
      // Twice: the second time the path's JSON comes from the memo.
      for (let run = 0; run < 2; run++) {
        const d = doc();
        d.credentialSubject[property] = `value of ${property}`;
        const salt = `0x${"ab".repeat(16)}`;
        d.commitment.claims[path] = { salt };
        const digests = Object.entries(d.commitment.claims).map(([claim, entry]) => {
          const location = parseClaimPath(claim)!;
          const value =
            location.scope === "subject" ? d.credentialSubject[location.property] : d[location.property];
          return claimDigest((entry as { salt: `0x${string}` }).salt, claim, value);
        });
        d.commitment.root = commitmentRoot(digests);
        expect(checkIntegrity(d)).to.include({ ok: true, root: d.commitment.root });
        // The same value committed under the unescaped token is another claim: caught.
        if (path !== `/credentialSubject/${property}`) {
          const wrong = clone(d) as Doc;
          wrong.commitment.claims[`/credentialSubject/${property}`] = wrong.commitment.claims[path]!;
          delete wrong.commitment.claims[path];
          expect(checkIntegrity(wrong).ok).to.equal(false);
        }
      }
    }
    expect(parseClaimPath("/credentialSubject/a~2b")).to.equal(undefined);
    expect(parseClaimPath("/credentialSubject/a~")).to.equal(undefined);
  });

  it("rejects a property no claim commits to, at the top level or in the subject", () => {
    expect(failure({ ...doc(), description: "x" })).to.deep.equal({
      reason: "unclaimed-property",
      path: "/description",
    });
    const d = doc();
    d.credentialSubject.nickname = "Åsa";
    expect(failure(d)).to.deep.equal({ reason: "unclaimed-property", path: "/credentialSubject/nickname" });
  });

  it("rejects a salted claim whose property is missing", () => {
    const d = doc();
    delete d.credentialSubject.name;
    expect(failure(d)).to.deep.equal({ reason: "missing-claim-value", path: "/credentialSubject/name" });
  });

  it("rejects a changed claim, salt or root", () => {
    const changed = doc();
    changed.credentialSubject.name = "Åsa Öberg-Ärlig ";
    expect(failure(changed).reason).to.equal("root-mismatch");
    const salt = doc();
    salt.commitment.claims["/id"] = { salt: `0x${"00".repeat(16)}` };
    expect(failure(salt).reason).to.equal("root-mismatch");
    const root = doc();
    root.commitment.root = `0x${"11".repeat(32)}`;
    expect(failure(root).reason).to.equal("root-mismatch");
  });

  it("rejects malformed salts and digests", () => {
    for (const entry of [
      { salt: "0xABCDEF0123456789ABCDEF0123456789" },
      { salt: "0x00" },
      { salt: 7 },
      { digest: "0x1234" },
      { salt: `0x${"00".repeat(16)}`, digest: `0x${"00".repeat(32)}` },
      {},
      null,
    ]) {
      const d = doc();
      d.commitment.claims["/id"] = entry as Record<string, unknown>;
      expect(failure(d), JSON.stringify(entry)).to.deep.equal({ reason: "malformed-claim", path: "/id" });
    }
  });

  it("rejects a hidden claim whose property is still there, or that may not be hidden", () => {
    const present = clone(disclosed) as unknown as Doc;
    present.credentialSubject.email = "asa.oberg-arlig@example.se";
    expect(failure(present)).to.deep.equal({
      reason: "hidden-claim-present",
      path: "/credentialSubject/email",
    });
    const issuer = doc();
    delete issuer.issuer;
    issuer.commitment.claims["/issuer"] = { digest: `0x${"22".repeat(32)}` };
    expect(failure(issuer)).to.deep.equal({ reason: "claim-not-hideable", path: "/issuer" });
  });

  it("rejects a credential without a required claim and claim paths that name no claim", () => {
    const d = doc();
    delete d.name;
    delete d.commitment.claims["/name"];
    expect(failure(d)).to.deep.equal({ reason: "missing-required-claim", path: "/name" });
    for (const path of ["/commitment", "/proof", "/credentialSubject/achievement/id", "name", "/a~2b"]) {
      const bad = doc();
      bad.commitment.claims[path] = { digest: `0x${"33".repeat(32)}` };
      expect(failure(bad), path).to.deep.equal({ reason: "invalid-claim-path", path });
    }
  });

  it("rejects what is not a credential, and never throws", () => {
    for (const value of [
      null,
      1,
      "x",
      [],
      [signed],
      {},
      { commitment: null },
      { commitment: { type: "Other" } },
    ]) {
      const result = checkIntegrity(value);
      expect(result.ok, JSON.stringify(value)).to.equal(false);
    }
    const wrongType = doc();
    (wrongType.commitment as Record<string, unknown>).type = "Other";
    expect(failure(wrongType).reason).to.equal("malformed-commitment");
    const nan = doc();
    nan.credentialSubject.name = Number.NaN;
    expect(failure(nan)).to.deep.equal({ reason: "unserializable-claim", path: "/credentialSubject/name" });
    const hostile = new Proxy(doc(), {
      get(target, key) {
        if (key === "credentialSubject") throw new Error("boom");
        return Reflect.get(target, key);
      },
    });
    expect(() => checkIntegrity(hostile)).not.to.throw();
    expect(checkIntegrity(hostile).ok).to.equal(false);
  });

  it("credentialHash returns the root, or throws IntegrityError with the reason and path", () => {
    expect(credentialHash(signed)).to.equal(signed.commitment.root);
    const d = doc();
    d.credentialSubject.name = "Åsa";
    expect(() => credentialHash(d))
      .to.throw(IntegrityError)
      .with.property("details")
      .that.deep.equals({ reason: "root-mismatch" });
  });
});
