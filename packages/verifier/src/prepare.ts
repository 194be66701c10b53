// The checks that need no chain: format, integrity and signature (with the binding of the signed request to
// the document and its anchor). Their results, and what the chain checks will need, make a
// PreparedCredential. The credential format itself is @intyg/credential's; nothing of it is redone here.

import {
  type BindingResult,
  type Credential,
  checkCredentialJson,
  checkIntegrity,
  checkProofBinding,
  checkProofSignature,
  credentialSchema,
  PROOF_TYPE,
  type SectionTexts,
  type SignatureCheckResult,
  type SignerCache,
  toSchemaIssues,
} from "@intyg/credential";
import type { Address, Hex } from "viem";
import { CheckList } from "./checks";
import { isPlainObject } from "./input";
import type { CredentialSummary, DisclosedClaim, Lang } from "./types";

/** What the chain checks need of a credential whose offline checks passed. */
export type ChainTarget = {
  kind: "single" | "batch";
  chainId: number;
  registry: Address;
  eventId: bigint;
  organisationId: number;
  /** What the registry records: the credential's root, or its batch root. */
  anchoredCommitment: Hex;
  /** The credential's leaf in its batch (batches only). */
  leaf?: Hex;
  batchSize: number;
  /** Unix seconds, 0 when it does not expire. */
  validUntil: bigint;
  signer: Address;
  /** The request's `holder` (a soulbound token's owner), or the zero address. */
  tokenHolder: Address;
  /** The proof's `created`, unix seconds: when the issuer says it signed. */
  signedAt: number;
};

export type PreparedCredential = {
  checks: CheckList;
  summary: CredentialSummary;
  /** The schema-valid credential, once the format check passed. */
  credential?: Credential;
  /** Set when format, integrity and signature passed. */
  target?: ChainTarget;
  /** The credential's own commitment root, once integrity passed. */
  root?: Hex;
  /** The JSON texts of its issuer, achievement and proof, when it was read from JSON text and is schema-valid. */
  texts?: SectionTexts;
};

const BINDING_TEXT: Record<Lang, Record<string, string>> = {
  en: {
    "chain-mismatch": "the chain differs between the proof, the anchor and the ids",
    "registry-mismatch": "the registry differs between the proof, the anchor and the ids",
    "event-mismatch": "the event differs between the proof, the anchor and the achievement",
    "organisation-mismatch": "the issuer is not the organisation that owns the event",
    "valid-until-mismatch": "the signed end of validity is not the credential's",
    "commitment-mismatch": "the signed commitment is not the credential's",
    "batch-size-mismatch": "the signed batch size is not the anchor's",
    "batch-leaf-mismatch": "the batch leaf is not the credential's",
    "batch-root-mismatch": "the signed batch root is not the anchor's",
    "batch-proof-invalid": "the Merkle proof does not lead from the credential to the signed batch root",
    "holder-on-batch": "a batch request names a token holder",
  },
  sv: {
    "chain-mismatch": "kedjan skiljer sig mellan beviset, förankringen och id:na",
    "registry-mismatch": "registret skiljer sig mellan beviset, förankringen och id:na",
    "event-mismatch": "evenemanget skiljer sig mellan beviset, förankringen och prestationen",
    "organisation-mismatch": "utfärdaren är inte den organisation som äger evenemanget",
    "valid-until-mismatch": "det signerade slutdatumet är inte intygets",
    "commitment-mismatch": "det signerade hashvärdet är inte intygets",
    "batch-size-mismatch": "den signerade omgångens storlek är inte förankringens",
    "batch-leaf-mismatch": "löven i omgången är inte intygets",
    "batch-root-mismatch": "den signerade omgångens rot är inte förankringens",
    "batch-proof-invalid": "Merkle-beviset leder inte från intyget till den signerade omgångens rot",
    "holder-on-batch": "en begäran för en omgång anger en innehavare av en token",
  },
};

