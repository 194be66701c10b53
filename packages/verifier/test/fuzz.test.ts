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
  CHECK_IDS,
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
  type VerificationReport,
  verifyCredential,
  verifyCredentials,
  verifyPresentation,
} from "../src";
import { account, clone, createFixture, type Fixture } from "./fixture";
import { allPaths, flip, type Path } from "./mutate";

/** The longest any one verification may take (generous: the machine may be loaded). */
const TIME_BOUND_MS = 5_000;
const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

// ---- arbitraries ------------------------------------------------------------------------------------------

const hostileKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "@context",
    "type",
    "id",
    "proof",
    "anchor",
    "commitment",
    "credentialSubject",
    "verifiableCredential",
    "holder",
    "/credentialSubject/name",
    "\uD800",
    "",
    "k".repeat(5_000),
  ),
);

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\uD800",
    "a\uDC00b",
    "\uFFFD",
    "\u202Eevil",
    "__proto__",
    "1e309",
    "-0",
    "NaN",
    "0x",
    `0x${"0".repeat(64)}`,
    `0x${"f".repeat(130)}`,
    "18446744073709551616",
    "urn:intyg:org:31337:0x0000000000000000000000000000000000000000:1",
    "did:pkh:eip155:31337:0x0000000000000000000000000000000000000000",
    "https://www.w3.org/ns/credentials/v2",
    "VerifiablePresentation",
    "EthereumEip712Signature2021",
    "2026-02-30T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "c1.AAAA",
  ),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  // Long strings, within the 1 MiB limit or just beyond it.
  fc.constantFrom(1_000, 100_000, 1_100_000).map((n) => "x".repeat(n)),
);

const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, 2 ** 53 + 1, 2 ** 64, 1e308, -1e308, 5e-324, 31337, 4294967297),
);

const hostileLeaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));

/** Objects are built with Object.fromEntries, so `__proto__` is an own key, as JSON.parse makes it. */
const { tree: hostileTree } = fc.letrec<{ tree: unknown; array: unknown[]; object: Record<string, unknown> }>(
  (tie) => ({
    tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, hostileLeaf, tie("array"), tie("object")),
    array: fc.array(tie("tree"), { maxLength: 5 }),
    object: fc.array(fc.tuple(hostileKey, tie("tree")), { maxLength: 5 }).map((e) => Object.fromEntries(e)),
  }),
);

/** Nesting around the depth limit (32), and arrays around the size limit (50,000 values). */
const nested = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 40 }), fc.boolean(), hostileLeaf).map(([depth, arrays, leaf]) => {
    let value: unknown = leaf;
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { [i % 2 ? "a" : "__proto__"]: value };
    return value;
  }),
  fc.constantFrom(10, 49_990, 50_010).map((length) => ({ items: new Array(length).fill(0) })),
);

type Edit =
  | { at: number; op: "flip" }
  | { at: number; op: "delete" }
  | { at: number; op: "set"; value: unknown }
  | { at: number; op: "add"; key: string; value: unknown };

const edit = fc.oneof(
  // A changed character or number keeps the type, so the document gets past the schema to the digests,
  // the signature and the chain.
  fc.record({ at: fc.nat(), op: fc.constant("flip" as const) }),
  fc.record({ at: fc.nat(), op: fc.constant("delete" as const) }),
  fc.record({ at: fc.nat(), op: fc.constant("set" as const), value: fc.oneof(hostileTree, nested) }),
  fc.record({ at: fc.nat(), op: fc.constant("add" as const), key: hostileKey, value: hostileTree }),
);

/** A copy of `base` with 1–4 fields changed, deleted, replaced by hostile values, or given hostile neighbours. */
function shapedLike(base: unknown) {
  const paths = allPaths(base);
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    const doc = clone(base);
    for (const change of edits as Edit[]) {
      const path: Path = paths[change.at % paths.length]!;
      // An earlier edit may have removed or replaced the way there.
      let parent = doc as Record<string | number, unknown> | undefined;
      for (const token of path.slice(0, -1)) {
        parent = typeof parent === "object" && parent !== null ? (parent[token] as typeof parent) : undefined;
      }
      const key = path[path.length - 1]!;
      if (typeof parent !== "object" || parent === null || !Object.hasOwn(parent, key)) continue;
      if (change.op === "flip") {
        parent[key] = flip(parent[key]);
      } else if (change.op === "delete") {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
      } else if (change.op === "set") {
        parent[key] = change.value;
      } else {
        const target = parent[key];
        if (Array.isArray(target)) target.push(change.value);
        else if (typeof target === "object" && target !== null)
          Object.defineProperty(target, change.key, {
            value: change.value,
            enumerable: true,
            writable: true,
          });
        else parent[key] = Object.fromEntries([[change.key, change.value]]);
      }
    }
    return doc;
  });
}

