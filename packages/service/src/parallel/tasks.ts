// The CPU work of a large issuance that can run on any thread: building credentials (salts, Merkle commitment)
// and sealing their personal data (compression, AES-GCM, the blind indexes of the search). Pure functions of
// their inputs, so a worker thread gives the same results as this thread.

import { randomBytes } from "node:crypto";
import {
  type BatchTarget,
  buildBatchTree,
  InvalidCredentialError,
  keccakReady,
  luhnCheckDigit,
  type SubjectParams,
} from "@intyg/credential";
import type { Hex } from "viem";
import { type BuildParams, buildCredential } from "../format";
import { type SealedFields, sealCredential, searchTerms } from "../store/personal";

/** What every credential of one build shares (the organisation, the event, the chain). */
export type BuildShared = Omit<BuildParams, "subject" | "validFrom" | "validUntil" | "description" | "id">;

/** One attendee to build a credential for. */
export type BuildItem = {
  subject: SubjectParams;
  validFrom: Date;
  validUntil?: string;
  description?: string;
};

/** A built credential, or the schema's issues with the attendee's data. */
export type BuildResult =
  | { id: string; document: Record<string, unknown> }
  | { issues: { path: string; message: string; code?: string }[] };

export function buildMany(shared: BuildShared, items: readonly BuildItem[]): BuildResult[] {
  return items.map((item) => {
    try {
      const built = buildCredential({
        ...shared,
        subject: item.subject,
        validFrom: item.validFrom,
        ...(item.validUntil ? { validUntil: item.validUntil } : {}),
        ...(item.description ? { description: item.description } : {}),
      });
      return { id: built.id, document: built.document as unknown as Record<string, unknown> };
    } catch (error) {
      if (error instanceof InvalidCredentialError) {
        return { issues: error.issues.map(({ path, message, code }) => ({ path, message, code })) };
      }
      throw error;
    }
  });
}

/** A credential's personal data with its data key, to seal. */
export type SealItem = {
  key: Uint8Array;
  id: string;
  document: Record<string, unknown> | null;
  recipient: Record<string, unknown> | null;
  holderToken: string | null;
};

export type SealResult = SealedFields & { search_terms: string[] };

const asBuffer = (bytes: Uint8Array) =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function sealMany(indexKey: Uint8Array, items: readonly SealItem[]): SealResult[] {
  const index = asBuffer(indexKey);
  return items.map((item) => ({
    ...sealCredential(asBuffer(item.key), item),
    search_terms: searchTerms(index, item),
  }));
}

/** A batch's tree over its members' commitment roots, as {@link batchTree} gives it. */
export type BatchTreeParts = {
  root: Hex;
  /** Each member's leaf and proof, in the order of the roots given. */
  leaves: Hex[];
  proofs: Hex[][];
  /** Each member's anchor section as JSON text (its document carries it as `anchor`). */
  anchors: string[];
};

/** `buildBatchTree` of the credential package, its anchors as JSON texts (cheaper to send between threads). */
export function batchTree(input: { target: BatchTarget; roots: Hex[] }): BatchTreeParts {
  const tree = buildBatchTree(input.target, input.roots);
  return {
    root: tree.root,
    leaves: tree.anchors.map((anchor) => anchor.batch!.leaf as Hex),
    proofs: tree.anchors.map((anchor) => anchor.batch!.proof as Hex[]),
    anchors: tree.anchors.map((anchor) => JSON.stringify(anchor)),
  };
}

/** Resolves once hashing is as fast as it gets here (the WebAssembly Keccak compiled): a thread is ready then. */
export const tasksReady = (): Promise<void> => keccakReady();

/**
 * Builds and seals `count` made-up credentials and drops them: V8 compiles a thread's hot paths only after they
 * have run a while, and a thread's first thousand credentials took twice as long as its later ones. A thread
 * does this once it has loaded, before it takes real work, so that the first bulk after a start is not the slow
 * one. Nothing of it leaves the thread.
 */
export function warmUp(count = 1000): number {
  const shared: BuildShared = {
    chainId: 1,
    registry: "0x000000000000000000000000000000000000dEaD",
    organisation: {
      id: "00000000-0000-4000-8000-000000000000",
      name: "Uppvärmning",
      chainOrganisationId: 1,
      profile: {
        name: "Uppvärmning",
        legalName: "Uppvärmning AB",
        organisationNumber: `556000-000${luhnCheckDigit("556000000")}`,
        url: "https://uppvarmning.example",
      },
      createdAt: new Date(0),
    },
    kind: "event",
    details: {
      name: "Uppvärmning",
      startDate: "2026-01-01",
      endDate: "2026-01-02",
      location: "Ingenstans",
      parts: [{ id: "dag-1", name: "Dag 1", kind: "session" }],
    } as BuildShared["details"],
    chainEventId: (1n << 32n) | 1n,
  };
  const items: BuildItem[] = Array.from({ length: count }, (_, i) => ({
    subject: {
      name: `Deltagare ${i}`,
      email: `deltagare${i}@uppvarmning.example`,
      organisation: "Uppvärmning",
      role: "participant",
      partsAttended: ["dag-1"],
    } as SubjectParams,
    validFrom: new Date(),
  }));
  const key = randomBytes(32);
  const built = buildMany(shared, items);
  // How many were built and sealed: made-up data the schema came to refuse would leave the thread cold.
  return sealMany(
    randomBytes(32),
    built.flatMap((b) =>
      "id" in b ? [{ key, id: b.id, document: b.document, recipient: null, holderToken: "uppvarmning" }] : [],
    ),
  ).length;
}

/** The tasks a worker thread runs, by name. */
export const TASKS = {
  build: (input: { shared: BuildShared; items: BuildItem[] }) => buildMany(input.shared, input.items),
  seal: (input: { indexKey: Uint8Array; items: SealItem[] }) => sealMany(input.indexKey, input.items),
  batchTree,
};

export type TaskName = keyof typeof TASKS;
