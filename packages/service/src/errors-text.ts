// What each error of the service says, in English and Swedish: the problem titles and the detail of every error
// code. The English table defines the codes; the Swedish one must have each of them (a missing translation is a
// compile error). An error's `message` is its English detail; the HTTP layer answers in the request's language.

import type { Lang } from "@intyg/credential/lang";
import { reasonText } from "@intyg/verifier";

export type ErrorTextParams = Record<string, string | number | undefined>;
type Template = (p: ErrorTextParams) => string;

/** The kinds of problem, each a URI `https://intyg.se/problems/<type>` with a title. */
export type ProblemType =
  | "bad-request"
  | "validation"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "idempotency-key-reused"
  | "idempotency-key-in-use"
  | "payload-too-large"
  | "unsupported-media-type"
  | "gone"
  | "rate-limited"
  | "not-implemented"
  | "chain-unavailable"
  | "unavailable"
  | "internal";

const titlesEn = {
  "bad-request": "Bad request",
  validation: "Invalid request",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  "not-found": "Not found",
  conflict: "Conflict",
  "idempotency-key-reused": "Idempotency key reused with a different request",
  "idempotency-key-in-use": "A request with this idempotency key is in progress",
  "payload-too-large": "Payload too large",
  "unsupported-media-type": "Unsupported media type",
  gone: "Gone",
  "rate-limited": "Too many requests",
  "not-implemented": "Not implemented",
  "chain-unavailable": "Chain unavailable",
  unavailable: "Service unavailable",
  internal: "Internal server error",
} satisfies Record<ProblemType, string>;

const titlesSv: Record<ProblemType, string> = {
  "bad-request": "Felaktig begäran",
  validation: "Ogiltig begäran",
  unauthorized: "Inte inloggad",
  forbidden: "Inte tillåtet",
  "not-found": "Hittades inte",
  conflict: "Går inte just nu",
  "idempotency-key-reused": "Idempotensnyckeln är redan använd för en annan begäran",
  "idempotency-key-in-use": "En begäran med den här idempotensnyckeln pågår",
  "payload-too-large": "För stor begäran",
  "unsupported-media-type": "Formatet stöds inte",
  gone: "Borttaget",
  "rate-limited": "För många förfrågningar",
  "not-implemented": "Finns inte i den här tjänsten",
  "chain-unavailable": "Blockkedjan svarar inte",
  unavailable: "Tjänsten är inte tillgänglig",
  internal: "Internt fel",
};

export const PROBLEM_TITLES: Record<Lang, Record<ProblemType, string>> = { en: titlesEn, sv: titlesSv };

/** The English names of what a request has: body, query, path parameters, headers. */
const where = (p: ErrorTextParams) =>
  ({ json: "request body", query: "query", param: "param", header: "header", form: "form" })[
    String(p.target)
  ] ?? String(p.target);
const invalidSv = (p: ErrorTextParams) =>
  ({
    json: "Begärans innehåll är inte giltigt.",
    query: "Frågesträngen är inte giltig.",
    param: "Sökvägen är inte giltig.",
    header: "En rubrik i begäran är inte giltig.",
    form: "Formuläret är inte giltigt.",
  })[String(p.target)] ?? "Begäran är inte giltig.";

