// Issuance without HTTP: turns attendees into stored credentials (built with @intyg/credential), shared by the
// organiser API, the VC-API route and the bulk job runner.

import { createHash } from "node:crypto";
import { canonicalJson, type SubjectParams, type UnsignedCredential } from "@intyg/credential";
import type { Lang } from "@intyg/credential/lang";
import type { Address, Hex } from "viem";
import { getAddress } from "viem";
import type { IssuedItem } from "./api";
import { type Clock, unixSeconds } from "./clock";
import { ServiceError, ValidationError, type ValidationIssue } from "./errors";
import { type Anchorage, type EventDetails, holderDid, signSingle } from "./format";
import { batchAtIssuance } from "./issuance-batches";
import { organisationSigner, type SignerDeps } from "./keys/directory";
import { issuanceThreadsReady, runIssuanceTask } from "./parallel/pool";
import { type BuildItem, type BuildResult, type BuildShared, buildMany } from "./parallel/tasks";
import { randomBase64url } from "./random";
import type { Signer } from "./signer";
import type { NewCredential } from "./store/store";
import type { EventRecord, Organisation } from "./store/types";

export type AttendeeInput = {
  subject: SubjectParams;
  /** A wallet: the credential is issued on its own (issueSigned) with a soulbound token to it. */
  holder?: string | undefined;
  /** ISO date-time after which the credential expires. */
  validUntil?: string | undefined;
  /** When the credential becomes valid (default: now). */
  validFrom?: Date | undefined;
  /** VC 2.0 `description` of the credential (VC-API). */
  description?: string | undefined;
  /** The organiser's own reference for the attendee, echoed in responses (not put in the credential). */
  reference?: string | undefined;
  /** The language of the attendee's e-mail (Swedish when absent); not put in the credential. */
  lang?: Lang | undefined;
};

export type IssuanceContext = {
  anchorage: Anchorage;
  organisation: Organisation;
  event: EventRecord;
  /**
   * The organisation's signer, resolved when a single credential or a batch built at issuance needs it (the
   * worker signs the batches of smaller issuances).
   */
  signer: () => Promise<Signer>;
  clock: Clock;
  /** Lifetime of a signed request (a single credential's, or a batch root's), seconds. */
  requestTtlSeconds: number;
  /** Most credentials in one batch (default: the worker's default). */
  maxBatchSize?: number;
  publicUrl: string;
};

/** What the service runs with that issuance needs (the app's and the worker's dependencies both fit). */
export type IssuanceDeps = SignerDeps & {
  clock: Clock;
  config: { publicUrl: string; worker: { requestTtlSeconds: number; maxBatchSize?: number } };
};

/** `fn`, run once: its promise is kept (a failure too, for this one issuance). */
function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= fn();
    return value;
  };
}

/** The context of issuing for `event` of `organisation`. */
export function issuanceContext(
  deps: IssuanceDeps,
  organisation: Organisation,
  event: EventRecord,
): IssuanceContext {
  return {
    anchorage: { chainId: deps.chain.chainId, registry: deps.chain.registry },
    organisation,
    event,
    signer: memo(async () => (await organisationSigner(deps, organisation)).signer),
    clock: deps.clock,
    requestTtlSeconds: deps.config.worker.requestTtlSeconds,
    ...(deps.config.worker.maxBatchSize ? { maxBatchSize: deps.config.worker.maxBatchSize } : {}),
    publicUrl: deps.config.publicUrl,
  };
}

/** A credential content problem (the package's schema refused it): 422 with every issue. */
export class CredentialContentError extends ValidationError {
  override name = "CredentialContentError";
  constructor(errors: ValidationIssue[]) {
    super("credential.content-invalid", errors);
  }
}

export function newHolderToken(): string {
  return randomBase64url(24);
}

