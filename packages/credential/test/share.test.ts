import { base64urlnopad } from "@scure/base";
import { expect } from "chai";
import fc from "fast-check";
import { deflateSync, strToU8 } from "fflate";
import {
  type Credential,
  canonicalJson,
  decodeShareFragment,
  decodeShareFragmentJson,
  encodeShareFragment,
  parseShareUrl,
  SHARE_FRAGMENT_PREFIX,
  ShareLinkError,
  ShareLinkTruncatedError,
  shareUrl,
} from "../src";
import { decodeBase64Url } from "../src/share";
import { makeFixtures, verifyOffline } from "./helpers";

function fragmentOf(bytes: Uint8Array): string {
  const base64 = Buffer.from(deflateSync(bytes)).toString("base64url");
  return `${SHARE_FRAGMENT_PREFIX}${base64}`;
}

function decodeError(fragment: string): Error {
  try {
    decodeShareFragment(fragment);
  } catch (error) {
    return error as Error;
  }
  throw new Error("decoded");
}

describe("share links", () => {
  let signed: Credential;
  let disclosed: Credential;
  before(async () => {
    const fixtures = await makeFixtures();
    signed = fixtures["attendance-credential"] as Credential;
    disclosed = fixtures["disclosed-credential"] as Credential;
  });

  it("round-trip a credential and a disclosed copy through a URL fragment", async () => {
    for (const doc of [signed, disclosed]) {
      const fragment = encodeShareFragment(doc);
      expect(fragment).to.match(/^c1\.[A-Za-z0-9_-]+$/);
      expect(decodeShareFragment(fragment)).to.deep.equal(doc);
      expect(decodeShareFragment(`#${fragment}`)).to.deep.equal(doc);
      expect(await verifyOffline(decodeShareFragment(fragment))).to.equal(true);
    }
  });

  it("are deterministic and compact enough for a QR code", () => {
    const fragment = encodeShareFragment(disclosed);
    expect(encodeShareFragment(JSON.parse(JSON.stringify(disclosed)))).to.equal(fragment);
    const url = shareUrl("https://intyg.example/verify", disclosed);
    // A version 40 QR code holds 2,953 bytes.
    expect(url.length).to.be.below(2953);
    expect(fragment.length).to.be.below(canonicalJson(disclosed).length);
  });

  it("put the credential in the fragment of any base URL and read it back", () => {
    const url = shareUrl("https://intyg.example/verify?lang=sv#old", signed);
    expect(url.startsWith("https://intyg.example/verify?lang=sv#c1.")).to.equal(true);
    expect(parseShareUrl(url)).to.deep.equal(signed);
  });

  it("say clearly when a link is truncated", () => {
    const fragment = encodeShareFragment(signed);
    for (const keep of [fragment.length - 1, fragment.length - 10, Math.floor(fragment.length / 2), 40, 4]) {
      const error = decodeError(fragment.slice(0, keep));
      expect(error, `kept ${keep}`).to.be.instanceOf(ShareLinkTruncatedError);
      expect(error.message).to.equal("Share link is truncated");
    }
    expect(decodeError(SHARE_FRAGMENT_PREFIX)).to.be.instanceOf(ShareLinkTruncatedError);
  });

  it("say clearly when a link is damaged, missing or not a credential", async () => {
    const fragment = encodeShareFragment(signed);
    expect(() => parseShareUrl("https://intyg.example/verify")).to.throw(ShareLinkError, /no credential/);
    expect(decodeError("")).to.be.instanceOf(ShareLinkError);
    expect(decodeError(`c2.${fragment.slice(3)}`).message).to.equal("Unknown share link format");
    expect(decodeError(`${fragment.slice(0, 50)}*${fragment.slice(51)}`).message).to.match(/damaged/);
    expect(decodeError(fragmentOf(strToU8("{not json"))).message).to.match(/not JSON/);
    const notCredential = decodeError(fragmentOf(strToU8('{"hello":"world"}')));
    expect(notCredential.message).to.equal("Share link does not hold a valid credential");
    expect((notCredential as ShareLinkError).details.issues).to.be.an("array").that.is.not.empty;
    expect(decodeShareFragmentJson(fragmentOf(strToU8('{"hello":"world"}')))).to.deep.equal({
      hello: "world",
    });
    // A changed byte in the middle either breaks the compressed data or changes the credential.
    const damaged = `${fragment.slice(0, 200)}${fragment[200] === "A" ? "B" : "A"}${fragment.slice(201)}`;
    let caught = false;
    try {
      decodeShareFragment(damaged);
    } catch (error) {
      caught = error instanceof ShareLinkError;
    }
    if (!caught) expect(await verifyOffline(decodeShareFragment(damaged))).not.to.equal(true);
  });

  it("refuse a key written twice and bytes that are not UTF-8, which parsers would read differently", () => {
    const text = JSON.stringify(signed);
    const twice = text.replace('"credentialSubject":{', '"credentialSubject":{"name":"Someone Else",');
    expect(twice).not.to.equal(text);
    expect(decodeError(fragmentOf(strToU8(twice))).message).to.equal("Share link is damaged (duplicate key)");
    // Keys equal only after unescaping are the same key.
    expect(decodeError(fragmentOf(strToU8('{"a":1,"\\u0061":2}'))).message).to.match(/duplicate key/);
    // The same key in different objects, and a key that is also a value, are fine.
    expect(
      decodeShareFragmentJson(fragmentOf(strToU8('{"a":{"a":"a"},"b":[{"a":1},{"a":2}]}'))),
    ).to.deep.equal({
      a: { a: "a" },
      b: [{ a: 1 }, { a: 2 }],
    });
    const bytes = strToU8(text);
    const broken = new Uint8Array([...bytes.slice(0, 40), 0xff, ...bytes.slice(40)]);
    expect(decodeError(fragmentOf(broken)).message).to.equal("Share link is damaged (not UTF-8)");
  });

  it("refuse to inflate beyond 1 MiB", () => {
    const bomb = fragmentOf(new Uint8Array(8 * 1024 * 1024).fill(32));
    expect(bomb.length).to.be.below(20_000);
    expect(decodeError(bomb).message).to.match(/size limit/);
  });
});

