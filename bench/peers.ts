// Same-run peer baselines for the verification benchmark: OpenAttestation (a wrapped batch: `wrapDocuments`, then
// `validateSchema` + `verifySignature` per document, the offline part of its verification) and the EAS SDK
// (off-chain attestations: `signOffchainAttestation`, `verifyOffchainAttestationSignature`). Inputs are JSON texts,
// as for Intyg. Only the benchmark uses these packages (root devDependencies).

import { EAS, Offchain, OffchainAttestationVersion } from "@ethereum-attestation-service/eas-sdk";
import { validateSchema, verifySignature, wrapDocuments } from "@govtechsg/open-attestation";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { Wallet } from "ethers";
import { attendeeSubject, CONFERENCE, PROFILE } from "./chain";

/** `count` OpenAttestation v2 documents with the same attendee data as Intyg's, wrapped as one batch (JSON texts). */
export function openAttestationBatch(count: number, documentStore: string): string[] {
  const docs = Array.from({ length: count }, (_, i) => ({
    $template: { name: "INTYG_ATTENDANCE", type: "EMBEDDED_RENDERER", url: "https://renderer.example.se" },
    issuers: [
      {
        name: PROFILE.name,
        documentStore,
        identityProof: { type: "DNS-TXT", location: "region.example.se" },
      },
    ],
    id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    name: CONFERENCE.name,
    validFrom: "2026-05-12T08:00:00Z",
    recipient: attendeeSubject(i),
    event: {
      name: CONFERENCE.name,
      description: CONFERENCE.description,
      startDate: CONFERENCE.startDate,
      endDate: CONFERENCE.endDate,
      location: CONFERENCE.location,
      parts: CONFERENCE.parts,
    },
  }));
  // biome-ignore lint/suspicious/noExplicitAny: the library's document type is a wide union.
  return wrapDocuments(docs as any).map((doc) => JSON.stringify(doc));
}

/** OpenAttestation's offline checks of each text (parse, schema, signature i.e. target hash and Merkle proof). */
export function verifyOpenAttestation(texts: readonly string[]): number {
  let verified = 0;
  for (const text of texts) {
    const doc = JSON.parse(text);
    if (validateSchema(doc) && verifySignature(doc)) verified++;
  }
  if (verified !== texts.length)
    throw new Error(`OpenAttestation: ${texts.length - verified} did not verify`);
  return verified;
}

export type EasPeer = {
  offchain: Offchain;
  attester: string;
  sign(i: number): Promise<string>;
};

const SCHEMA_UID = `0x${"ab".repeat(32)}`;

/** An EAS off-chain signer on `chainId` (version 2 attestations), signing with dev key #2 as Intyg's bench does. */
export function easPeer(chainId: number, contract: string): EasPeer {
  const wallet = new Wallet(DEV_PRIVATE_KEYS[2]!);
  const offchain = new Offchain(
    { address: contract, version: "1.3.0", chainId: BigInt(chainId) },
    OffchainAttestationVersion.Version2,
    new EAS(contract),
  );
  return {
    offchain,
    attester: wallet.address,
    async sign(i: number) {
      const attestation = await offchain.signOffchainAttestation(
        {
          schema: SCHEMA_UID,
          recipient: "0x0000000000000000000000000000000000000000",
          time: 1_780_000_000n + BigInt(i),
          expirationTime: 0n,
          revocable: true,
          refUID: `0x${"00".repeat(32)}`,
          data: `0x${Buffer.from(JSON.stringify(attendeeSubject(i))).toString("hex")}`,
        },
        wallet,
        { verifyOnchain: false },
      );
      return JSON.stringify(attestation, (_, value) =>
        typeof value === "bigint" ? value.toString() : value,
      );
    },
  };
}

/** EAS's off-chain signature check of each text (its EIP-712 digest and one recovery each). */
export function verifyEas(peer: EasPeer, texts: readonly string[]): number {
  let verified = 0;
  for (const text of texts) {
    if (peer.offchain.verifyOffchainAttestationSignature(peer.attester, JSON.parse(text))) verified++;
  }
  if (verified !== texts.length) throw new Error(`EAS: ${texts.length - verified} did not verify`);
  return verified;
}
