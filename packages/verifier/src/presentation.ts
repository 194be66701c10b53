// Presentations: a holder shows a credential by signing, with the wallet the credential names, the
// verifier's challenge and domain and the canonical hash of the whole presentation (every property but the
// signature itself) — by EIP-712 typed data or by personal_sign. So any VC 2.0 envelope (more contexts and
// types, an id, a holder object, other properties) can be presented, and nothing the holder did not sign can
// be added. A presentation made for another challenge (a replay) or another domain (a foreign verifier) fails.

import { type Credential, canonicalJson, isIsoDateTime } from "@intyg/credential";
import {
  type Address,
  getAddress,
  type Hex,
  isAddressEqual,
  keccak256,
  type LocalAccount,
  recoverMessageAddress,
  recoverTypedDataAddress,
  stringToBytes,
  zeroAddress,
} from "viem";
import { type ChainView, chainQueries, historyQueries, runChainChecks } from "./chain-checks";
import { CheckList } from "./checks";
import { VerifierOptionsError } from "./errors";
import { isPlainObject, readDocument } from "./input";
import { type MessageKey, type MessageParams, message } from "./messages";
import { ChainViews, type ResolvedOptions, resolveOptions, type VerifyOptions } from "./options";
import type { PreparedCredential } from "./prepare";
import { CHECK_IDS, type Check, type Lang, type VerificationReport } from "./types";
import { buildReport, chainSummary, prepareInput, trustAnchor } from "./verify";

/** The proof type of a presentation signed as EIP-712 typed data. */
export const PRESENTATION_EIP712_PROOF = "EthereumEip712Signature2021";
/** The proof type of a presentation signed with `personal_sign` (EIP-191). */
export const PRESENTATION_PERSONAL_SIGN_PROOF = "EthereumPersonalSignature2021";

/** The EIP-712 domain and types of a presentation. No chain id: a holder's wallet may be on any chain. */
export const presentationDomain = { name: "Intyg Presentation", version: "1" } as const;
export const presentationTypes = {
  Presentation: [
    { name: "challenge", type: "string" },
    { name: "domain", type: "string" },
    { name: "presentationHash", type: "bytes32" },
  ],
} as const;

/** What a holder signs: the challenge and domain, and the hash of the presentation ({@link presentationHash}). */
export type PresentationPayload = { challenge: string; domain: string; presentationHash: Hex };

/**
 * The hash a holder signs: `keccak256(utf8(JCS(presentation)))` of the presentation with its proof, less the
 * proof's `proofValue`. It covers the envelope, every credential and the proof's own properties.
 */
export function presentationHash(presentation: Record<string, unknown>): Hex {
  const { proof, ...rest } = presentation;
  const unsigned = isPlainObject(proof)
    ? (({ proofValue: _proofValue, ...members }) => members)(proof)
    : proof;
  return keccak256(
    stringToBytes(canonicalJson(unsigned === undefined ? rest : { ...rest, proof: unsigned })),
  );
}

/** The typed data of a presentation (for `signTypedData`). */
export function presentationTypedData(payload: PresentationPayload) {
  return {
    domain: presentationDomain,
    types: presentationTypes,
    primaryType: "Presentation" as const,
    message: {
      challenge: payload.challenge,
      domain: payload.domain,
      presentationHash: payload.presentationHash,
    },
  };
}

/** The text a holder signs with `personal_sign`: the payload as JSON with its keys in a fixed order. */
export function presentationMessage(payload: PresentationPayload): string {
  return JSON.stringify({
    challenge: payload.challenge,
    domain: payload.domain,
    presentationHash: payload.presentationHash,
  });
}

export type VerifiablePresentation = {
  "@context": (string | Record<string, unknown>)[];
  id?: string;
  type: string[];
  holder: string | { id: string; [key: string]: unknown };
  verifiableCredential: unknown[];
  [key: string]: unknown;
  proof: {
    type: typeof PRESENTATION_EIP712_PROOF | typeof PRESENTATION_PERSONAL_SIGN_PROOF;
    created: string;
    proofPurpose: "authentication";
    verificationMethod: string;
    challenge: string;
    domain: string;
    proofValue: Hex;
  };
};