const en = {
  // Problems raised with a free English detail (older call sites); Swedish says what kind of problem it is.
  "problem.bad-request": (p) => String(p.detail ?? titlesEn["bad-request"]),
  "problem.validation": (p) => String(p.detail ?? titlesEn.validation),
  "problem.unauthorized": (p) => String(p.detail ?? titlesEn.unauthorized),
  "problem.forbidden": (p) => String(p.detail ?? titlesEn.forbidden),
  "problem.not-found": (p) => String(p.detail ?? titlesEn["not-found"]),
  "problem.conflict": (p) => String(p.detail ?? titlesEn.conflict),
  "problem.idempotency-key-reused": (p) => String(p.detail ?? titlesEn["idempotency-key-reused"]),
  "problem.idempotency-key-in-use": (p) => String(p.detail ?? titlesEn["idempotency-key-in-use"]),
  "problem.payload-too-large": (p) => String(p.detail ?? titlesEn["payload-too-large"]),
  "problem.unsupported-media-type": (p) => String(p.detail ?? titlesEn["unsupported-media-type"]),
  "problem.gone": (p) => String(p.detail ?? titlesEn.gone),
  "problem.rate-limited": (p) => String(p.detail ?? titlesEn["rate-limited"]),
  "problem.not-implemented": (p) => String(p.detail ?? titlesEn["not-implemented"]),
  "problem.chain-unavailable": (p) => String(p.detail ?? titlesEn["chain-unavailable"]),
  "problem.unavailable": (p) => String(p.detail ?? titlesEn.unavailable),
  "problem.internal": () => "An unexpected error occurred",
  // requests
  "request.invalid": (p) => `The ${where(p)} is not valid`,
  "request.hostile-text": () => "The request contains characters that are not allowed",
  "request.hostile-text-body": () => "The request body contains characters that are not allowed",
  "request.too-large": (p) => `The request body exceeds ${p.limit} bytes`,
  "request.no-route": (p) => `No route for ${p.method} ${p.path}`,
  "request.idempotency-key-required": () =>
    "An Idempotency-Key header (1–255 visible ASCII characters) is required",
  "request.idempotency-key-reused": () =>
    "This Idempotency-Key was used with a different request; use a new key for a new request",
  "request.rate-limited": () => "Too many requests for this API key; slow down",
  "request.organisation-rate-limited": () =>
    "Too many requests for this organisation (all its API keys together); slow down",
  "request.credential-quota": (p) =>
    `This organisation may issue ${p.limit} credentials per ${p.window}; it has issued ${p.used} in this one, so ${p.amount} more do not fit. Try again when the period ends (Retry-After)`,
  "request.credential-quota-too-large": (p) =>
    `This request issues ${p.amount} credentials, more than this organisation may issue per ${p.window} (${p.limit}); split it into smaller requests`,
  // authentication and sessions
  "auth.api-key-required": () => "A valid API key is required: Authorization: Bearer <key>",
  "auth.malformed-header": () => "The Authorization header must be: Bearer <api key>",
  "auth.unknown-api-key": () => "Unknown API key",
  "auth.api-key-revoked": () => "This API key has been revoked",
  "auth.admin-required": () => "This operation needs an admin API key",
  // organisations' keys
  "key.not-found": (p) => `This organisation has no key ${p.address}`,
  "key.no-keyring": () =>
    "This service keeps no organisation keys: start it with a key-encryption key (INTYG_KEK or INTYG_KEK_FILE)",
  "key.no-signing-key": () =>
    "The organisation has no signing key the service can use: create one (POST /v1/organisation/keys) and make it current",
  "key.not-held": (p) =>
    `The key ${p.address} is kept by the organisation, not by the service: it signs and sends elsewhere`,
  "key.wrong-state": (p) => `The key ${p.address} is ${p.status}; to ${p.step} it must be ${p.expected}`,
  "key.admin-not-held": () =>
    "The service does not hold this organisation's admin key: send the prepared authoriseKey transaction from the admin account, then make the key current",
  "key.not-authorised": (p) =>
    `The key ${p.address} is not (or no longer) authorised on chain for this organisation; authorise it first`,
  "key.last-signing-key": (p) =>
    `The key ${p.address} is the organisation's current signing key: make another key current before retiring it`,
  "key.in-flight": (p) =>
    `${p.count} credential(s) the key ${p.address} signed are still on their way to the chain; retire it once they are anchored`,
  "session.ended": () => "The session has ended: sign in again",
  "session.not-signed-in": () => "Not signed in",
  "session.unknown-or-revoked-key": () => "Unknown or revoked API key",
  "session.sign-in-rate-limited": () => "Too many sign-in attempts; wait a while and try again",
  "session.other-site": () => "This request comes from another site and is refused",
  "session.not-organiser-page": () =>
    "A request made with the session cookie must come from the organiser page",
  "session.csrf-token-missing": () =>
    "A write made with the session cookie needs the session's token in the X-CSRF-Token header",
  // things that are not there
  "not-found.credential": () => "credential not found",
  "not-found.event": () => "event not found",
  "not-found.parent-event": () => "parent event not found",
  "not-found.job": () => "job not found",
  "not-found.erasure": () => "no erasure of this credential is recorded",
  "not-found.batch": () => "batch not found",
  "not-found.verification-link": () => "verification link not found",
  "not-found.api-key": () => "API key not found",
  "not-found.link": () => "link not found",
  "not-found.page": () => "page not found",
  "not-found.context": () => "No such context version: the format has v1",
  "not-implemented.organiser-app": () =>
    "The organiser app is not built: run `pnpm --filter @intyg/web build`",
  "not-implemented.verify-page": () => "The verifier page is not installed in this service",
  "not-implemented.vcapi-verify-credential": () =>
    "Credential verification is not wired into this service yet",
  "not-implemented.vcapi-verify-presentation": () =>
    "Presentation verification is not wired into this service yet",
  // events and courses
  "event.not-registered": (p) => `the event is not registered on chain (status ${p.status})`,
  "event.parent-not-event": () => "only an event (not a course) can have parts",
  "event.parent-not-registered": () => "the parent event is not registered on chain yet",
  "event.create-reverted": () => "createEvent reverted on chain",
  "event.update-reverted": () => "updateEventMetadata reverted on chain",
  "event.not-confirmed": () => "the event was sent to the chain but not confirmed yet; it will settle",
  "event.details-invalid": (p) => `The details do not fit a ${p.kind}`,
  "chain.refused": (p) => `the registry refused ${p.action}: ${p.error}`,
  "chain.unreachable-for": (p) => `the chain could not be reached for ${p.action}; try again`,
  "chain.unreachable": () => "The chain node could not be reached",
  "chain.no-answer": () => "The chain node did not answer",
  "chain.rpc-rate-limited": () => "Too many requests to the RPC proxy; slow down",
  // credentials
  "credential.content-invalid": () => "The credential content is not valid",
  "credential.already-revoked": (p) =>
    `The credential is already revoked (${reasonText("en", p.reason === undefined ? undefined : String(p.reason), 0)})`,
  "credential.already-superseded": () => "The credential has already been superseded",
  "credential.revoked-not-superseded": () => "A revoked credential cannot be superseded",
  "credential.erased-give-subject": () => "The credential's data was erased: give the corrected subject",
  "credential.corrected-claims-invalid": () => "The corrected claims are not valid",
  "credential.changed-meanwhile": () => "The credential was superseded or revoked meanwhile",
  "credential.erased": () => "The credential's data has been erased",
  "credential.not-signed-yet": () => "The credential is not signed yet: it is signed with its batch shortly",
  "credential.cannot-hide": (p) => `Cannot hide ${p.path}: ${p.reason}`,
  "credential.share-link-invalid": (p) => String(p.reason),
  // retention
  "retention.unclaimed-shorter": (p) =>
    `unclaimedDays (${p.unclaimedDays}) must be at least days (${p.days}): a credential its holder has not fetched is kept at least as long as one they have; set unclaimedDays to ${p.days} or more, or to null for the default`,
  "token.not-in-batch": () => "Only a credential anchored in a batch has a token to claim",
  "token.not-anchored": () => "The credential is not anchored yet",
  "token.revoked": () => "The credential is revoked",
  // e-mail delivery
  "delivery.erased": () => "The credential was erased: there is nothing to send",
  "delivery.replaced": () => "The credential was revoked or superseded: send its replacement instead",
  "delivery.no-email": () => "The credential has no e-mail address: re-issue it with one to send it",
  "delivery.not-anchored": () => "The credential was not anchored: there is nothing to send",
  "delivery.already-waiting": () => "An e-mail of this credential is already waiting",
  // spreadsheet imports
  "import.not-multipart": () => "Send the spreadsheet as multipart/form-data with the field file",
  "import.form-unreadable": () => "The multipart form could not be read",
  "import.file-missing": () => "The form field file (the spreadsheet) is missing",
  "import.file-empty": () => "The file is empty",
  "import.lang-invalid": () => "The form field lang must be sv or en",
  "import.send-invalid": () => "The form field send must be true or false",
  "import.field-not-text": (p) => `The form field ${p.name} must be text (JSON)`,
  "import.field-not-json": (p) => `The form field ${p.name} is not valid JSON: ${p.hint}`,
  "import.field-invalid": (p) => `The form field ${p.name} is not valid: ${p.hint}`,
  "import.rows-invalid": (p) =>
    `${p.count} problem(s) in the file: correct the rows, or exclude their lines, and import again`,
  "import.no-rows-left": () => "No attendee is left to issue to",
  "import.too-many": (p) => `At most ${p.max} attendees fit in one import: split the file`,
  "import.not-xlsx": () =>
    "The file is not a readable Excel workbook (.xlsx): save it again as .xlsx or as CSV UTF-8",
  "import.sheet-too-many": (p) =>
    `The worksheet has ${p.rows} rows; at most ${p.max} attendees fit in one import — split the file`,
  // the W3C VC API
  "vcapi.not-event-urn": () => "credentialSubject.achievement.id is not an Intyg event URN",
  "vcapi.other-registry": () => "The event belongs to another chain or registry",
  "vcapi.event-missing": () => "Name the event: options.eventId or credentialSubject.achievement.id",
  "vcapi.not-anchored": () => "The credential could not be anchored; see its status",
  "vcapi.unsupported-properties": (p) =>
    `The service cannot honour ${Number(p.count) === 1 ? "this property" : "these properties"} of the credential: ${p.paths}`,
  // operations
  "system.unhealthy": (p) =>
    `Unhealthy: the ${[p.database === "down" && "database", p.chain === "down" && "chain"].filter(Boolean).join(" and ")} did not answer`,
  "bootstrap.invalid": () => "Invalid bootstrap input",
  "bootstrap.not-accredited": (p) =>
    `Organisation ${p.id} is not accredited in registry ${p.registry} (it holds ${p.count} organisation(s)): governance accredits it first. \`onboard\` writes what governance must approve; with a governance key: ${p.fix}`,
  "bootstrap.suspended": (p) =>
    `Organisation ${p.id} is suspended in the registry: governance reinstates it first (${p.fix})`,
  "bootstrap.profile-pending": (p) =>
    `The profile given for organisation ${p.id} is proposed but governance has not approved it yet (${p.fix})`,
  "bootstrap.profile-differs": (p) =>
    `The profile given hashes to ${p.expected} as organisation ${p.id}, but the registry holds ${p.registered}${p.numberDiffers ? " (and another organisation number)" : ""}: give the profile exactly as accredited (name, legal name, organisation number, URL), or have the organisation's admin propose this one and governance approve it (${p.fix})`,
  "onboard.invalid": () => "Invalid onboarding input",
  "onboard.number-taken": (p) =>
    `Organisation number ${p.number} is accredited already, as organisation ${p.id}: bootstrap that one instead`,
  "not-found.organisation": (p) => `The registry has no organisation ${p.id}`,
  "registry.rate-limited": () => "Too many requests for the registry's organisations; slow down",
} satisfies Record<string, Template>;

