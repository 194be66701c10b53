// Writes the test vectors under test/fixtures/ deterministically: fixed salts (derived from a seed and the
// claim path), fixed ids and times, and Hardhat's account #2 as the signing key (ECDSA signatures are
// deterministic, RFC 6979). `test/fixtures.test.ts` recomputes them and compares.
//
//   pnpm --filter @intyg/credential fixtures

import { writeFileSync } from "node:fs";
import path from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import {
  type BuildCredentialParams,
  buildAttendanceCredential,
  buildBatch,
  buildCourseCredential,
  type Credential,
  claimDigest,
  discloseCredential,
  encodeShareFragment,
  eventMetadataHash,
  type Hex,
  organisationProfileHash,
  parseClaimPath,
  parseOrganisationUrn,
  proofDigest,
  type SaltGenerator,
  signBatch,
  signCredential,
  type UnsignedCredential,
} from "../src";
import { keccak256, slice, stringToBytes } from "../src/viem";

/** Hardhat's account #2 (a well-known test key: never use it for anything real). */
export const PRIVATE_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a" as const;
export const SIGNER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as const;
/** Hardhat's account #3, a holder wallet that asks for a soulbound token. */
export const HOLDER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906" as const;
export const CHAIN_ID = 31337;
export const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;
export const ORGANISATION_ID = 1;
/** The first event of organisation 1, as the registry numbers them (`organisationId << 32 | sequence`). */
export const EVENT_ID = (1n << 32n) | 1n;
export const COURSE_EVENT_ID = (1n << 32n) | 2n;
export const DEADLINE = 1_893_456_000n; // 2030-01-01T00:00:00Z
export const VALID_FROM = "2026-05-25T16:00:00Z";
export const CREATED = "2026-05-25T16:05:00Z";

export const account = privateKeyToAccount(PRIVATE_KEY);

/** Salts derived from a seed and the claim path: fixed, for test vectors only. */
export function seededSalt(seed: string): SaltGenerator {
  return (claimPath) => slice(keccak256(stringToBytes(`${seed}|${claimPath}`)), 0, 16);
}

export const issuer: BuildCredentialParams["issuer"] = {
  organisationId: ORGANISATION_ID,
  name: "Göteborgs Stad",
  legalName: "Göteborgs kommun",
  organisationNumber: "212000-1355",
  url: "https://goteborg.se",
};

export const conference = {
  name: "Offentliga Rummet 2026",
  description: "Offentliga Sveriges mötesplats för digitalisering: nätverksdag, seminarier och hackathon.",
  criteria: "Närvaro registrerad vid entrén och vid passen.",
  startDate: "2026-05-23",
  endDate: "2026-05-25",
  location: "Svenska Mässan, Göteborg",
  parts: [
    { id: "natverksdag", name: "Nätverksdag", kind: "networking" as const, date: "2026-05-23" },
    { id: "seminarier-1", name: "Seminariedag 1", kind: "seminar" as const, date: "2026-05-24" },
    { id: "seminarier-2", name: "Seminariedag 2", kind: "seminar" as const, date: "2026-05-25" },
    {
      id: "hackathon",
      name: "Hackathon: blockkedjor för trovärdiga data i vård och utbildning",
      kind: "hackathon" as const,
      date: "2026-05-24",
    },
  ],
};

export const course = {
  name: "Informationssäkerhet i vården",
  description: "Grundkurs i informationssäkerhet för vårdens verksamheter.",
  hours: 16,
  credits: 1.5,
  learningOutcomes: ["Beskriva grunderna i informationssäkerhet", "Hantera personuppgifter enligt GDPR"],
  skills: [
    {
      id: "http://data.europa.eu/esco/skill/f0de4973-0a70-4644-8fd4-3a97080476f4",
      name: "informationssäkerhet",
    },
    { name: "riskanalys" },
  ],
  assessment: "Skriftligt prov",
};

function common(seed: string, id: string): Omit<BuildCredentialParams, "subject"> {
  return {
    chainId: CHAIN_ID,
    registry: REGISTRY,
    eventId: EVENT_ID,
    issuer,
    validFrom: VALID_FROM,
    id,
    salt: seededSalt(seed),
  };
}

export function attendanceDocument(): UnsignedCredential {
  return buildAttendanceCredential({
    ...common("attendance", "urn:uuid:8f2b6a4e-3c1d-4e5f-9a7b-1c2d3e4f5a6b"),
    event: conference,
    subject: {
      name: "Åsa Öberg-Ärlig",
      email: "asa.oberg-arlig@example.se",
      birthDate: "1984-02-29",
      organisation: "Region Halland",
      role: "hackathon-team-member",
      team: "Team Blåklocka",
      partsAttended: ["natverksdag", "hackathon"],
    },
  });
}

export function courseDocument(): UnsignedCredential {
  return buildCourseCredential({
    ...common("course", "urn:uuid:0b6e2d1c-7a8f-4c3b-8d9e-2f1a0b9c8d7e"),
    eventId: COURSE_EVENT_ID,
    validUntil: "2029-05-31T23:59:59Z",
    course,
    subject: {
      name: "محمد عبد الله",
      email: "mohammed@example.se",
      result: [{ type: ["Result"], status: "Completed", value: "Godkänd" }],
    },
  });
}

