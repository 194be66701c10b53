import { expect } from "chai";
import fc from "fast-check";
import { bytesToHex, getAddress, hashTypedData } from "viem";
import { intygDomain, issueRequestTypes } from "../src/eip712";
import { issueRequestDigest } from "../src/typed-digest";

const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => bytesToHex(b));
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b));
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe("issueRequestDigest", () => {
  it("is viem's hashTypedData of the IssueRequest, for any domain and request", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        address,
        fc.boolean(),
        fc.record({
          commitment: bytes32,
          eventId: uint64,
          validUntil: uint64,
          batchSize: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          holder: address,
          deadline: uint64,
        }),
        (chainId, registry, checksummed, request) => {
          const domain = intygDomain(chainId, checksummed ? getAddress(registry) : registry);
          const message = { ...request, holder: checksummed ? getAddress(request.holder) : request.holder };
          const expected = hashTypedData({
            domain,
            types: issueRequestTypes,
            primaryType: "IssueRequest",
            message,
          });
          expect(issueRequestDigest(domain, message)).to.equal(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("throws for values out of their types' range, as viem does", () => {
    const domain = intygDomain(1, `0x${"11".repeat(20)}`);
    const request = {
      commitment: `0x${"22".repeat(32)}` as const,
      eventId: 1n,
      validUntil: 0n,
      batchSize: 0,
      holder: `0x${"00".repeat(20)}` as const,
      deadline: 1n,
    };
    expect(() => issueRequestDigest(domain, { ...request, eventId: 2n ** 64n })).to.throw(RangeError);
    expect(() => issueRequestDigest(domain, { ...request, batchSize: 2 ** 32 })).to.throw(RangeError);
    expect(() => issueRequestDigest(domain, { ...request, validUntil: -1n })).to.throw(RangeError);
    expect(() => issueRequestDigest(domain, { ...request, holder: "0x12" })).to.throw(TypeError);
  });
});