/** A value as itself, as its JSON text, or as UTF-8 bytes of that text. */
const encoded = (value: fc.Arbitrary<unknown>) =>
  fc.tuple(value, fc.constantFrom("value", "text", "bytes")).map(([doc, as]) => {
    if (as === "value") return doc;
    const text = JSON.stringify(doc) ?? "";
    return as === "text" ? text : new TextEncoder().encode(text);
  });

/** Character edits of a JSON text: cuts, junk, lone surrogates, 1e309, prototype keys, stray brackets. */
function textEdited(text: string) {
  const insert = fc.oneof(
    fc.constant(""),
    fc.string({ unit: "binary", maxLength: 3 }),
    fc.constantFrom(
      "1e309",
      "-1e309",
      "\\ud800",
      "\uD800",
      '"__proto__":{"polluted":true},',
      '"constructor":{"prototype":{"polluted":true}},',
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      '"',
      "\\",
      "-0",
      "18446744073709551616",
      "\uFEFF",
    ),
  );
  return fc.array(fc.tuple(fc.nat(), fc.nat(8), insert), { minLength: 1, maxLength: 3 }).map((edits) =>
    edits.reduce((t, [at, cut, junk]) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + junk + t.slice(i + cut);
    }, text),
  );
}

/** Random bytes written over UTF-8 text: mostly not UTF-8 any more. */
function bytesEdited(text: string) {
  const bytes = new TextEncoder().encode(text);
  return fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
    .map((edits) => {
      const copy = bytes.slice();
      for (const [at, byte] of edits) copy[at % copy.length] = byte;
      return copy;
    });
}

// ---- what every answer must be ----------------------------------------------------------------------------

function expectReport(report: VerificationReport, kind: "credential" | "presentation"): void {
  expect(report.kind).to.equal(kind);
  expect(report.verified).to.be.a("boolean");
  expect(report.lang).to.be.oneOf(["sv", "en"]);
  expect(report.verdict).to.be.a("string").that.is.not.empty;
  expect(Number.isNaN(Date.parse(report.verifiedAt))).to.equal(false);
  expect(report.checks.map((check) => check.id)).to.deep.equal([...CHECK_IDS]);
  for (const check of report.checks) {
    expect(check.status).to.be.oneOf(["passed", "failed", "skipped"]);
    expect(check.code).to.match(CODE);
    expect(check.message).to.be.a("string").that.is.not.empty;
    // No check echoes a long input back.
    expect(check.message.length).to.be.below(1_000);
  }
  if (!report.verified) expect(report.checks.some((check) => check.status === "failed")).to.equal(true);
  // Plain JSON: the CLI prints it and the service returns it as is.
  expect(JSON.parse(JSON.stringify(report))).to.deep.equal(report);
}

async function timed<T>(run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  expect(performance.now() - start, "time of one verification (ms)").to.be.below(TIME_BOUND_MS);
  return result;
}

/** The document an input carries, with the informative `created` times removed, keys sorted. */
function canonical(input: unknown): string | undefined {
  let value = input;
  try {
    if (input instanceof Uint8Array) value = JSON.parse(new TextDecoder().decode(input));
    else if (typeof input === "string") value = JSON.parse(input);
  } catch {
    return undefined;
  }
  const strip = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => strip(item));
    if (typeof node !== "object" || node === null) return node;
    const entries = Object.entries(node)
      .filter(([k]) => !(key === "proof" && k === "created"))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, strip(v, k)]);
    return Object.fromEntries(entries);
  };
  return JSON.stringify(strip(value));
}

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

function expectNoPollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(prototypeNames);
  expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
}

// ---- the tests --------------------------------------------------------------------------------------------

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
          const { errors, warnings, ...report } = result;
          expectReport(report, kind);
          expect(errors).to.have.length(report.checks.filter((check) => check.status === "failed").length);
          expect(warnings).to.be.an("array");
        }
        expectNoPollution();
      }),
      { numRuns: 60 },
    );
  });
});