/** Attendees of the batch: names in several scripts. */
export const batchAttendees = [
  { name: "李小龙", role: "speaker" as const },
  { name: "Σωκράτης", role: "participant" as const },
  { name: "Ngũgĩ wa Thiong'o", role: "organiser" as const },
  { name: "Сергей Иванов", role: "participant" as const, partsAttended: ["seminarier-1", "seminarier-2"] },
  { name: "Åke Ström", role: "hackathon-team-member" as const, team: "Team Blåklocka" },
];

export function batchDocuments(): UnsignedCredential[] {
  return batchAttendees.map((subject, i) =>
    buildAttendanceCredential({
      ...common(
        `batch-${i}`,
        `urn:uuid:5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b${(10 + i).toString(16).padStart(2, "0")}`,
      ),
      event: conference,
      subject,
    }),
  );
}

function claimDigests(doc: UnsignedCredential): Record<string, Hex> {
  const digests: Record<string, Hex> = {};
  for (const [claimPath, entry] of Object.entries(doc.commitment.claims)) {
    const location = parseClaimPath(claimPath)!;
    const container: Record<string, unknown> =
      location.scope === "subject" ? (doc.credentialSubject as Record<string, unknown>) : doc;
    digests[claimPath] =
      "salt" in entry ? claimDigest(entry.salt, claimPath, container[location.property]) : entry.digest;
  }
  return digests;
}

export type Fixtures = Record<string, unknown>;

/** Every fixture file, by name. */
export async function makeFixtures(): Promise<Fixtures> {
  const attendance: Credential = await signCredential(attendanceDocument(), {
    account,
    deadline: DEADLINE,
    created: CREATED,
  });
  const disclosed = discloseCredential(attendance, {
    hide: ["/credentialSubject/email", "/credentialSubject/birthDate"],
  });
  const courseCredential = await signCredential(courseDocument(), {
    account,
    deadline: DEADLINE,
    holder: HOLDER,
    created: CREATED,
  });
  const batch = await signBatch(buildBatch(batchDocuments()), {
    account,
    deadline: DEADLINE,
    created: CREATED,
  });
  const firstInBatch = batch.credentials[0]!;

  const expected = {
    description:
      "Expected values for the credentials in this folder. Claim digest = keccak256(utf8(JCS([salt, path, value]))); " +
      "credential hash = root of OpenZeppelin SimpleMerkleTree.of(claim digests); batch leaf = StandardMerkleTree leaf " +
      "of [credential hash] as bytes32; proofDigest = EIP-712 digest of proof.eip712.",
    signer: SIGNER,
    chainId: CHAIN_ID,
    registry: REGISTRY,
    issueRequestType:
      "IssueRequest(bytes32 commitment,uint64 eventId,uint64 validUntil,uint32 batchSize,address holder,uint64 deadline)",
    issueRequestTypeHash: keccak256(
      stringToBytes(
        "IssueRequest(bytes32 commitment,uint64 eventId,uint64 validUntil,uint32 batchSize,address holder,uint64 deadline)",
      ),
    ),
    organisationProfileHash: organisationProfileHash(
      attendance.issuer,
      parseOrganisationUrn(attendance.issuer.id)!.organisationId,
    ),
    eventMetadataHash: eventMetadataHash(attendance.credentialSubject.achievement),
    attendance: {
      credentialHash: attendance.commitment.root,
      claimDigests: claimDigests(attendance),
      proofDigest: proofDigest(attendance),
    },
    disclosed: {
      credentialHash: disclosed.commitment.root,
      hidden: ["/credentialSubject/email", "/credentialSubject/birthDate"],
      shareFragment: encodeShareFragment(disclosed),
    },
    course: {
      credentialHash: courseCredential.commitment.root,
      claimDigests: claimDigests(courseCredential),
      proofDigest: proofDigest(courseCredential),
      validUntilSeconds: courseCredential.proof[0].eip712.message.validUntil,
    },
    batch: {
      root: batch.root,
      size: batch.size,
      credentialHashes: batch.credentials.map((c) => c.commitment.root),
      leaves: batch.credentials.map((c) => c.anchor.batch!.leaf),
      proofDigest: proofDigest(firstInBatch),
    },
  };

  return {
    "attendance-credential": attendance,
    "disclosed-credential": disclosed,
    "course-credential": courseCredential,
    batch: { root: batch.root, size: batch.size, proof: batch.proof, credentials: batch.credentials },
    expected,
  };
}

export const FIXTURES_DIR = path.join(__dirname, "..", "test", "fixtures");

/** The text of a fixture file, as written. */
export function fixtureText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function main(): Promise<void> {
  const fixtures = await makeFixtures();
  for (const [name, value] of Object.entries(fixtures)) {
    const file = path.join(FIXTURES_DIR, `${name}.json`);
    writeFileSync(file, fixtureText(value));
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