/** The stable code of every error of the service. */
export type ServiceErrorCode = keyof typeof en;

const svDetail: Record<ProblemType, string> = {
  "bad-request": "Begäran är felaktig och kan inte utföras.",
  validation: "Begäran innehåller ogiltiga uppgifter.",
  unauthorized: "Logga in eller ange en giltig API-nyckel.",
  forbidden: "Du har inte behörighet att göra detta.",
  "not-found": "Det som efterfrågades finns inte.",
  conflict: "Det går inte i det läge som råder nu.",
  "idempotency-key-reused": "Idempotensnyckeln har redan använts för en annan begäran: använd en ny nyckel.",
  "idempotency-key-in-use": "En begäran med samma idempotensnyckel pågår: vänta och försök igen.",
  "payload-too-large": "Begäran är för stor.",
  "unsupported-media-type": "Begärans format stöds inte.",
  gone: "Uppgifterna har raderats.",
  "rate-limited": "För många förfrågningar: vänta en stund och försök igen.",
  "not-implemented": "Det här finns inte i den här tjänsten.",
  "chain-unavailable": "Blockkedjan gick inte att nå: försök igen om en stund.",
  unavailable: "Tjänsten är inte tillgänglig just nu: försök igen om en stund.",
  internal: "Ett oväntat fel inträffade.",
};