export type CreatePresentationParameters = {
  /** The credential to present (or give `credentials`). */
  credential?: Credential;
  /** Several credentials of the same holder wallet to present at once, or none to show only the wallet. */
  credentials?: readonly Credential[];
  /** The holder's wallet (a viem local account, or anything with its address and signing methods). */
  account: Pick<LocalAccount, "address" | "signTypedData" | "signMessage">;
  challenge: string;
  domain: string;
  /** `eip712` (default) or `personal_sign`. */
  method?: "eip712" | "personal_sign";
  /** The chain id in the holder's did:pkh (default the first credential's; required when there is none). */
  chainId?: number;
  created?: Date;
  /**
   * More of the envelope, all of it signed: further contexts (after the VC 2.0 one) and types, an id, other
   * properties. `holder` as an object must keep the wallet's did:pkh as its `id`.
   */
  envelope?: Record<string, unknown>;
};

/** The did:pkh of a wallet. */
export function holderDid(chainId: number, address: Address): string {
  return `did:pkh:eip155:${chainId}:${getAddress(address)}`;
}

const DID_PKH = /^did:pkh:eip155:([1-9][0-9]{0,15}):(0x[0-9a-fA-F]{40})(#.*)?$/;

/** The address of a `did:pkh:eip155` id (or a bare address), or undefined. */
export function addressOfDid(value: unknown): Address | undefined {
  if (typeof value !== "string") return undefined;
  const m = DID_PKH.exec(value) ?? /^()(0x[0-9a-fA-F]{40})()$/.exec(value);
  if (!m) return undefined;
  try {
    return getAddress(m[2]!);
  } catch {
    return undefined;
  }
}

/**
 * Signs a presentation of one credential, several or none for a verifier's challenge and domain (holder side,
 * and tests). Throws {@link VerifierOptionsError} when both or neither of `credential` and `credentials` are
 * given, or when no chain id can be known.
 */
export async function createPresentation(
  parameters: CreatePresentationParameters,
): Promise<VerifiablePresentation> {
  const { account, challenge, domain } = parameters;
  if ((parameters.credential === undefined) === (parameters.credentials === undefined))
    throw new VerifierOptionsError("Give either credential or credentials to present, not both or neither");
  const credentials = parameters.credential ? [parameters.credential] : [...parameters.credentials!];
  const chainId = parameters.chainId ?? credentials[0]?.anchor.chainId;
  if (chainId === undefined)
    throw new VerifierOptionsError(
      "A presentation of no credential needs the chainId of the holder's did:pkh",
    );
  const method = parameters.method ?? "eip712";
  const did = holderDid(chainId, account.address);
  const unsigned = {
    "@context": [PRESENTATION_CONTEXT],
    type: ["VerifiablePresentation"],
    holder: did,
    ...parameters.envelope,
    verifiableCredential: credentials,
    proof: {
      type: method === "eip712" ? PRESENTATION_EIP712_PROOF : PRESENTATION_PERSONAL_SIGN_PROOF,
      created: (parameters.created ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      proofPurpose: "authentication" as const,
      verificationMethod: `${did}#blockchainAccountId`,
      challenge,
      domain,
    },
  };
  const payload = { challenge, domain, presentationHash: presentationHash(unsigned) };
  const proofValue =
    method === "eip712"
      ? await account.signTypedData(presentationTypedData(payload))
      : await account.signMessage({ message: presentationMessage(payload) });
  return { ...unsigned, proof: { ...unsigned.proof, proofValue } } as VerifiablePresentation;
}

export type VerifyPresentationOptions = VerifyOptions & {
  /** The challenge this verifier gave the holder (a fresh random value per verification). */
  challenge?: string;
  /** This verifier's domain, e.g. `arbetsgivare.example.se`. */
  domain?: string;
};

/** A 65-byte signature in lowercase hex, as a wallet gives it. */
const SIGNATURE = /^0x[0-9a-f]{130}$/;
/** Half the order of secp256k1: a signature with a larger `s` is a malleated copy of one with `n - s`. */
const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

const PRESENTATION_CONTEXT = "https://www.w3.org/ns/credentials/v2";
const HOLDER_DID = /^did:pkh:eip155:[1-9][0-9]{0,15}:0x[0-9a-fA-F]{40}$/;

type EnvelopeProblem = "context" | "type" | "holder" | "created" | "purpose" | "method";

const ENVELOPE_TEXT: Record<Lang, Record<EnvelopeProblem, string>> = {
  en: {
    context: `the first context must be "${PRESENTATION_CONTEXT}", and every context a URL or an object`,
    type: `the type must include "VerifiablePresentation"`,
    holder: "the holder (or its id) must be the did:pkh of a wallet",
    created: "the creation time must be a UTC date-time",
    purpose: `the proof purpose must be "authentication"`,
    method: "the verification method must be the holder's #blockchainAccountId",
  },
  sv: {
    context: `den första kontexten ska vara "${PRESENTATION_CONTEXT}", och varje kontext en URL eller ett objekt`,
    type: `typen ska innehålla "VerifiablePresentation"`,
    holder: "innehavaren (eller dess id) ska vara en plånboks did:pkh",
    created: "tidpunkten ska vara ett datum och en tid i UTC",
    purpose: `bevisets syfte ska vara "authentication"`,
    method: "verifieringsmetoden ska vara innehavarens #blockchainAccountId",
  },
};

/** The holder's id: `holder` itself, or the `id` of a holder object (VC 2.0 allows both). */
function holderIdOf(holder: unknown): unknown {
  return isPlainObject(holder) ? holder.id : holder;
}

/**
 * What is wrong with the envelope of a presentation as VC 2.0 defines it, or undefined. Any other property
 * may be there: the holder's signature covers the whole presentation, so nothing can be added unsigned. The
 * holder must be a wallet's did:pkh and the verification method that wallet's.
 */
function envelopeProblem(
  doc: Record<string, unknown>,
  proof: Record<string, unknown>,
): { path: string; problem: EnvelopeProblem } | undefined {
  const context = doc["@context"];
  if (
    !Array.isArray(context) ||
    context[0] !== PRESENTATION_CONTEXT ||
    !context.every((entry) => typeof entry === "string" || isPlainObject(entry))
  )
    return { path: "/@context", problem: "context" };
  const type = doc.type;
  if (
    !(
      type === "VerifiablePresentation" ||
      (Array.isArray(type) && type.includes("VerifiablePresentation"))
    ) ||
    (Array.isArray(type) && !type.every((entry) => typeof entry === "string"))
  )
    return { path: "/type", problem: "type" };
  const holder = holderIdOf(doc.holder);
  if (typeof holder !== "string" || !HOLDER_DID.test(holder) || addressOfDid(holder) === undefined)
    return { path: isPlainObject(doc.holder) ? "/holder/id" : "/holder", problem: "holder" };
  if (typeof proof.created !== "string" || !isIsoDateTime(proof.created))
    return { path: "/proof/created", problem: "created" };
  if (proof.proofPurpose !== "authentication") return { path: "/proof/proofPurpose", problem: "purpose" };
  if (proof.verificationMethod !== `${holder}#blockchainAccountId`)
    return { path: "/proof/verificationMethod", problem: "method" };
  return undefined;
}

/** What the presentation's own proof shows: who signed it, or why that cannot be known. */
type HolderProof =
  | { ok: true; signer: Address; domain: string }
  | { ok: false; code: string; key: MessageKey; params?: MessageParams };

/**
 * Reads the holder's proof once for the whole presentation: the challenge and domain must be this verifier's,
 * and the signature over the presentation's hash must be the wallet's the holder names.
 */
async function readHolderProof(
  presentation: Record<string, unknown>,
  proof: Record<string, unknown>,
  options: VerifyPresentationOptions,
): Promise<HolderProof> {
  if (!options.challenge || !options.domain)
    return { ok: false, code: "no-challenge", key: "holder.no-challenge" };
  const { type, challenge, domain, proofValue } = proof;
  if (type !== PRESENTATION_EIP712_PROOF && type !== PRESENTATION_PERSONAL_SIGN_PROOF) {
    const detail = `proof type ${String(type).slice(0, 60)}`;
    return { ok: false, code: "unknown-proof-type", key: "holder.malformed", params: { detail } };
  }
  if (
    typeof challenge !== "string" ||
    typeof domain !== "string" ||
    typeof proofValue !== "string" ||
    !SIGNATURE.test(proofValue)
  ) {
    const detail = "challenge, domain or proofValue";
    return { ok: false, code: "malformed-proof", key: "holder.malformed", params: { detail } };
  }
  const invalid = { ok: false, code: "invalid-signature", key: "holder.signature" } as const;
  if (BigInt(`0x${proofValue.slice(66, 130)}`) > SECP256K1_HALF_N) return invalid;
  if (challenge !== options.challenge)
    return { ok: false, code: "challenge-mismatch", key: "holder.challenge" };
  if (domain !== options.domain) {
    const params = { actual: domain.slice(0, 200), expected: options.domain };
    return { ok: false, code: "domain-mismatch", key: "holder.domain", params };
  }
  // The signature covers the whole presentation: a changed or added property anywhere recovers another signer.
  const payload = { challenge, domain, presentationHash: presentationHash(presentation) };
  let signer: Address;
  try {
    signer =
      type === PRESENTATION_EIP712_PROOF
        ? await recoverTypedDataAddress({ ...presentationTypedData(payload), signature: proofValue as Hex })
        : await recoverMessageAddress({
            message: presentationMessage(payload),
            signature: proofValue as Hex,
          });
  } catch {
    return invalid;
  }
  // The envelope check made `holder` a did:pkh and the verification method its account.
  const named = addressOfDid(holderIdOf(presentation.holder));
  if (named === undefined || !isAddressEqual(named, signer)) return invalid;
  return { ok: true, signer, domain };
}

/** The holder check of one presented credential: the proof's signer must be the wallet the credential names. */
function holderCheck(prepared: PreparedCredential, holder: HolderProof): Address | undefined {
  const { checks, credential, target } = prepared;
  if (!checks.ready("holder") || !credential) return undefined;
  if (!holder.ok) {
    checks.fail("holder", holder.code, holder.key, holder.params);
    return undefined;
  }
  const { signer, domain } = holder;
  const subjectWallet = addressOfDid(credential.credentialSubject.id);
  const tokenHolder =
    target && !isAddressEqual(target.tokenHolder, zeroAddress) ? target.tokenHolder : undefined;
  const bound = subjectWallet ?? tokenHolder;
  if (bound === undefined) {
    checks.fail("holder", "holder-not-bound", "holder.not-bound");
    return signer;
  }
  if (!isAddressEqual(bound, signer)) {
    checks.fail("holder", "holder-mismatch", "holder.mismatch", { signer, holder: bound });
    return signer;
  }
  checks.pass("holder", "holder.ok", { holder: signer, domain });
  return signer;
}

/** The most credentials one presentation may hold: each costs its own registry reads. */
export const MAX_PRESENTED_CREDENTIALS = 50;

/**
 * Verifies a presentation: every check of each credential it holds, and the holder check (the holder's wallet
 * signed this verifier's challenge and domain over the whole presentation, and each credential names that
 * wallet). A presentation of one credential is reported as that credential; of several, the report is verified
 * only when each is, and lists them in `credentials`; of none, it is not verified (its holder check is still
 * reported). Never throws.
 */
export async function verifyPresentation(
  input: unknown,
  options: VerifyPresentationOptions = {},
): Promise<VerificationReport> {
  const resolved = resolveOptions(options);
  const lang = resolved.lang;
  const fail = (code: string, key: MessageKey, params = {}) => {
    const checks = new CheckList(lang);
    checks.fail("format", code, key, params);
    return buildReport({ checks, summary: {} }, "presentation", lang, resolved, undefined);
  };
  const read = readDocument(input, resolved.limits);
  if (!read.ok) return fail(read.code, read.key, read.params);
  const doc = read.value;
  if (!isPlainObject(doc)) return fail("not-an-object", "format.not-object");
  const type = doc.type;
  if (
    !(type === "VerifiablePresentation" || (Array.isArray(type) && type.includes("VerifiablePresentation")))
  ) {
    return fail("not-a-presentation", "format.not-presentation");
  }
  const list = Array.isArray(doc.verifiableCredential)
    ? doc.verifiableCredential
    : doc.verifiableCredential === undefined
      ? []
      : [doc.verifiableCredential];
  if (list.length > MAX_PRESENTED_CREDENTIALS)
    return fail("credential-count", "format.presentation-credentials", {
      count: list.length,
      limit: MAX_PRESENTED_CREDENTIALS,
    });
  if (list.length === 0 && doc.proof === undefined)
    return fail("empty-presentation", "format.presentation-nothing");
  if (!isPlainObject(doc.proof))
    return fail("malformed-proof", "format.unknown-proof", {
      type: "—",
      expected: PRESENTATION_EIP712_PROOF,
    });
  const problem = envelopeProblem(doc, doc.proof);
  if (problem) {
    return fail("presentation-schema", "format.presentation-schema", {
      path: problem.path,
      detail: ENVELOPE_TEXT[lang][problem.problem],
    });
  }

  let holder: HolderProof;
  try {
    holder = await readHolderProof(doc, doc.proof, options);
  } catch {
    holder = { ok: false, code: "invalid-signature", key: "holder.signature" };
  }
  if (list.length === 0) return holderOnlyReport(holder, resolved);

  const prepared: PreparedCredential[] = [];
  for (const credential of list) prepared.push(await prepareInput(credential, resolved));
  const views = new ChainViews(options);
  const targets = prepared.flatMap((p) => (p.target ? [p.target] : []));
  if (targets.length > 0)
    await views.load(targets.map((target) => ({ registry: target.registry, queries: chainQueries(target) })));
  const chainViews: ChainView[] = [];
  for (const p of prepared)
    chainViews.push(p.target ? await views.view(p.target.registry) : { status: "none" });
  const histories = prepared.flatMap((p, i) => {
    const queries = historyQueries(p, chainViews[i]!, resolved.checkMetadata);
    return p.target && queries.length > 0 ? [{ registry: p.target.registry, queries }] : [];
  });
  if (histories.length > 0) await views.load(histories);

  const reports = prepared.map((p, i) => {
    if (p.checks.status("format") === "passed")
      p.checks.pass("format", "format.presentation-ok", { count: list.length });
    runChainChecks(p, chainViews[i]!, {
      now: resolved.now,
      checkMetadata: resolved.checkMetadata,
      trustCredentialRegistry: resolved.trustCredentialRegistry,
    });
    const signer = holderCheck(p, holder);
    const chain = chainSummary(chainViews[i]!, resolved.now, lang);
    return buildReport(p, "presentation", lang, resolved, chain, signer);
  });
  return reports.length === 1 ? reports[0]! : combinedReport(reports, holder, resolved);
}

/** The report of a presentation of several credentials: verified only when each of them is. */
function combinedReport(
  reports: VerificationReport[],
  holder: HolderProof,
  resolved: ResolvedOptions,
): VerificationReport {
  const lang = resolved.lang;
  const count = reports.length;
  const verified = reports.every((report) => report.verified);
  const rank = { failed: 2, skipped: 1, passed: 0 } as const;
  // Each check as its worst outcome among the credentials, so that a failure anywhere shows at the top.
  const checks = CHECK_IDS.flatMap((id) => {
    const worst = reports
      .map((report) => report.checks.find((check) => check.id === id))
      .reduce<Check | undefined>((a, b) => (b && (!a || rank[b.status] > rank[a.status]) ? b : a), undefined);
    return worst ? [worst] : [];
  });
  const failing = reports.findIndex((report) => !report.verified);
  const verdict = verified
    ? message(lang, "verdict.verified-presentation-many", { count })
    : message(lang, "verdict.failed", {
        reason: message(lang, "verdict.one-of", {
          index: failing + 1,
          count,
          reason: firstProblem(reports[failing]!),
        }),
      });
  const first = reports[0]!;
  return {
    verified,
    kind: "presentation",
    lang,
    verdict,
    checks,
    trust: first.trust,
    ...(first.chain ? { chain: first.chain } : {}),
    ...(holder.ok ? { holder: holder.signer } : {}),
    credentials: reports,
    verifiedAt: resolved.nowIso,
  };
}

/** The message of a report's first failed (else skipped) check. */
function firstProblem(report: VerificationReport): string {
  const check =
    report.checks.find((c) => c.status === "failed") ?? report.checks.find((c) => c.status === "skipped");
  return check?.message ?? "";
}

/**
 * The report of a presentation that holds no credential (VC 2.0 allows one, e.g. to show control of a
 * wallet): its holder check is reported, every credential check is skipped as not applicable, and it is not
 * verified — a verdict here is about credentials, and a program that trusts `verified` (or the CLI's exit code)
 * must not accept an empty presentation.
 */
function holderOnlyReport(holder: HolderProof, resolved: ResolvedOptions): VerificationReport {
  const lang = resolved.lang;
  const checks = new CheckList(lang);
  checks.pass("format", "format.presentation-empty");
  if (holder.ok) checks.pass("holder", "holder.ok-alone", { holder: holder.signer, domain: holder.domain });
  else checks.fail("holder", holder.code, holder.key, holder.params);
  for (const id of CHECK_IDS) if (!checks.get(id)) checks.skip(id, "no-credential", "skipped.no-credential");
  const list = checks.list();
  const holderCheckResult = checks.get("holder")!;
  return {
    verified: false,
    kind: "presentation",
    lang,
    verdict: holder.ok
      ? message(lang, "verdict.holder-only")
      : message(lang, "verdict.failed", { reason: holderCheckResult.message }),
    checks: list,
    trust: trustAnchor(resolved, lang, undefined, undefined),
    ...(holder.ok ? { holder: holder.signer } : {}),
    credentials: [],
    verifiedAt: resolved.nowIso,
  };
}
