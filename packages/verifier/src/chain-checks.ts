// The checks that read the registry — issuer, anchor, revocation, event — and validity, which reads the
// clock. Each works on values already loaded in a reader, so a whole run needs one batched read.

import { eventMetadataHash, organisationNumberHash, organisationProfileHash } from "@intyg/credential";
import { EVENT_KIND, ORGANISATION_STATUS, revocationReasonName, ZERO_HASH } from "@intyg/registry";
import { type Hex, isAddressEqual } from "viem";
import { formatTime, message, reasonText } from "./messages";
import type { PinMismatch } from "./options";
import type { ChainTarget, PreparedCredential } from "./prepare";
import {
  profileInForce,
  type ReaderContext,
  type RegistryQuery,
  type RegistryReader,
} from "./registry/state";

/** How the chain checks see the registry for one credential. */
export type ChainView =
  | {
      status: "ready";
      reader: RegistryReader;
      context: ReaderContext;
      registrySource: "options" | "credential";
    }
  | { status: "unavailable"; code: string; detail: string }
  /** The node or snapshot is not of the pinned chain or registry: none of its answers was used. */
  | ({ status: "mismatch" } & PinMismatch)
  | { status: "none" };

export type ChainCheckOptions = {
  /** Unix seconds the validity period is checked against. */
  now: number;
  /** Accept a registry that only the credential names (no trusted registry configured). */
  trustCredentialRegistry: boolean;
  /** Compare the issuer profile and the achievement with their hashes in the registry (default true). */
  checkMetadata: boolean;
};

/**
 * The registry reads the chain checks of one credential need. Its record, leaf revocation and supersession are
 * read in the issuer organisation's namespace: another organisation's record of the same commitment is not its.
 */
export function chainQueries(
  target: Pick<ChainTarget, "organisationId" | "signer" | "eventId" | "anchoredCommitment" | "leaf">,
): RegistryQuery[] {
  const organisationId = target.organisationId;
  const queries: RegistryQuery[] = [
    { kind: "organisation", organisationId },
    { kind: "profileHistory", organisationId },
    { kind: "signingKey", key: target.signer },
    { kind: "event", eventId: target.eventId },
    { kind: "record", organisationId, commitment: target.anchoredCommitment },
  ];
  const leaf = target.leaf ?? ZERO_HASH;
  if (target.leaf)
    queries.push({ kind: "leafRevocation", organisationId, root: target.anchoredCommitment, leaf });
  queries.push({ kind: "supersededBy", organisationId, root: target.anchoredCommitment, leaf });
  return queries;
}

/**
 * The history reads a second round needs: when a credential's achievement does not hash to the registry's
 * current value, whether it hashed to an earlier one. Rare, so read only then. (The issuer's profile history is
 * read in the first round: only the profile in force when the credential was issued is accepted.)
 */
export function historyQueries(
  prepared: PreparedCredential,
  view: ChainView,
  checkMetadata: boolean,
): RegistryQuery[] {
  const { target, credential } = prepared;
  if (!checkMetadata || !target || !credential || view.status !== "ready") return [];
  const queries: RegistryQuery[] = [];
  const event = view.reader.get({ kind: "event", eventId: target.eventId });
  const achievement = credential.credentialSubject.achievement;
  if (event && !sameHash(metadataHashOf(achievement, prepared.texts?.achievement), event.metadataHash)) {
    queries.push({ kind: "metadataHistory", eventId: target.eventId });
  }
  return queries;
}

/**
 * The profile and metadata hashes of a credential's issuer and achievement, by the JSON text of what is hashed:
 * the credentials of one event carry the same issuer and achievement, so a run canonicalises and hashes each
 * once (JSON.stringify costs a fraction of JCS and keccak256, and equal texts are equal values).
 */
const knownHashes = new Map<string, Hex>();

function memoHash<T>(kind: string, value: T, hash: (value: T) => Hex, text?: string): Hex {
  // `text` is the JSON text of `value` already written (by the schema check of a document read from JSON).
  const key = `${kind}:${text ?? JSON.stringify(value)}`;
  let result = knownHashes.get(key);
  if (result === undefined) {
    result = hash(value);
    if (knownHashes.size >= 1_000) knownHashes.clear();
    knownHashes.set(key, result);
  }
  return result;
}

const profileHashOf = (
  issuer: Parameters<typeof organisationProfileHash>[0],
  organisationId: number,
  issuerText?: string,
) =>
  memoHash(
    "profile",
    { organisationId, issuer },
    (v) => organisationProfileHash(v.issuer, v.organisationId),
    // The id first, then the issuer's text: never the text of another value (those start with "{").
    issuerText === undefined ? undefined : `${organisationId}:${issuerText}`,
  );