const sv: Record<ServiceErrorCode, Template> = {
  "problem.bad-request": () => svDetail["bad-request"],
  "problem.validation": () => svDetail.validation,
  "problem.unauthorized": () => svDetail.unauthorized,
  "problem.forbidden": () => svDetail.forbidden,
  "problem.not-found": () => svDetail["not-found"],
  "problem.conflict": () => svDetail.conflict,
  "problem.idempotency-key-reused": () => svDetail["idempotency-key-reused"],
  "problem.idempotency-key-in-use": () => svDetail["idempotency-key-in-use"],
  "problem.payload-too-large": () => svDetail["payload-too-large"],
  "problem.unsupported-media-type": () => svDetail["unsupported-media-type"],
  "problem.gone": () => svDetail.gone,
  "problem.rate-limited": () => svDetail["rate-limited"],
  "problem.not-implemented": () => svDetail["not-implemented"],
  "problem.chain-unavailable": () => svDetail["chain-unavailable"],
  "problem.unavailable": () => svDetail.unavailable,
  "problem.internal": () => svDetail.internal,
  "request.invalid": invalidSv,
  "request.hostile-text": () => "Begäran innehåller tecken som inte är tillåtna.",
  "request.hostile-text-body": () => "Begärans innehåll har tecken som inte är tillåtna.",
  "request.too-large": (p) => `Begärans innehåll är större än ${p.limit} byte.`,
  "request.no-route": (p) => `Det finns ingen adress ${p.method} ${p.path}.`,
  "request.idempotency-key-required": () => "Rubriken Idempotency-Key (1–255 synliga ASCII-tecken) krävs.",
  "request.idempotency-key-reused": () =>
    "Idempotensnyckeln har redan använts för en annan begäran: använd en ny nyckel för en ny begäran.",
  "request.rate-limited": () => "För många förfrågningar med den här API-nyckeln: sakta ner.",
  "request.organisation-rate-limited": () =>
    "För många förfrågningar från den här organisationen (alla dess API-nycklar tillsammans): sakta ner.",
  "request.credential-quota": (p) =>
    `Den här organisationen får utfärda ${p.limit} intyg per ${p.window}; den har utfärdat ${p.used} under den här perioden, så ${p.amount} till ryms inte. Försök igen när perioden är slut (Retry-After).`,
  "request.credential-quota-too-large": (p) =>
    `Begäran utfärdar ${p.amount} intyg, fler än organisationen får utfärda per ${p.window} (${p.limit}): dela upp den i mindre begäranden.`,
  "auth.api-key-required": () => "En giltig API-nyckel krävs: Authorization: Bearer <nyckel>.",
  "auth.malformed-header": () => "Rubriken Authorization ska vara: Bearer <API-nyckel>.",
  "auth.unknown-api-key": () => "Okänd API-nyckel.",
  "auth.api-key-revoked": () => "API-nyckeln har återkallats.",
  "auth.admin-required": () => "Det här kräver en API-nyckel med administratörsbehörighet.",
  "key.not-found": (p) => `Organisationen har ingen nyckel ${p.address}.`,
  "key.no-keyring": () =>
    "Tjänsten förvarar inga organisationsnycklar: starta den med en nyckelkrypteringsnyckel (INTYG_KEK eller INTYG_KEK_FILE).",
  "key.no-signing-key": () =>
    "Organisationen har ingen signeringsnyckel som tjänsten kan använda: skapa en (POST /v1/organisation/keys) och gör den aktuell.",
  "key.not-held": (p) =>
    `Nyckeln ${p.address} förvaras av organisationen, inte av tjänsten: den signerar och skickar på annat håll.`,
  "key.wrong-state": (p) =>
    `Nyckeln ${p.address} har läget ${p.status}; för att ${p.step} måste den ha läget ${p.expected}.`,
  "key.admin-not-held": () =>
    "Tjänsten har inte organisationens administratörsnyckel: skicka den förberedda authoriseKey-transaktionen från administratörskontot och gör sedan nyckeln aktuell.",
  "key.not-authorised": (p) =>
    `Nyckeln ${p.address} är inte (eller inte längre) godkänd i registret för organisationen; godkänn den först.`,
  "key.last-signing-key": (p) =>
    `Nyckeln ${p.address} är organisationens aktuella signeringsnyckel: gör en annan nyckel aktuell innan den här tas ur bruk.`,
  "key.in-flight": (p) =>
    `${p.count} intyg som nyckeln ${p.address} har signerat är ännu inte förankrade; ta nyckeln ur bruk när de är det.`,
  "session.ended": () => "Sessionen har upphört: logga in igen.",
  "session.not-signed-in": () => "Du är inte inloggad.",
  "session.unknown-or-revoked-key": () => "Okänd eller återkallad API-nyckel.",
  "session.sign-in-rate-limited": () => "För många inloggningsförsök: vänta en stund och försök igen.",
  "session.other-site": () => "Begäran kommer från en annan webbplats och avvisas.",
  "session.not-organiser-page": () => "En begäran med sessionskakan måste komma från arrangörssidan.",
  "session.csrf-token-missing": () =>
    "En ändring med sessionskakan kräver sessionens nyckel i rubriken X-CSRF-Token.",
  "not-found.credential": () => "Intyget finns inte.",
  "not-found.event": () => "Evenemanget finns inte.",
  "not-found.parent-event": () => "Huvudevenemanget finns inte.",
  "not-found.job": () => "Jobbet finns inte.",
  "not-found.erasure": () => "Ingen radering av det här intyget finns registrerad.",
  "not-found.batch": () => "Omgången finns inte.",
  "not-found.verification-link": () => "Verifieringslänken finns inte.",
  "not-found.api-key": () => "API-nyckeln finns inte.",
  "not-found.link": () => "Länken finns inte.",
  "not-found.page": () => "Sidan finns inte.",
  "not-found.context": () => "Den kontextversionen finns inte: formatet har v1.",
  "not-implemented.organiser-app": () =>
    "Arrangörsappen är inte byggd: kör `pnpm --filter @intyg/web build`.",
  "not-implemented.verify-page": () => "Verifieringssidan är inte installerad i den här tjänsten.",
  "not-implemented.vcapi-verify-credential": () => "Verifiering av intyg finns inte i den här tjänsten än.",
  "not-implemented.vcapi-verify-presentation": () =>
    "Verifiering av presentationer finns inte i den här tjänsten än.",
  "event.not-registered": (p) => `Evenemanget är inte registrerat i blockkedjan (status ${p.status}).`,
  "event.parent-not-event": () => "Bara ett evenemang (inte en kurs) kan ha delar.",
  "event.parent-not-registered": () => "Huvudevenemanget är inte registrerat i blockkedjan än.",
  "event.create-reverted": () => "Blockkedjan avvisade registreringen av evenemanget.",
  "event.update-reverted": () => "Blockkedjan avvisade ändringen av evenemanget.",
  "event.not-confirmed": () =>
    "Evenemanget är skickat till blockkedjan men inte bekräftat än; det blir klart av sig självt.",
  "event.details-invalid": (p) =>
    p.kind === "course" ? "Uppgifterna passar inte en kurs." : "Uppgifterna passar inte ett evenemang.",
  "chain.refused": (p) => `Registret avvisade åtgärden (${p.error}).`,
  "chain.unreachable-for": () => "Blockkedjan gick inte att nå: försök igen.",
  "chain.unreachable": () => "Blockkedjans nod gick inte att nå.",
  "chain.no-answer": () => "Blockkedjans nod svarade inte.",
  "chain.rpc-rate-limited": () => "För många förfrågningar till RPC-proxyn: sakta ner.",
  "credential.content-invalid": () => "Intygets innehåll är inte giltigt.",
  "credential.already-revoked": (p) =>
    `Intyget är redan återkallat (${reasonText("sv", p.reason === undefined ? undefined : String(p.reason), 0)}).`,
  "credential.already-superseded": () => "Intyget är redan ersatt.",
  "credential.revoked-not-superseded": () => "Ett återkallat intyg kan inte ersättas.",
  "credential.erased-give-subject": () =>
    "Intygets uppgifter är raderade: ange de rättade uppgifterna om personen.",
  "credential.corrected-claims-invalid": () => "De rättade uppgifterna är inte giltiga.",
  "credential.changed-meanwhile": () => "Intyget ersattes eller återkallades under tiden.",
  "credential.erased": () => "Intygets uppgifter har raderats.",
  "credential.not-signed-yet": () => "Intyget är inte signerat än: det signeras med sin omgång inom kort.",
  "credential.cannot-hide": (p) => `Uppgiften ${p.path} kan inte döljas.`,
  "credential.share-link-invalid": () => "Delningslänken kan inte läsas: den är skadad eller ofullständig.",
  "retention.unclaimed-shorter": (p) =>
    `unclaimedDays (${p.unclaimedDays}) måste vara minst days (${p.days}): ett intyg som innehavaren inte har hämtat sparas minst lika länge som ett hämtat. Ange ${p.days} eller mer, eller null för standardvärdet.`,
  "token.not-in-batch": () => "Bara ett intyg som förankrats i en omgång har en token att hämta.",
  "token.not-anchored": () => "Intyget är inte förankrat än.",
  "token.revoked": () => "Intyget är återkallat.",
  "delivery.erased": () => "Intyget är raderat: det finns inget att skicka.",
  "delivery.replaced": () => "Intyget är återkallat eller ersatt: skicka det som ersatte det i stället.",
  "delivery.no-email": () => "Intyget har ingen e-postadress: utfärda det på nytt med en för att skicka det.",
  "delivery.not-anchored": () => "Intyget förankrades inte: det finns inget att skicka.",
  "delivery.already-waiting": () => "Ett e-postmeddelande med det här intyget väntar redan på att skickas.",
  "import.not-multipart": () => "Skicka kalkylarket som multipart/form-data med fältet file.",
  "import.form-unreadable": () => "Formuläret gick inte att läsa.",
  "import.file-missing": () => "Formulärfältet file (kalkylarket) saknas.",
  "import.file-empty": () => "Filen är tom.",
  "import.lang-invalid": () => "Formulärfältet lang ska vara sv eller en.",
  "import.send-invalid": () => "Formulärfältet send ska vara true eller false.",
  "import.field-not-text": (p) => `Formulärfältet ${p.name} ska vara text (JSON).`,
  "import.field-not-json": (p) => `Formulärfältet ${p.name} är inte giltig JSON.`,
  "import.field-invalid": (p) => `Formulärfältet ${p.name} är inte giltigt.`,
  "import.rows-invalid": (p) =>
    `${p.count} fel i filen: rätta raderna, eller uteslut dem, och importera igen.`,
  "import.no-rows-left": () => "Det finns ingen deltagare kvar att utfärda till.",
  "import.too-many": (p) => `Högst ${p.max} deltagare ryms i en import: dela upp filen.`,
  "import.not-xlsx": () =>
    "Filen är inte en läsbar Excel-arbetsbok (.xlsx): spara den igen som .xlsx eller som CSV UTF-8.",
  "import.sheet-too-many": (p) =>
    `Kalkylbladet har ${p.rows} rader; högst ${p.max} deltagare ryms i en import — dela upp filen.`,
  "vcapi.not-event-urn": () => "credentialSubject.achievement.id är inte en URN för ett Intyg-evenemang.",
  "vcapi.other-registry": () => "Evenemanget hör till en annan blockkedja eller ett annat register.",
  "vcapi.event-missing": () => "Ange evenemanget: options.eventId eller credentialSubject.achievement.id.",
  "vcapi.not-anchored": () => "Intyget kunde inte förankras; se dess status.",
  "vcapi.unsupported-properties": (p) =>
    `Tjänsten kan inte hantera ${Number(p.count) === 1 ? "den här egenskapen" : "de här egenskaperna"} i intyget: ${p.paths}.`,
  "system.unhealthy": (p) =>
    `Tjänsten mår inte bra: ${[p.database === "down" && "databasen", p.chain === "down" && "blockkedjan"].filter(Boolean).join(" och ")} svarade inte.`,
  "bootstrap.invalid": () => "Uppgifterna för att starta tjänsten är inte giltiga.",
  "bootstrap.not-accredited": (p) =>
    `Organisation ${p.id} är inte godkänd i registret ${p.registry} (det har ${p.count} organisation(er)): styrningen måste godkänna den först. \`onboard\` skriver det styrningen ska godkänna; med en styrningsnyckel: ${p.fix}`,
  "bootstrap.suspended": (p) =>
    `Organisation ${p.id} är avstängd i registret: styrningen måste återinsätta den först (${p.fix}).`,
  "bootstrap.profile-pending": (p) =>
    `Profilen för organisation ${p.id} är föreslagen men styrningen har inte godkänt den än (${p.fix}).`,
  "bootstrap.profile-differs": (p) =>
    `Profilen ger hashen ${p.expected} som organisation ${p.id}, men registret har ${p.registered}${p.numberDiffers ? " (och ett annat organisationsnummer)" : ""}: ange profilen exakt som den godkändes (namn, juridiskt namn, organisationsnummer, webbadress), eller låt organisationens administratör föreslå den här och styrningen godkänna den (${p.fix}).`,
  "onboard.invalid": () => "Uppgifterna om den nya organisationen är inte giltiga.",
  "onboard.number-taken": (p) =>
    `Organisationsnumret ${p.number} är redan godkänt, som organisation ${p.id}: kör bootstrap för den i stället.`,
  "not-found.organisation": (p) => `Registret har ingen organisation ${p.id}.`,
  "registry.rate-limited": () => "För många förfrågningar om registrets organisationer: sakta ner.",
};

const tables: Record<Lang, Record<ServiceErrorCode, Template>> = { en, sv };

/** What the error with `code` says in `lang`. */
export function errorText(lang: Lang, code: ServiceErrorCode, params: ErrorTextParams = {}): string {
  return tables[lang][code](params);
}

/** Every error code, for checks that go over them all. */
export const SERVICE_ERROR_CODES = Object.keys(en) as ServiceErrorCode[];