/** A path or detail from the document, cut short: a hostile document's keys may be very long. */
function short(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function describeBinding(lang: Lang, binding: Extract<BindingResult, { ok: false }>): string {
  const text = BINDING_TEXT[lang][binding.reason] ?? binding.reason;
  return binding.path ? `${text} (${binding.path})` : text;
}

/** Signature results by everything they depend on, so that the credentials of a batch share one check. */
const signatureResults = new WeakMap<SignerCache, Map<string, SignatureCheckResult>>();

/**
 * `checkProofSignature` once per distinct (typed data, signature, verification method): the credentials of a
 * batch carry the same proof, so the 999 after the first cost a string comparison, not a digest and a recovery.
 */
async function checkSignatureCached(
  credential: Credential,
  cache: SignerCache,
  proofText?: string,
): Promise<SignatureCheckResult> {
  const { proofValue, verificationMethod, eip712 } = credential.proof[0];
  // The proof's JSON text (of a document read from JSON) determines all three; it starts with "[", never "0x".
  const key = proofText ?? `${proofValue}|${verificationMethod}|${JSON.stringify(eip712)}`;
  let results = signatureResults.get(cache);
  if (!results) {
    results = new Map();
    signatureResults.set(cache, results);
  }
  const known = results.get(key);
  if (known) return known;
  const result = await checkProofSignature(credential, cache, { validated: true });
  if (results.size > 10_000) results.clear();
  results.set(key, result);
  return result;
}

/** The sections already read in a run, by their JSON text (bounded per run, started over when full). */
type SharedSections = {
  issuer: Map<string, unknown>;
  achievement: Map<string, unknown>;
  proof: Map<string, unknown>;
};
const sharedSections = new WeakMap<SignerCache, SharedSections>();
const SHARED_SECTIONS_LIMIT = 64;

function shared(map: Map<string, unknown>, text: string, value: unknown): unknown {
  const earlier = map.get(text);
  if (earlier !== undefined) return earlier;
  if (map.size >= SHARED_SECTIONS_LIMIT) map.clear();
  map.set(text, value);
  return value;
}

/**
 * Points a document parsed from JSON at the issuer, achievement and proof objects of an earlier document of the
 * run whose sections have the same JSON text (so equal values: both came from `JSON.parse`). A batch's 1,000
 * credentials then keep one copy of what they share while the run holds them, and the copies made by parsing
 * die young, which is what the garbage collector handles cheaply. The document is the verifier's own parse.
 */
function shareSections(doc: Record<string, unknown>, texts: SectionTexts, cache: SignerCache): void {
  let known = sharedSections.get(cache);
  if (!known) {
    known = { issuer: new Map(), achievement: new Map(), proof: new Map() };
    sharedSections.set(cache, known);
  }
  const subject = doc.credentialSubject as Record<string, unknown>;
  doc.issuer = shared(known.issuer, texts.issuer, doc.issuer);
  subject.achievement = shared(known.achievement, texts.achievement, subject.achievement);
  doc.proof = shared(known.proof, texts.proof, doc.proof);
}

function unixSeconds(iso: string | undefined): number {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}

/** The subject claims the holder disclosed (everything but `type` and `achievement`). */
function disclosedClaims(credential: Credential): DisclosedClaim[] {
  const claims: DisclosedClaim[] = [];
  for (const [property, value] of Object.entries(credential.credentialSubject)) {
    if (property === "type" || property === "achievement" || value === undefined) continue;
    claims.push({ path: property, value });
  }
  return claims;
}

function summarise(credential: Credential): CredentialSummary {
  const { issuer, credentialSubject: subject } = credential;
  const achievement = subject.achievement;
  return {
    credentialId: credential.id,
    kind: achievement.achievementType === "Course" ? "training" : "attendance",
    issuer: {
      id: issuer.id,
      name: issuer.name,
      organisationNumber: issuer.organisationNumber,
      url: issuer.url,
    },
    achievement: { id: achievement.id, name: achievement.name, eventId: credential.anchor.eventId },
    subject: disclosedClaims(credential),
    validFrom: credential.validFrom,
    ...(credential.validUntil === undefined ? {} : { validUntil: credential.validUntil }),
  };
}

/**
 * Runs the offline checks on a document already read as JSON. Signature recoveries go through `cache`, so
 * the credentials of one batch (one digest, one signature) cost one recovery.
 */
export async function prepareCredential(
  doc: unknown,
  lang: Lang,
  cache: SignerCache,
  options: {
    json?: boolean;
    /** The texts its shared sections were parsed from (slices of its JSON text: see `readDocument`). */
    sections?: Partial<SectionTexts>;
  } = {},
): Promise<PreparedCredential> {
  const checks = new CheckList(lang);
  const prepared: PreparedCredential = { checks, summary: {} };

  // format
  if (!isPlainObject(doc)) {
    checks.fail("format", "not-an-object", "format.not-object");
    return prepared;
  }
  const type = doc.type;
  if (type === "VerifiablePresentation" || (Array.isArray(type) && type.includes("VerifiablePresentation"))) {
    checks.fail("format", "is-presentation", "format.is-presentation");
    return prepared;
  }
  // A set of one proof (OB 3.0's array form); a lone object is read too, to name its type in the verdict.
  const proof = Array.isArray(doc.proof) ? doc.proof[0] : doc.proof;
  const proofType = isPlainObject(proof) ? proof.type : undefined;
  if (proofType !== undefined && proofType !== PROOF_TYPE) {
    checks.fail("format", "unknown-proof-type", "format.unknown-proof", {
      type: typeof proofType === "string" ? proofType.slice(0, 80) : typeof proofType,
      expected: PROOF_TYPE,
    });
    return prepared;
  }
  // A document read from JSON text has its shared sections checked once per distinct text (a batch's issuer,
  // achievement and proof); any other value is checked whole.
  const parsed = options.json ? checkCredentialJson(doc, options.sections) : credentialSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = toSchemaIssues(parsed.error);
    const first = issues[0];
    checks.fail("format", "schema", "format.schema", {
      count: issues.length,
      path: short(first?.path || "/"),
      detail: short(first?.message ?? ""),
    });
    return prepared;
  }
  const credential = doc as Credential;
  prepared.credential = credential;
  if ("texts" in parsed) {
    prepared.texts = parsed.texts;
    shareSections(doc, parsed.texts, cache);
  }
  prepared.summary = summarise(credential);
  checks.pass("format", "format.ok");

  // integrity
  const texts = prepared.texts;
  const integrity = checkIntegrity(
    doc,
    texts
      ? { valueTexts: { "/issuer": texts.issuer, "/credentialSubject/achievement": texts.achievement } }
      : {},
  );
  if (!integrity.ok) {
    checks.fail("integrity", integrity.reason, "integrity.failed", {
      reason: integrity.reason,
      ...(integrity.path === undefined ? {} : { path: short(integrity.path) }),
    });
    return prepared;
  }
  prepared.root = integrity.root;
  prepared.summary.hiddenClaims = integrity.hidden.length;
  checks.pass("integrity", "integrity.ok", { hidden: integrity.hidden.length });

  // signature: the signed request binds this document and its anchor, and the key named signed it
  // The schema above covers the proof and anchor sections: they are not parsed again.
  const binding = checkProofBinding(doc, {
    validated: true,
    ...(cache.pairs ? { pairCache: cache.pairs } : {}),
  });
  if (!binding.ok) {
    checks.fail("signature", binding.reason, "signature.binding", { detail: describeBinding(lang, binding) });
    return prepared;
  }
  const signature = await checkSignatureCached(credential, cache, texts?.proof);
  if (!signature.ok) {
    if (signature.reason === "signer-mismatch") {
      checks.fail("signature", "signer-mismatch", "signature.signer-mismatch", {
        signer: signature.signer,
        expected: binding.signer,
      });
    } else if (signature.reason === "malformed-proof") {
      checks.fail("signature", "malformed-proof", "signature.malformed");
    } else {
      checks.fail("signature", "invalid-signature", "signature.invalid");
    }
    return prepared;
  }
  prepared.summary.signer = signature.signer;
  const batch = credential.anchor.batch;
  if (batch) prepared.summary.batch = { root: batch.root, size: batch.size };
  checks.pass("signature", "signature.ok", { signer: signature.signer });

  prepared.target = {
    kind: binding.kind,
    chainId: binding.chainId,
    registry: binding.registry,
    eventId: binding.eventId,
    organisationId: binding.organisationId,
    anchoredCommitment: binding.anchoredCommitment,
    ...(binding.leaf === undefined ? {} : { leaf: binding.leaf }),
    batchSize: batch?.size ?? 0,
    validUntil: binding.validUntil,
    signer: signature.signer,
    tokenHolder: binding.holder,
    signedAt: unixSeconds(credential.proof[0].created),
  };
  prepared.summary.issuer = { ...prepared.summary.issuer, organisationId: binding.organisationId };
  return prepared;
}