/** Scripts a name's letters may mix only by accident or to deceive (a Cyrillic "о" in a Latin name). */
const SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u, /\p{Script=Armenian}/u];

/** Whether `name` mixes letters of more than one script (a confusable look-alike of another name). */
export function mixesScripts(name: string): boolean {
  let found = 0;
  for (const script of SCRIPTS) if (script.test(name)) found += 1;
  return found > 1;
}
const metadataHashOf = (achievement: Parameters<typeof eventMetadataHash>[0], text?: string) =>
  memoHash("metadata", achievement, eventMetadataHash, text);

/** A key window's start in words: empty for a window open from the chain's start (0), not "1 January 1970". */
function keyWindowStart(validFrom: number, lang: Parameters<typeof formatTime>[1]): string {
  return validFrom === 0 ? "" : formatTime(validFrom, lang);
}

function sameHash(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Whether `hash` is the current value or, when its history was read, any earlier one. */
function knownHash(reader: RegistryReader, hash: string, current: string, history: RegistryQuery): boolean {
  if (sameHash(hash, current)) return true;
  const earlier = reader.get(history) as string[] | undefined;
  return earlier?.some((item) => sameHash(item, hash)) ?? false;
}

function validity(prepared: PreparedCredential, now: number): void {
  const { checks, credential } = prepared;
  const { lang } = checks;
  if (!credential || !checks.ready("validity")) return;
  const from = Date.parse(credential.validFrom) / 1000;
  const until = credential.validUntil === undefined ? undefined : Date.parse(credential.validUntil) / 1000;
  const params = {
    from: formatTime(credential.validFrom, lang),
    until: credential.validUntil === undefined ? undefined : formatTime(credential.validUntil, lang),
  };
  if (now < from) checks.fail("validity", "not-yet-valid", "validity.not-yet", params);
  else if (until !== undefined && now >= until)
    checks.fail("validity", "expired", "validity.expired", params);
  else checks.pass("validity", "validity.ok", params);
}

/**
 * Fills in issuer, anchor, revocation, validity and event for one prepared credential. The reader must have
 * loaded {@link chainQueries} of its target.
 */
export function runChainChecks(
  prepared: PreparedCredential,
  view: ChainView,
  options: ChainCheckOptions,
): void {
  const { checks, target, credential, summary } = prepared;
  const { lang } = checks;

  if (target === undefined || checks.status("signature") !== "passed") {
    for (const id of ["issuer", "anchor", "revocation"] as const) checks.ready(id);
    validity(prepared, options.now);
    checks.ready("event");
    return;
  }
  if (view.status === "mismatch") {
    checks.skip("issuer", view.code, "skipped.untrusted-source");
    const key =
      view.code === "snapshot-not-on-chain"
        ? "trust.snapshot-not-on-chain"
        : view.source === "snapshot"
          ? view.code === "wrong-chain"
            ? "trust.snapshot-wrong-chain"
            : "trust.snapshot-wrong-registry"
          : view.code === "wrong-chain"
            ? "trust.node-wrong-chain"
            : "trust.node-wrong-registry";
    checks.fail("anchor", view.code, key, {
      expected: view.expected,
      actual: view.actual,
    });
    checks.skip("revocation", view.code, "skipped.untrusted-source");
    validity(prepared, options.now);
    checks.skip("event", view.code, "skipped.untrusted-source");
    return;
  }
  if (view.status !== "ready") {
    const code = view.status === "none" ? "no-chain" : view.code;
    if (view.status === "none") checks.fail("issuer", code, "anchor.no-chain");
    else checks.fail("issuer", code, "anchor.unavailable", { detail: view.detail });
    checks.skip("anchor", code, "skipped.unavailable");
    checks.skip("revocation", code, "skipped.unavailable");
    validity(prepared, options.now);
    checks.skip("event", code, "skipped.unavailable");
    return;
  }

  const { reader, context } = view;
  const wrongChain = context.chainId !== target.chainId;
  const wrongRegistry = !isAddressEqual(context.registry, target.registry);
  if (wrongChain || wrongRegistry) {
    checks.skip("issuer", "wrong-chain", "skipped.wrong-chain");
    if (wrongChain) {
      checks.fail("anchor", "wrong-chain", "anchor.wrong-chain", {
        expected: target.chainId,
        actual: context.chainId,
      });
    } else {
      checks.fail("anchor", "wrong-registry", "anchor.wrong-registry", {
        expected: target.registry,
        actual: context.registry,
      });
    }
    checks.ready("revocation");
    validity(prepared, options.now);
    checks.skip("event", "wrong-chain", "skipped.wrong-chain");
    return;
  }

  const organisationId = target.organisationId;
  const organisation = reader.get({ kind: "organisation", organisationId });
  const profiles = reader.get({ kind: "profileHistory", organisationId });
  const key = reader.get({ kind: "signingKey", key: target.signer });
  const event = reader.get({ kind: "event", eventId: target.eventId });
  const record = reader.get({ kind: "record", organisationId, commitment: target.anchoredCommitment });
  const leaf = target.leaf ?? ZERO_HASH;
  const leafRevocation = target.leaf
    ? reader.get({ kind: "leafRevocation", organisationId, root: target.anchoredCommitment, leaf })
    : undefined;
  const replacement = reader.get({
    kind: "supersededBy",
    organisationId,
    root: target.anchoredCommitment,
    leaf,
  });
  if (
    !organisation ||
    !profiles ||
    !key ||
    !event ||
    !record ||
    !replacement ||
    (target.leaf && !leafRevocation)
  ) {
    const detail = "some values could not be read";
    checks.fail("issuer", "read-failed", "anchor.unavailable", { detail });
    checks.skip("anchor", "read-failed", "skipped.unavailable");
    checks.skip("revocation", "read-failed", "skipped.unavailable");
    validity(prepared, options.now);
    checks.skip("event", "read-failed", "skipped.unavailable");
    return;
  }

  const anchored = record.issuedAt !== 0;
  if (anchored) summary.anchoredAt = new Date(record.issuedAt * 1000).toISOString();
  const issuedAt = anchored ? record.issuedAt : target.signedAt;
  const name = credential?.issuer.name ?? "";

  // issuer: accredited, not suspended, its profile the accredited one, and the key authorised at issuance
  if (checks.ready("issuer")) {
    const signer = target.signer;
    if (view.registrySource === "credential" && !options.trustCredentialRegistry) {
      checks.fail("issuer", "untrusted-registry", "issuer.untrusted-registry", { registry: target.registry });
    } else if (organisation.status === ORGANISATION_STATUS.none) {
      checks.fail("issuer", "organisation-unknown", "issuer.unknown", {
        organisationId: target.organisationId,
      });
    } else if (organisation.status === ORGANISATION_STATUS.suspended) {
      checks.fail("issuer", "organisation-suspended", "issuer.suspended", {
        name,
        since: formatTime(organisation.suspendedAt, lang),
      });
    } else if (
      options.checkMetadata &&
      credential &&
      // Only the profile in force when the credential was issued, bound to this organisation's id, and the
      // organisation number accredited for it.
      (!sameHash(
        profileHashOf(credential.issuer, organisationId, prepared.texts?.issuer),
        profileInForce(profiles, issuedAt) ?? "",
      ) ||
        !sameHash(
          memoHash("orgnr", credential.issuer.organisationNumber, organisationNumberHash),
          organisation.organisationNumberHash,
        ))
    ) {
      checks.fail("issuer", "profile-mismatch", "issuer.profile-mismatch", {
        organisationId: target.organisationId,
      });
    } else if (key.organisationId === 0) {
      checks.fail("issuer", "key-unknown", "issuer.key-unknown", { signer });
    } else if (key.organisationId !== target.organisationId) {
      checks.fail("issuer", "key-other-organisation", "issuer.key-other-organisation", {
        signer,
        keyOrganisation: key.organisationId,
        organisationId: target.organisationId,
      });
    } else if (!(key.validFrom <= issuedAt && issuedAt < key.validUntil)) {
      // The registry's isKeyValidAt(key, organisation, issuedAt), from the key's state already read.
      checks.fail("issuer", "key-not-valid-at-issuance", "issuer.key-not-valid", {
        signer,
        at: formatTime(issuedAt, lang),
        from: keyWindowStart(key.validFrom, lang),
        until: key.validUntil >= 2 ** 40 - 1 ? "∞" : formatTime(key.validUntil, lang),
      });
    } else {
      checks.pass("issuer", "issuer.ok", {
        name,
        orgnr: credential?.issuer.organisationNumber,
        organisationId,
        signer,
        at: formatTime(issuedAt, lang),
        from: keyWindowStart(key.validFrom, lang),
        until: key.validUntil >= 2 ** 40 - 1 ? "" : formatTime(key.validUntil, lang),
      });
      // Which key, and its window: co-hosting organisations' credentials are told apart by them.
      summary.signingKey = {
        address: signer,
        validFrom: new Date(key.validFrom * 1000).toISOString(),
        ...(key.validUntil >= 2 ** 40 - 1
          ? {}
          : { validUntil: new Date(key.validUntil * 1000).toISOString() }),
      };
      if (mixesScripts(name)) checks.append("issuer", message(checks.lang, "issuer.mixed-scripts", { name }));
    }
  }

  // anchor: the registry recorded this commitment (or its batch root), for this event and validity
  if (checks.ready("anchor")) {
    const atBlock = {
      chainId: context.chainId,
      at: formatTime(record.issuedAt, lang),
      size: record.batchSize,
    };
    if (!anchored) {
      checks.fail("anchor", "not-anchored", "anchor.not-anchored");
    } else if ((target.kind === "batch") !== (record.batchSize !== 0)) {
      checks.fail("anchor", "kind-mismatch", "anchor.kind-mismatch", {
        batch: target.kind === "batch" ? "yes" : "no",
      });
    } else if (record.eventId !== target.eventId) {
      checks.fail("anchor", "record-mismatch", "anchor.record-mismatch", {
        field: "eventId",
        actual: record.eventId.toString(),
        expected: target.eventId.toString(),
      });
    } else if (BigInt(record.validUntil) !== target.validUntil) {
      checks.fail("anchor", "record-mismatch", "anchor.record-mismatch", {
        field: "validUntil",
        actual: record.validUntil === 0 ? "—" : formatTime(record.validUntil, lang),
        expected: target.validUntil === 0n ? "—" : formatTime(target.validUntil, lang),
      });
    } else if (target.kind === "batch" && record.batchSize !== target.batchSize) {
      checks.fail("anchor", "record-mismatch", "anchor.record-mismatch", {
        field: "batchSize",
        actual: record.batchSize,
        expected: target.batchSize,
      });
    } else if (target.kind === "batch") {
      checks.pass("anchor", "anchor.batch-ok", atBlock);
    } else {
      checks.pass("anchor", "anchor.ok", atBlock);
    }
  }

  // revocation: the record (a single credential or the whole batch), then the leaf
  if (checks.ready("revocation")) {
    const lang = checks.lang;
    if (record.revokedAt !== 0) {
      const reason = reasonText(lang, revocationReasonName(record.revocationReason), record.revocationReason);
      checks.fail(
        "revocation",
        "revoked",
        target.kind === "batch" ? "revocation.batch-revoked" : "revocation.revoked",
        {
          at: formatTime(record.revokedAt, lang),
          reason,
        },
      );
      summary.revokedAt = new Date(record.revokedAt * 1000).toISOString();
      summary.revocationReason =
        revocationReasonName(record.revocationReason) ?? String(record.revocationReason);
    } else if (leafRevocation && leafRevocation.revokedAt !== 0) {
      const reason = reasonText(lang, revocationReasonName(leafRevocation.reason), leafRevocation.reason);
      checks.fail("revocation", "revoked", "revocation.revoked", {
        at: formatTime(leafRevocation.revokedAt, lang),
        reason,
      });
      summary.revokedAt = new Date(leafRevocation.revokedAt * 1000).toISOString();
      summary.revocationReason = revocationReasonName(leafRevocation.reason) ?? String(leafRevocation.reason);
    } else {
      checks.pass("revocation", "revocation.ok", { block: context.blockNumber.toString() });
    }
    if (replacement !== ZERO_HASH && !/^0x0{64}$/i.test(replacement)) {
      summary.supersededBy = replacement;
      checks.append("revocation", message(lang, "revocation.superseded", { replacement }));
    }
  }

  validity(prepared, options.now);

  // event: exists, is of the credential's kind, belongs to the issuer, and is described as registered
  if (checks.ready("event") && credential) {
    const achievement = credential.credentialSubject.achievement;
    const expectedKind = achievement.achievementType === "Course" ? EVENT_KIND.course : EVENT_KIND.event;
    const kindName = (kind: number) =>
      kind === EVENT_KIND.course
        ? checks.lang === "sv"
          ? "kurs"
          : "a course"
        : checks.lang === "sv"
          ? "evenemang"
          : "an event";
    const eventOrganisation = Number(target.eventId >> 32n);
    if (event.kind === EVENT_KIND.none) {
      checks.fail("event", "event-unknown", "event.unknown", { eventId: target.eventId.toString() });
    } else if (eventOrganisation !== target.organisationId) {
      checks.fail("event", "event-organisation", "event.organisation", {
        eventId: target.eventId.toString(),
        actual: eventOrganisation,
        expected: target.organisationId,
      });
    } else if (event.kind !== expectedKind) {
      checks.fail("event", "event-kind", "event.kind", {
        eventId: target.eventId.toString(),
        actual: kindName(event.kind),
        expected: kindName(expectedKind),
      });
    } else if (
      options.checkMetadata &&
      !knownHash(reader, metadataHashOf(achievement, prepared.texts?.achievement), event.metadataHash, {
        kind: "metadataHistory",
        eventId: target.eventId,
      })
    ) {
      checks.fail("event", "metadata-mismatch", "event.metadata", {
        name: achievement.name,
        eventId: target.eventId.toString(),
      });
    } else {
      checks.pass("event", "event.ok", {
        kindName: message(checks.lang, expectedKind === EVENT_KIND.course ? "kind.course" : "kind.event"),
        name: achievement.name,
      });
    }
  }
}
