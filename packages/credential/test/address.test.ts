// The memoised address helpers answer as viem does, repeated calls included.

import { expect } from "chai";
import fc from "fast-check";
import { getAddress, isAddressEqual } from "viem";
import { checksummed, sameAddress } from "../src/address";

const outcome = (fn: () => unknown) => {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: (error as Error).name };
  }
};

const address = fc.oneof(
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString("hex")}`),
  fc
    .uint8Array({ minLength: 20, maxLength: 20 })
    .map((b) => getAddress(`0x${Buffer.from(b).toString("hex")}`)),
  fc
    .uint8Array({ minLength: 20, maxLength: 20 })
    .map((b) => `0x${Buffer.from(b).toString("hex").toUpperCase()}`),
  fc.constantFrom(
    "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    "0x5FbDB2315678afecb367f032d93F642f64180aA3",
    "0x5fbdb2315678afecb367f032d93f642f64180aa",
    "5fbdb2315678afecb367f032d93f642f64180aa3",
    "",
  ),
);

describe("address helpers", () => {
  it("checksummed is viem's getAddress, and throws where it does, every time", () => {
    fc.assert(
      fc.property(address, (value) => {
        const expected = outcome(() => getAddress(value));
        expect(outcome(() => checksummed(value))).to.deep.equal(expected);
        expect(outcome(() => checksummed(value))).to.deep.equal(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("sameAddress is viem's isAddressEqual, and throws where it does", () => {
    fc.assert(
      fc.property(address, address, fc.boolean(), (a, b, same) => {
        const other = same ? a.toLowerCase() : b;
        expect(outcome(() => sameAddress(a, other))).to.deep.equal(
          outcome(() => isAddressEqual(a as `0x${string}`, other as `0x${string}`)),
        );
      }),
      { numRuns: 500 },
    );
  });
});
