import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import {
  BindingError,
  type BindingFailureReason,
  buildBatch,
  buildIssueRequest,
  type Credential,
  checkProofBinding,
  checkProofSignature,
  commitCredential,
  createSignerCache,
  hashIssueRequest,
  IntegrityError,
  issueRequestFromMessage,
  issueRequestToMessage,
  issueRequestTypes,
  ProofError,
  proofDigest,
  recoverProofSigner,
  signBatch,
  signCredential,
  type UnsignedCredential,
} from "../src";
import { hashTypedData, keccak256, recoverAddress, stringToBytes } from "../src/viem";
import {
  account,
  attendanceDocument,
  batchDocuments,
  CHAIN_ID,
  clone,
  courseDocument,
  DEADLINE,
  EVENT_ID,
  HOLDER,
  REGISTRY,
  SIGNER,
  verifyOffline,
} from "./helpers";

// biome-ignore lint/suspicious/noExplicitAny: test documents are edited freely
type Json = Record<string, any>;

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function bindingFailure(doc: unknown): { reason: BindingFailureReason; path?: string } {
  const result = checkProofBinding(doc);
  if (result.ok) throw new Error("binding holds");
  return { reason: result.reason, ...(result.path === undefined ? {} : { path: result.path }) };
}

describe("EIP-712 types", () => {
  it("are the registry's: the IssueRequest type string hashes to ISSUE_TYPEHASH's preimage", () => {
    const source = readFileSync(path.join(__dirname, "../../../contracts/IntygRegistry.sol"), "utf8");
    const declared = /ISSUE_TYPEHASH = keccak256\(\s*"([^"]+)"/.exec(source)?.[1];
    const encoded = `IssueRequest(${issueRequestTypes.IssueRequest.map((m) => `${m.type} ${m.name}`).join(",")})`;
    expect(encoded).to.equal(declared);
    expect(keccak256(stringToBytes(encoded))).to.equal(
      keccak256(
        stringToBytes(
          "IssueRequest(bytes32 commitment,uint64 eventId,uint64 validUntil,uint32 batchSize,address holder,uint64 deadline)",
        ),
      ),
    );
  });

  it("convert requests to the JSON message and back", () => {
    const request = buildIssueRequest({
      commitment: `0x${"ab".repeat(32)}`,
      eventId: EVENT_ID,
      deadline: DEADLINE,
    });
    expect(request).to.deep.equal({
      commitment: `0x${"ab".repeat(32)}`,
      eventId: EVENT_ID,
      validUntil: 0n,
      batchSize: 0,
      holder: "0x0000000000000000000000000000000000000000",
      deadline: DEADLINE,
    });
    const message = issueRequestToMessage(request);
    expect(message).to.deep.equal({
      commitment: `0x${"ab".repeat(32)}`,
      eventId: "4294967297",
      validUntil: "0",
      batchSize: 0,
      holder: "0x0000000000000000000000000000000000000000",
      deadline: "1893456000",
    });
    expect(issueRequestFromMessage(message)).to.deep.equal(request);
    expect(() => buildIssueRequest({ commitment: "0x12", eventId: 1, deadline: 1 })).to.throw(/commitment/);
    expect(() =>
      buildIssueRequest({ commitment: `0x${"ab".repeat(32)}`, eventId: -1, deadline: 1 }),
    ).to.throw(/eventId/);
    expect(() =>
      buildIssueRequest({ commitment: `0x${"ab".repeat(32)}`, eventId: 1, deadline: 2n ** 64n }),
    ).to.throw(/deadline/);
  });
});

