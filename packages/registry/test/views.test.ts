import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import {
  type Abi,
  decodeFunctionData,
  decodeFunctionResult,
  encodeFunctionData,
  encodeFunctionResult,
  type Hex,
  keccak256,
  toHex,
} from "viem";
import {
  decodeRegistryView,
  EVENT_KIND,
  emptyRegistryView,
  intygRegistryAbi,
  ORGANISATION_STATUS,
  type RegistryView,
  type RegistryViewValue,
  registryViewCall,
} from "../src";

// Untyped for the encoding side of these tests (the reader's own types are what is under test).
const abi: Abi = intygRegistryAbi;
const registry = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const hash = (label: string): Hex => keccak256(toHex(label));
const key = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

/** Every kind of view, with what the registry would answer (in the ABI's own field order). */
const cases: { view: RegistryView; value: RegistryViewValue }[] = [
  {
    view: { kind: "organisation", organisationId: 7 },
    value: {
      profileHash: hash("profile"),
      admin: key,
      status: ORGANISATION_STATUS.suspended,
      eventCount: 3,
      suspendedAt: 1_900_000_000,
      organisationNumberHash: hash("number"),
    },
  },
  {
    view: { kind: "signingKey", key },
    value: { organisationId: 7, validFrom: 1_800_000_000, validUntil: 2 ** 40 - 1, suspended: true },
  },
  {
    view: { kind: "event", eventId: (7n << 32n) | 2n },
    value: { metadataHash: hash("event"), parentId: (7n << 32n) | 1n, createdAt: 1_800_000_001, kind: 2 },
  },
  {
    view: { kind: "record", organisationId: 7, commitment: hash("root") },
    value: {
      eventId: (7n << 32n) | 2n,
      issuedAt: 1_800_000_002,
      validUntil: 1_900_000_000,
      revokedAt: 1_850_000_000,
      revocationReason: 4,
      batchSize: 1000,
      anchoredBy: 2,
    },
  },
  {
    view: { kind: "leafRevocation", organisationId: 7, root: hash("root"), leaf: hash("leaf") },
    value: { revokedAt: 1_850_000_000, reason: 1 },
  },
  {
    view: { kind: "supersededBy", organisationId: 7, root: hash("root"), leaf: hash("leaf") },
    value: hash("replacement"),
  },
  {
    view: { kind: "profileHistory", organisationId: 7 },
    value: [
      { profileHash: hash("first"), since: 1_800_000_000 },
      { profileHash: hash("second"), since: 1_810_000_000 },
    ],
  },
  {
    view: {
      kind: "batchMember",
      organisationId: 7,
      root: hash("root"),
      leaf: hash("leaf"),
      proof: [hash("x")],
    },
    value: true,
  },
];

/** The view's arguments in the order of its parameters. */
const argumentsOf = ({ kind, ...rest }: RegistryView): unknown[] => Object.values(rest);

describe("registry views", () => {
  for (const { view, value } of cases) {
    it(`${view.kind}: calls its function with its arguments and decodes what the ABI returns`, () => {
      const call = registryViewCall(registry, view);
      expect(call.address).to.equal(registry);
      const data = decodeFunctionData({
        abi: intygRegistryAbi,
        data: encodeFunctionData({ abi, functionName: call.functionName, args: call.args }),
      });
      expect(data.functionName).to.equal(call.functionName);
      expect(data.args).to.deep.equal(argumentsOf(view));
      // The node's answer, encoded from the value as the contract would return it, decoded as viem does.
      // (signingKey also returns the key's index, which no reader uses.)
      const result = view.kind === "signingKey" ? { ...(value as object), index: 1 } : value;
      const returned = encodeFunctionResult({ abi, functionName: call.functionName, result });
      const raw = decodeFunctionResult({ abi, functionName: call.functionName, data: returned });
      expect(decodeRegistryView(view, raw as Parameters<typeof decodeRegistryView>[1])).to.deep.equal(value);
    });
  }

  it("answers all zeros for what does not exist, as the registry's views do", () => {
    for (const { view, value } of cases) {
      const empty = emptyRegistryView(view);
      expect(typeof empty).to.equal(typeof value);
      for (const field of Object.values(typeof empty === "object" ? empty : { empty })) {
        expect([0, 0n, false, `0x${"0".repeat(64)}`, `0x${"0".repeat(40)}`]).to.deep.include(field);
      }
    }
  });

  it("has the enums of IIntygRegistry.sol, in their declared order", () => {
    const source = readFileSync(
      path.join(__dirname, "..", "..", "..", "contracts", "interfaces", "IIntygRegistry.sol"),
      "utf8",
    );
    const members = (name: string) =>
      new RegExp(`enum ${name} \\{([^}]*)\\}`)
        .exec(source)![1]!
        .split(",")
        .map((member) => member.trim().toLowerCase());
    expect(Object.keys(ORGANISATION_STATUS)).to.deep.equal(members("OrganisationStatus"));
    expect(Object.values(ORGANISATION_STATUS)).to.deep.equal([0, 1, 2]);
    expect(Object.keys(EVENT_KIND)).to.deep.equal(members("EventKind"));
    expect(Object.values(EVENT_KIND)).to.deep.equal([0, 1, 2]);
  });
});
