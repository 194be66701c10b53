import { expect } from "chai";
import {
  ClaimPathError,
  type Credential,
  checkIntegrity,
  decodeShareFragmentJson,
  discloseCredential,
  encodeShareFragment,
  hideableClaimPaths,
} from "../src";
import { clone, makeFixtures, verifyOffline } from "./helpers";

describe("selective disclosure", () => {
  let signed: Credential;
  before(async () => {
    signed = (await makeFixtures())["attendance-credential"] as Credential;
  });

  it("shows name and achievement, hides e-mail and birth date, and still verifies", async () => {
    const before = clone(signed);
    const disclosed = discloseCredential(signed, {
      hide: ["/credentialSubject/email", "/credentialSubject/birthDate"],
    });
    expect(signed).to.deep.equal(before, "the original is not changed");
    expect(disclosed.credentialSubject.name).to.equal("Åsa Öberg-Ärlig");
    expect(disclosed.credentialSubject.achievement).to.deep.equal(signed.credentialSubject.achievement);
    expect(disclosed.credentialSubject).not.to.have.any.keys("email", "birthDate");
    expect(disclosed.commitment.root).to.equal(signed.commitment.root);
    expect(disclosed.commitment.claims["/credentialSubject/email"]).to.have.property("digest");
    expect(disclosed.proof).to.deep.equal(signed.proof);
    expect(await verifyOffline(disclosed)).to.equal(true);
    const json =
      JSON.stringify(disclosed) + JSON.stringify(decodeShareFragmentJson(encodeShareFragment(disclosed)));
    expect(json).not.to.contain("asa.oberg-arlig@example.se");
    expect(json).not.to.contain("example.se");
    expect(json).not.to.contain("1984-02-29");
    expect(JSON.stringify(disclosed)).not.to.contain(
      (signed.commitment.claims["/credentialSubject/email"] as { salt: string }).salt,
    );
  });

  it("reveals only the listed claims with { reveal }", async () => {
    const disclosed = discloseCredential(signed, { reveal: ["/credentialSubject/name"] });
    expect(Object.keys(disclosed.credentialSubject).sort()).to.deep.equal([
      "achievement",
      "identifier",
      "name",
      "type",
    ]);
    const result = checkIntegrity(disclosed);
    expect(result.ok && result.hidden.length).to.equal(hideableClaimPaths(signed).length - 1);
    expect(await verifyOffline(disclosed)).to.equal(true);
  });

  it("lists the claims a holder may hide", () => {
    expect(hideableClaimPaths(signed)).to.deep.equal([
      "/credentialSubject/name",
      "/credentialSubject/email",
      "/credentialSubject/birthDate",
      "/credentialSubject/organisation",
      "/credentialSubject/role",
      "/credentialSubject/team",
      "/credentialSubject/partsAttended",
    ]);
  });

  it("is idempotent and composes", () => {
    const once = discloseCredential(signed, { hide: ["/credentialSubject/email"] });
    expect(discloseCredential(once, { hide: ["/credentialSubject/email"] })).to.deep.equal(once);
    const twice = discloseCredential(once, { hide: ["/credentialSubject/role"] });
    expect(twice).to.deep.equal(
      discloseCredential(signed, { hide: ["/credentialSubject/role", "/credentialSubject/email"] }),
    );
  });

  it("refuses to hide the subject's type and achievement, top-level claims and unknown claims", () => {
    for (const path of [
      "/credentialSubject/type",
      "/credentialSubject/achievement",
      "/issuer",
      "/validFrom",
      "/id",
    ]) {
      expect(() => discloseCredential(signed, { hide: [path] }), path).to.throw(
        ClaimPathError,
        /may not be hidden/,
      );
    }
    expect(() => discloseCredential(signed, { hide: ["/credentialSubject/result"] })).to.throw(
      ClaimPathError,
      /No such claim/,
    );
    expect(() => discloseCredential(signed, { reveal: ["name"] })).to.throw(
      ClaimPathError,
      /Not a claim path/,
    );
  });
});