export function holderUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/holder/${token}`;
}

/** SHA-256 of the canonical JSON of a request: what an idempotency key is bound to. */
export function requestHash(value: unknown): string {
  return createHash("sha256")
    .update(canonicalJson(value as never), "utf8")
    .digest("hex");
}

/** Checks that credentials can be issued for an event now (registered on chain). */
export function assertIssuable(event: EventRecord): bigint {
  if (event.status !== "registered" || !event.chainEventId) {
    throw new ServiceError("event.not-registered", { status: event.status });
  }
  return BigInt(event.chainEventId);
}

/**
 * Fewest credentials built on the issuance threads: fewer cost less than the messages (and, under load, the
 * wait for a thread) would.
 */
const PARALLEL_MIN = 64;

/**
 * The credentials built for `items`, in order: on the issuance threads, in chunks, when there are enough (this
 * thread stays free for other requests meanwhile), else here, letting other requests in now and then.
 */
async function buildAll(shared: BuildShared, items: readonly BuildItem[]): Promise<BuildResult[]> {
  if (items.length >= PARALLEL_MIN && issuanceThreadsReady()) {
    const size = Math.min(250, Math.max(32, Math.ceil(items.length / 8)));
    const chunks: Promise<BuildResult[]>[] = [];
    for (let i = 0; i < items.length; i += size)
      chunks.push(runIssuanceTask("build", { shared, items: items.slice(i, i + size) }));
    return (await Promise.all(chunks)).flat();
  }
  const results: BuildResult[] = [];
  for (let i = 0; i < items.length; i += 250) {
    // Building is CPU work (salts, hashes): let other requests in now and then during a large bulk.
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    results.push(...buildMany(shared, items.slice(i, i + 250)));
  }
  return results;
}

/**
 * Builds the credentials for `attendees`: a credential for a holder wallet is signed on its own now; batch
 * credentials are built into a batch and its root signed now when there are enough of them (see
 * {@link batchAtIssuance}), else they stay unsigned until the worker gathers them into one. Throws
 * CredentialContentError listing every attendee whose data the credential schema refuses (nothing is written
 * then).
 */
export async function prepareCredentials(
  ctx: IssuanceContext,
  attendees: readonly AttendeeInput[],
  options: {
    validUntil?: string | undefined;
    pathPrefix?: string;
    supersedes?: string | null;
    forceSingle?: boolean;
    /** E-mail each credential to its holder once anchored (an attendee without an e-mail claim gets none). */
    send?: boolean;
  } = {},
): Promise<{ credentials: NewCredential[]; items: IssuedItem[] }> {
  const chainEventId = assertIssuable(ctx.event);
  const errors: ValidationIssue[] = [];
  const credentials: NewCredential[] = [];
  const items: IssuedItem[] = [];
  const now = ctx.clock.now();
  const prefix = options.pathPrefix ?? "/attendees";
  const inputs = attendees.map((attendee) => {
    const holder = attendee.holder ? (getAddress(attendee.holder) as Address) : null;
    const subject: SubjectParams = holder
      ? { ...attendee.subject, id: holderDid(ctx.anchorage.chainId, holder) }
      : attendee.subject;
    const validUntil = attendee.validUntil ?? options.validUntil;
    const item: BuildItem = {
      subject,
      validFrom: attendee.validFrom ?? now,
      ...(attendee.description ? { description: attendee.description } : {}),
      ...(validUntil ? { validUntil } : {}),
    };
    return { attendee, holder, subject, validUntil, item };
  });
  const builds = await buildAll(
    {
      ...ctx.anchorage,
      organisation: ctx.organisation,
      kind: ctx.event.kind,
      details: ctx.event.details as EventDetails,
      chainEventId,
    },
    inputs.map((input) => input.item),
  );
  for (const [index, { attendee, holder, subject, validUntil }] of inputs.entries()) {
    const built = builds[index]!;
    if ("issues" in built) {
      for (const issue of built.issues) {
        const path = prefix === "" ? issue.path : `${prefix}/${index}${issue.path}`;
        errors.push({ path, message: issue.message, code: issue.code });
      }
      continue;
    }
    const mode = holder || options.forceSingle ? "single" : "batch";
    let document: Record<string, unknown> = built.document;
    let issueSignature: Hex | null = null;
    let issueDeadline: number | null = null;
    let signingKey: Hex | null = null;
    if (mode === "single") {
      issueDeadline = unixSeconds(ctx.clock) + ctx.requestTtlSeconds;
      signingKey = (await ctx.signer()).address;
      const signed = await signSingle(built.document as unknown as UnsignedCredential, {
        signer: await ctx.signer(),
        deadline: issueDeadline,
        holder,
        created: now,
      });
      document = signed as unknown as Record<string, unknown>;
      issueSignature = signed.proof[0].proofValue as Hex;
    }
    const token = newHolderToken();
    credentials.push({
      id: built.id,
      organisationId: ctx.organisation.id,
      eventId: ctx.event.id,
      mode,
      commitment: (built.document as unknown as UnsignedCredential).commitment.root as Hex,
      holderAddress: holder,
      validUntil: validUntil ? Math.floor(Date.parse(validUntil) / 1000) : 0,
      document,
      recipient:
        attendee.reference || attendee.lang
          ? {
              ...(attendee.reference ? { reference: attendee.reference } : {}),
              ...(attendee.lang ? { lang: attendee.lang } : {}),
            }
          : null,
      deliver:
        options.send && subject.email
          ? { lang: attendee.lang ?? "sv", domain: new URL(ctx.publicUrl).hostname || "intyg" }
          : null,
      holderToken: token,
      issueSignature,
      issueDeadline,
      signingKey,
      supersedes: options.supersedes ?? null,
    });
    items.push({
      index,
      id: built.id,
      ...(attendee.reference ? { reference: attendee.reference } : {}),
      mode,
      status: "pending",
      holderUrl: holderUrl(ctx.publicUrl, token),
    });
  }
  if (errors.length > 0) throw new CredentialContentError(errors);
  await batchAtIssuance(ctx, credentials, chainEventId);
  return { credentials, items };
}