describe("share links' base64url", () => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const outcome = (decode: (text: string) => Uint8Array, text: string) => {
    try {
      return Buffer.from(decode(text)).toString("hex");
    } catch {
      return "refused";
    }
  };

  it("reads any text of the alphabet as @scure/base does: the same bytes, or refused where it refuses", () => {
    const texts = fc.array(fc.constantFrom(...alphabet), { maxLength: 300 }).map((chars) => chars.join(""));
    fc.assert(
      fc.property(texts, (text) => {
        expect(outcome(decodeBase64Url, text)).to.equal(outcome((t) => base64urlnopad.decode(t), text));
      }),
      { numRuns: 2000 },
    );
  });

  it("gives back any bytes written by @scure/base, and refuses set spare bits and 4n+1 characters", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expect(
          Buffer.from(decodeBase64Url(base64urlnopad.encode(bytes))).equals(Buffer.from(bytes)),
        ).to.equal(true);
      }),
      { numRuns: 500 },
    );
    // "QQ" is the byte 0x41 with four zero spare bits; "QR" and "QUF" set some ("QUE" is 0x41 0x41).
    expect(Buffer.from(decodeBase64Url("QQ")).toString("hex")).to.equal("41");
    expect(Buffer.from(decodeBase64Url("QUE")).toString("hex")).to.equal("4141");
    expect(() => decodeBase64Url("QR")).to.throw(TypeError);
    expect(() => decodeBase64Url("QUF")).to.throw(TypeError);
    expect(() => decodeBase64Url("QUFBQ")).to.throw(TypeError);
    expect(decodeBase64Url("").byteLength).to.equal(0);
    // What atob would take but the alphabet does not hold: padding, white space, base64's own characters.
    for (const text of ["QQ==", " QQ", "QUE\n", "Q+/Q", "QU=E"]) {
      expect(() => decodeBase64Url(text), JSON.stringify(text)).to.throw(TypeError);
      expect(() => base64urlnopad.decode(text), JSON.stringify(text)).to.throw();
    }
  });
});