describe("signatures", () => {
  let single: Credential;
  before(async () => {
    single = await signCredential(attendanceDocument(), {
      account,
      deadline: DEADLINE,
      created: "2026-05-25T16:05:00Z",
    });
  });

  it("sign a single credential's root as an IntygEip712IssueRequestProof2026 (a set of one proof)", () => {
    expect(single.proof).to.have.length(1);
    expect(single.proof[0]).to.deep.include({
      type: "IntygEip712IssueRequestProof2026",
      created: "2026-05-25T16:05:00Z",
      proofPurpose: "assertionMethod",
      verificationMethod: `did:pkh:eip155:31337:${SIGNER}#blockchainAccountId`,
    });
    expect(single.proof[0].proofValue).to.match(/^0x[0-9a-f]{130}$/);
    expect(single.proof[0].eip712.domain).to.deep.equal({
      name: "Intyg",
      version: "1",
      chainId: CHAIN_ID,
      verifyingContract: REGISTRY,
    });
    expect(single.proof[0].eip712.primaryType).to.equal("IssueRequest");
    expect(single.proof[0].eip712.types).to.deep.equal(issueRequestTypes);
    expect(single.proof[0].eip712.message).to.deep.include({
      commitment: single.commitment.root,
      eventId: "4294967297",
      validUntil: "0",
      batchSize: 0,
    });
    expect(single.anchor).to.deep.equal({
      type: "IntygRegistryAnchor2026",
      chainId: CHAIN_ID,
      registry: REGISTRY,
      eventId: "4294967297",
    });
  });

  it("recover to the signer, and the digest is the registry's hashIssueRequest", async () => {
    expect(await recoverProofSigner(single)).to.equal(SIGNER);
    expect(await checkProofSignature(single)).to.deep.equal({ ok: true, signer: SIGNER });
    const request = issueRequestFromMessage(single.proof[0].eip712.message);
    expect(proofDigest(single)).to.equal(hashIssueRequest(CHAIN_ID, REGISTRY, request));
    expect(proofDigest(single)).to.equal(
      hashTypedData({
        domain: single.proof[0].eip712.domain,
        types: single.proof[0].eip712.types,
        primaryType: "IssueRequest",
        message: request,
      }),
    );
    expect(checkProofBinding(single)).to.deep.include({
      ok: true,
      kind: "single",
      anchoredCommitment: single.commitment.root,
    });
  });

  it("bind validUntil and a token holder into the request", async () => {
    const signed = await signCredential(courseDocument(), { account, deadline: DEADLINE, holder: HOLDER });
    expect(signed.proof[0].eip712.message.validUntil).to.equal(
      String(Date.parse("2029-05-31T23:59:59Z") / 1000),
    );
    expect(signed.proof[0].eip712.message.holder).to.equal(HOLDER);
    expect(checkProofBinding(signed)).to.deep.include({
      ok: true,
      holder: HOLDER,
      validUntil: BigInt(Date.parse("2029-05-31T23:59:59Z") / 1000),
    });
    expect(await verifyOffline(signed)).to.equal(true);
  });

  it("refuse to sign a credential for another chain, registry or event, or whose integrity fails", async () => {
    const doc = attendanceDocument();
    await expectRejection(signCredential(doc, { account, deadline: DEADLINE, chainId: 1 }), BindingError);
    await expectRejection(
      signCredential(doc, {
        account,
        deadline: DEADLINE,
        registry: "0x0000000000000000000000000000000000000001",
      }),
      BindingError,
    );
    await expectRejection(signCredential(doc, { account, deadline: DEADLINE, eventId: 2 }), BindingError);
    await signCredential(doc, {
      account,
      deadline: DEADLINE,
      chainId: CHAIN_ID,
      registry: REGISTRY.toLowerCase() as `0x${string}`,
      eventId: EVENT_ID,
    });
    const tampered = { ...doc, name: "Något annat" };
    await expectRejection(signCredential(tampered, { account, deadline: DEADLINE }), IntegrityError);
  });

  it("fail for a changed signature byte, a malleable (high s) copy or another signer", async () => {
    const flipped = clone(single) as Json;
    const sig = flipped.proof[0].proofValue as string;
    flipped.proof[0].proofValue = `${sig.slice(0, 20)}${sig[20] === "0" ? "1" : "0"}${sig.slice(21)}`;
    expect((await checkProofSignature(flipped)).ok).to.equal(false);

    const malleable = clone(single) as Json;
    const s = BigInt(`0x${sig.slice(66, 130)}`);
    const v = Number.parseInt(sig.slice(130), 16);
    malleable.proof[0].proofValue = `${sig.slice(0, 66)}${(SECP256K1_N - s).toString(16).padStart(64, "0")}${(v === 27 ? 28 : 27).toString(16)}`;
    expect(await checkProofSignature(malleable)).to.deep.equal({ ok: false, reason: "invalid-signature" });

    const other = clone(single) as Json;
    other.proof[0].verificationMethod = `did:pkh:eip155:31337:${HOLDER}#blockchainAccountId`;
    expect(await checkProofSignature(other)).to.deep.equal({
      ok: false,
      reason: "signer-mismatch",
      signer: SIGNER,
    });

    expect(await checkProofSignature({ proof: 1 })).to.deep.equal({ ok: false, reason: "malformed-proof" });
    await expectRejection(recoverProofSigner({}), ProofError);
  });

  describe("against a key already recovered", () => {
    // A signer's key, once recovered, checks its later signatures without a recovery (ECDSA verification plus the
    // nonce's parity): every answer must be the one a recovery gives, also for changed or foreign signatures.
    const otherAccount = privateKeyToAccount(`0x${"5e".repeat(32)}`);
    const recovered = async (doc: Credential) =>
      recoverAddress({ hash: proofDigest(doc), signature: doc.proof[0].proofValue });

    it("answers as a recovery does for signatures of the known key and of another key", async () => {
      const docs: Credential[] = [];
      for (let i = 0; i < 6; i++) {
        const signer = i % 3 === 2 ? otherAccount : account;
        docs.push(
          await signCredential(attendanceDocument(), { account: signer, deadline: DEADLINE + BigInt(i) }),
        );
      }
      for (let round = 0; round < 3; round++) {
        for (const doc of docs) {
          const claimed = clone(doc) as Json;
          // Every credential claims the first signer: the other key's must fail and name its own signer.
          claimed.proof[0].verificationMethod = `did:pkh:eip155:31337:${SIGNER}#blockchainAccountId`;
          const expected = await recovered(doc);
          const result = await checkProofSignature(claimed);
          if (expected === SIGNER) expect(result).to.deep.equal({ ok: true, signer: SIGNER });
          else expect(result).to.deep.equal({ ok: false, reason: "signer-mismatch", signer: expected });
        }
      }
    });

    it("still fails a flipped recovery bit, a changed message and a changed r once the key is known", async () => {
      const doc = await signCredential(attendanceDocument(), { account, deadline: DEADLINE + 100n });
      for (let i = 0; i < 3; i++) expect((await checkProofSignature(doc)).ok).to.equal(true);
      const sig = doc.proof[0].proofValue;

      // The same r and s with the other parity verify as ECDSA, but recover another key.
      const flipped = clone(doc) as Json;
      flipped.proof[0].proofValue = `${sig.slice(0, 130)}${sig.endsWith("1b") ? "1c" : "1b"}`;
      const flippedSigner = await recoverAddress({
        hash: proofDigest(doc),
        signature: flipped.proof[0].proofValue,
      });
      expect(flippedSigner).to.not.equal(SIGNER);
      expect(await checkProofSignature(flipped)).to.deep.equal({
        ok: false,
        reason: "signer-mismatch",
        signer: flippedSigner,
      });

      const changed = clone(doc) as Json;
      changed.proof[0].eip712.message.deadline = (DEADLINE + 101n).toString();
      const result = await checkProofSignature(changed);
      expect(result.ok).to.equal(false);
      expect(result).to.deep.equal({
        ok: false,
        reason: "signer-mismatch",
        signer: await recovered(changed as Credential),
      });

      const otherR = clone(doc) as Json;
      otherR.proof[0].proofValue = `0x${"11".repeat(32)}${sig.slice(66)}`;
      expect((await checkProofSignature(otherR)).ok).to.equal(false);
      expect((await checkProofSignature(doc)).ok).to.equal(true);
    });
  });

  describe("binding", () => {
    const cases: [string, (doc: Json) => void, BindingFailureReason, string][] = [
      [
        "anchor chain",
        (d) => {
          d.anchor.chainId = 1;
        },
        "chain-mismatch",
        "/proof/0/eip712/domain/chainId",
      ],
      [
        "domain chain",
        (d) => {
          d.proof[0].eip712.domain.chainId = 1;
        },
        "chain-mismatch",
        "/proof/0/eip712/domain/chainId",
      ],
      [
        "method chain",
        (d) => {
          d.proof[0].verificationMethod = d.proof[0].verificationMethod.replace("31337", "1");
        },
        "chain-mismatch",
        "/proof/0/verificationMethod",
      ],
      [
        "registry",
        (d) => {
          d.anchor.registry = "0x0000000000000000000000000000000000000001";
        },
        "registry-mismatch",
        "/proof/0/eip712/domain/verifyingContract",
      ],
      [
        "issuer registry",
        (d) => {
          d.issuer.id = d.issuer.id.replace("0x5fbdb", "0x5fbdc");
        },
        "registry-mismatch",
        "/issuer/id",
      ],
      [
        "anchor event",
        (d) => {
          d.anchor.eventId = "4294967298";
        },
        "event-mismatch",
        "/proof/0/eip712/message/eventId",
      ],
      [
        "message event",
        (d) => {
          d.proof[0].eip712.message.eventId = "4294967298";
        },
        "event-mismatch",
        "/proof/0/eip712/message/eventId",
      ],
      [
        "achievement event",
        (d) => {
          d.credentialSubject.achievement.id = d.credentialSubject.achievement.id.replace(/7$/, "8");
        },
        "event-mismatch",
        "/credentialSubject/achievement/id",
      ],
      [
        "organisation",
        (d) => {
          d.issuer.id = d.issuer.id.replace(/:1$/, ":2");
        },
        "organisation-mismatch",
        "/issuer/id",
      ],
      [
        "validUntil",
        (d) => {
          d.validUntil = "2029-01-01T00:00:00Z";
        },
        "valid-until-mismatch",
        "/proof/0/eip712/message/validUntil",
      ],
      [
        "batch size",
        (d) => {
          d.proof[0].eip712.message.batchSize = 2;
        },
        "batch-size-mismatch",
        "/proof/0/eip712/message/batchSize",
      ],
      [
        "commitment",
        (d) => {
          d.proof[0].eip712.message.commitment = `0x${"00".repeat(32)}`;
        },
        "commitment-mismatch",
        "/proof/0/eip712/message/commitment",
      ],
      [
        "types",
        (d) => {
          d.proof[0].eip712.types.IssueRequest[0].type = "bytes";
        },
        "malformed-proof",
        "/proof",
      ],
      [
        "anchor",
        (d) => {
          delete d.anchor;
        },
        "malformed-anchor",
        "/anchor",
      ],
      [
        "proof",
        (d) => {
          delete d.proof;
        },
        "malformed-proof",
        "/proof",
      ],
    ];
    for (const [name, edit, reason, where] of cases) {
      it(`fails on a changed ${name}`, () => {
        const doc = clone(single) as Json;
        edit(doc);
        expect(bindingFailure(doc)).to.deep.equal({ reason, path: where });
      });
    }
    it("never throws", () => {
      for (const value of [null, 1, "x", [], {}, { proof: single.proof }]) {
        expect(checkProofBinding(value).ok).to.equal(false);
      }
    });
  });

  describe("batches", () => {
    it("sign the batch root once and verify every credential with one recovery", async () => {
      const many = Array.from({ length: 1000 }, (_, i) => freshDocument(`Deltagare ${i}`));
      const signed = await signBatch(buildBatch(many), { account, deadline: DEADLINE });
      expect(signed.size).to.equal(1000);
      for (const credential of signed.credentials) expect(credential.proof[0]).to.equal(signed.proof);
      expect(signed.proof.eip712.message).to.deep.include({
        commitment: signed.root,
        batchSize: 1000,
        eventId: "4294967297",
      });

      const cache = createSignerCache();
      const started = Date.now();
      const roundTripped = JSON.parse(JSON.stringify(signed.credentials)) as Credential[];
      for (const credential of roundTripped) expect(await verifyOffline(credential, cache)).to.equal(true);
      const elapsed = Date.now() - started;
      expect(cache.signers.size).to.equal(1);
      expect(cache.digests.size).to.equal(1);
      console.log(`      (1,000 batch credentials verified offline in ${elapsed} ms with one recovery)`);

      const binding = checkProofBinding(roundTripped[3]);
      expect(binding).to.deep.include({ ok: true, kind: "batch", anchoredCommitment: signed.root });
    });

    it("fail on a changed batch leaf, root, proof element or size, and on a holder", async () => {
      const signed = await signBatch(buildBatch(batchDocuments()), { account, deadline: DEADLINE });
      const one = signed.credentials[1]!;
      const edits: [(d: Json) => void, BindingFailureReason][] = [
        [
          (d) => {
            d.anchor.batch.leaf = `0x${"00".repeat(32)}`;
          },
          "batch-leaf-mismatch",
        ],
        [
          (d) => {
            d.anchor.batch.root = `0x${"00".repeat(32)}`;
          },
          "batch-root-mismatch",
        ],
        [
          (d) => {
            d.anchor.batch.proof[0] = `0x${"00".repeat(32)}`;
          },
          "batch-proof-invalid",
        ],
        [
          (d) => {
            d.anchor.batch.proof.pop();
          },
          "batch-proof-invalid",
        ],
        [
          (d) => {
            d.anchor.batch.size = 6;
          },
          "batch-size-mismatch",
        ],
        [
          (d) => {
            d.proof[0].eip712.message.holder = HOLDER;
          },
          "holder-on-batch",
        ],
        [
          (d) => {
            d.commitment.root = signed.credentials[2]!.commitment.root;
          },
          "batch-leaf-mismatch",
        ],
      ];
      for (const [edit, reason] of edits) {
        const doc = clone(one) as Json;
        edit(doc);
        expect(bindingFailure(doc).reason).to.equal(reason);
      }
    });
  });
});

/** A credential of the conference for another attendee, committed with fresh random salts. */
function freshDocument(name: string): UnsignedCredential {
  const { commitment: _commitment, ...body } = attendanceDocument();
  return commitCredential({ ...body, credentialSubject: { ...body.credentialSubject, name } });
}

async function expectRejection(
  promise: Promise<unknown>,
  type: new (...args: never[]) => Error,
): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    return;
  }
  expect.fail("should reject");
}
