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
import { chainQueries, historyQueries, runChainChecks } from "./chain-checks";
import { CheckList } from "./checks";
import { isPlainObject, readDocument } from "./input";
import { ChainViews, resolveOptions, type VerifyOptions } from "./options";
import type { PreparedCredential } from "./prepare";
import type { Lang, VerificationReport } from "./types";
import { buildReport, chainSummary, prepareInput } from "./verify";

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
  credential: Credential;
  /** The holder's wallet (a viem local account, or anything with its address and signing methods). */
  account: Pick<LocalAccount, "address" | "signTypedData" | "signMessage">;
  challenge: string;
  domain: string;
  /** `eip712` (default) or `personal_sign`. */
  method?: "eip712" | "personal_sign";
  /** The chain id in the holder's did:pkh (default the credential's). */
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

/** Signs a presentation of one credential for a verifier's challenge and domain (holder side, and tests). */
export async function createPresentation(
  parameters: CreatePresentationParameters,
): Promise<VerifiablePresentation> {
  const { credential, account, challenge, domain } = parameters;
  const method = parameters.method ?? "eip712";
  const did = holderDid(parameters.chainId ?? credential.anchor.chainId, account.address);
  const unsigned = {
    "@context": [PRESENTATION_CONTEXT],
    type: ["VerifiablePresentation"],
    holder: did,
    ...parameters.envelope,
    verifiableCredential: [credential],
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

async function holderCheck(
  prepared: PreparedCredential,
  presentation: Record<string, unknown>,
  proof: Record<string, unknown>,
  options: VerifyPresentationOptions,
): Promise<Address | undefined> {
  const holderId = holderIdOf(presentation.holder);
  const { checks, credential, target } = prepared;
  if (!checks.ready("holder") || !credential) return undefined;
  if (!options.challenge || !options.domain) {
    checks.fail("holder", "no-challenge", "holder.no-challenge");
    return undefined;
  }
  const { type, challenge, domain, proofValue } = proof;
  if (type !== PRESENTATION_EIP712_PROOF && type !== PRESENTATION_PERSONAL_SIGN_PROOF) {
    checks.fail("holder", "unknown-proof-type", "holder.malformed", {
      detail: `proof type ${String(type).slice(0, 60)}`,
    });
    return undefined;
  }
  if (
    typeof challenge !== "string" ||
    typeof domain !== "string" ||
    typeof proofValue !== "string" ||
    !SIGNATURE.test(proofValue)
  ) {
    checks.fail("holder", "malformed-proof", "holder.malformed", {
      detail: "challenge, domain or proofValue",
    });
    return undefined;
  }
  if (BigInt(`0x${proofValue.slice(66, 130)}`) > SECP256K1_HALF_N) {
    checks.fail("holder", "invalid-signature", "holder.signature");
    return undefined;
  }
  if (challenge !== options.challenge) {
    checks.fail("holder", "challenge-mismatch", "holder.challenge");
    return undefined;
  }
  if (domain !== options.domain) {
    checks.fail("holder", "domain-mismatch", "holder.domain", {
      actual: domain.slice(0, 200),
      expected: options.domain,
    });
    return undefined;
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
    checks.fail("holder", "invalid-signature", "holder.signature");
    return undefined;
  }
  // The format check made `holder` a did:pkh and the verification method its account.
  const named = addressOfDid(holderId);
  if (named === undefined || !isAddressEqual(named, signer)) {
    checks.fail("holder", "invalid-signature", "holder.signature");
    return undefined;
  }
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

/**
 * Verifies a presentation of one credential: every credential check, and the holder check (the holder's
 * wallet signed this verifier's challenge and domain). Never throws.
 */
export async function verifyPresentation(
  input: unknown,
  options: VerifyPresentationOptions = {},
): Promise<VerificationReport> {
  const resolved = resolveOptions(options);
  const lang = resolved.lang;
  const fail = (code: string, key: Parameters<CheckList["fail"]>[2], params = {}) => {
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
  if (list.length !== 1)
    return fail("credential-count", "format.presentation-credentials", { count: list.length });
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

  const prepared = await prepareInput(list[0], resolved);
  if (prepared.checks.status("format") === "passed") prepared.checks.pass("format", "format.presentation-ok");
  const views = new ChainViews(options);
  if (prepared.target)
    await views.load([{ registry: prepared.target.registry, queries: chainQueries(prepared.target) }]);
  const view = prepared.target ? await views.view(prepared.target.registry) : ({ status: "none" } as const);
  const histories = historyQueries(prepared, view, resolved.checkMetadata);
  if (prepared.target && histories.length > 0) {
    await views.load([{ registry: prepared.target.registry, queries: histories }]);
  }
  runChainChecks(prepared, view, {
    now: resolved.now,
    checkMetadata: resolved.checkMetadata,
    trustCredentialRegistry: resolved.trustCredentialRegistry,
  });
  let holder: Address | undefined;
  try {
    holder = await holderCheck(prepared, doc, doc.proof, options);
  } catch {
    prepared.checks.fail("holder", "invalid-signature", "holder.signature");
  }
  return buildReport(
    prepared,
    "presentation",
    lang,
    resolved,
    chainSummary(view, resolved.now, lang),
    holder,
  );
}
