// Every sentence a report can say, in Swedish and English. Both tables live here so that they stay in step:
// the English table defines the keys and the Swedish one must have each of them.

import { timeFormatter } from "./formatters";
import type { CheckId, Lang } from "./types";

export type MessageParams = Record<string, string | number | undefined>;
type Template = (p: MessageParams) => string;

const en = {
  // format
  "format.ok": () => "The document is an Intyg credential (W3C Verifiable Credential, Open Badges 3.0).",
  "format.presentation-ok": (p) =>
    Number(p.count ?? 1) === 1
      ? "The document is a presentation with one Intyg credential."
      : `The document is a presentation with ${p.count} Intyg credentials.`,
  "format.presentation-empty": () =>
    "The document is a presentation that holds no credential: it can only show who presents it.",
  "format.presentation-nothing": () =>
    "The presentation holds no credential and no proof: there is nothing to verify. Ask the holder to present the credential again.",
  "format.empty": () => "No credential was given: the input is empty.",
  "format.not-json": () => "The input is not JSON, so it cannot be a credential.",
  "format.not-utf8": () => "The input is not UTF-8 text, so it cannot be a credential.",
  "format.duplicate-key": (p) =>
    `The input has the property "${p.key}" twice in one object, so it can be read in two ways.`,
  "format.too-large": (p) => `The input is too large (${p.size} bytes; at most ${p.limit}).`,
  "format.too-deep": (p) => `The input is nested too deeply (more than ${p.limit} levels).`,
  "format.not-object": () => "The input is not a JSON object, so it cannot be a credential.",
  "format.unknown-proof": (p) => `The proof type "${p.type}" is not supported (expected ${p.expected}).`,
  "format.schema": () =>
    "The document is not a complete Intyg credential (it may be damaged or cut short), so it cannot be checked. Ask the holder for the original file or link.",
  "format.is-presentation": () =>
    "The document is a presentation, not a credential: verify it as a presentation.",
  "format.not-presentation": () =>
    "The document is not a presentation (expected type VerifiablePresentation).",
  "format.presentation-credentials": (p) =>
    `The presentation holds ${p.count} credentials; at most ${p.limit} can be checked at once. Ask the holder to present fewer.`,
  "format.share-link": (p) => `The share link cannot be read: ${p.detail}.`,
  "format.presentation-schema": () =>
    "The presentation is damaged or incomplete, so it cannot be checked. Ask the holder to present the credential again.",
  // integrity
  "integrity.ok": (p) =>
    Number(p.hidden) > 0
      ? `The claims match the credential's commitment: nothing has been changed (${p.hidden} claim(s) hidden by the holder).`
      : "The claims match the credential's commitment: nothing has been changed.",
  "integrity.failed": () =>
    "The credential has been changed since it was issued: what it says now is not what the issuer signed. Ask the holder for the original.",
  // signature
  "signature.ok": (p) => `The credential is signed by key ${p.signer}.`,
  "signature.malformed": () => "The signature cannot be read: the proof section is malformed.",
  "signature.invalid": () =>
    "The issuer's signature is not valid: the credential may be forged. Ask the holder for the original.",
  "signature.signer-mismatch": (p) =>
    `The signature was made by ${p.signer}, not by the key the proof names (${p.expected}).`,
  "signature.binding": (p) => `The signature does not cover this credential: ${p.detail}.`,
  // issuer
  "issuer.ok": (p) =>
    `${p.name} (org. no. ${p.orgnr}, registry organisation ${p.organisationId}) is an accredited issuer in the registry, and key ${p.signer} was authorised to sign for it when the credential was issued (${p.at}; the key signs for it ${p.from ? `from ${p.from}` : "from the start"}${p.until ? ` until ${p.until}` : " with no end date"}).`,
  "issuer.unknown": (p) => `Organisation ${p.organisationId} is not accredited in the registry.`,
  "issuer.untrusted-registry": (p) =>
    `The credential names registry ${p.registry}, but this verifier is not configured to trust a registry, so accreditation cannot be established (give the registry to trust).`,
  "issuer.suspended": (p) =>
    `The issuer ${p.name} is suspended by the registry's governance (since ${p.since}).`,
  "issuer.key-unknown": (p) => `The signing key ${p.signer} is not registered for any organisation.`,
  "issuer.key-other-organisation": (p) =>
    `The signing key ${p.signer} belongs to organisation ${p.keyOrganisation}, not to the issuer (${p.organisationId}).`,
  "issuer.key-not-valid": (p) =>
    `The signing key ${p.signer} was not authorised at issuance (${p.at}); it may sign ${p.from ? `from ${p.from}` : "from the start"} until ${p.until}.`,
  "issuer.profile-mismatch": (p) =>
    `The issuer's profile in the credential (name, legal name, organisation number, web site) is not the one accredited in the registry for organisation ${p.organisationId}.`,
  "issuer.mismatch": (p) =>
    `The issuer (organisation ${p.issuerOrganisation}) is not the organisation of the event (${p.eventOrganisation}).`,
  "issuer.mixed-scripts": (p) =>
    `Note: the issuer's name "${p.name}" mixes letters of different scripts (for example a Cyrillic letter among Latin ones); it may imitate another organisation's name — compare the organisation number and registry id.`,
  // anchor
  "anchor.ok": (p) => `The credential is anchored in the registry on chain ${p.chainId} since ${p.at}.`,
  "anchor.batch-ok": (p) =>
    `The credential is one of ${p.size} anchored in one batch on chain ${p.chainId} since ${p.at}; its Merkle proof holds.`,
  "anchor.wrong-chain": (p) =>
    `The credential was issued on chain ${p.expected}, but the verifier reads chain ${p.actual}.`,
  "anchor.wrong-registry": (p) =>
    `The credential was issued in registry ${p.expected}, but the verifier trusts registry ${p.actual}.`,
  "anchor.not-anchored": () =>
    "The issuer has not recorded this credential in the registry (not issued, or not yet). If it was issued moments ago, try again in a minute; otherwise contact the issuer.",
  "anchor.batch-proof": () => "The credential's Merkle proof does not lead to the anchored batch root.",
  "anchor.kind-mismatch": (p) =>
    p.batch === "yes"
      ? "The credential claims to be in a batch, but the registry recorded a single credential."
      : "The credential claims to be single, but the registry recorded a batch.",
  "anchor.record-mismatch": (p) =>
    `The registry's record does not match the credential (${p.field}: ${p.actual} on chain, ${p.expected} in the credential).`,
  "anchor.unavailable": () =>
    "The registry could not be read just now, so the credential could not be checked. Try again later.",
  "anchor.no-chain": () => "No chain or snapshot is configured, so the registry cannot be read.",
  // revocation
  "revocation.ok": (p) => `The credential is not revoked (registry read at block ${p.block}).`,
  "revocation.revoked": (p) =>
    `The credential was revoked by its issuer on ${p.at}. Reason: ${p.reason}. It no longer counts as proof.`,
  "revocation.batch-revoked": (p) =>
    `The whole batch of this credential was revoked on ${p.at}. Reason: ${p.reason}.`,
  "revocation.superseded": (p) => ` It was replaced by credential ${p.replacement}.`,
  // validity
  "validity.ok": (p) =>
    p.until ? `Valid from ${p.from} until ${p.until}.` : `Valid from ${p.from}, with no end date.`,
  "validity.not-yet": (p) => `The credential is not valid yet: it is valid from ${p.from}.`,
  "validity.expired": (p) =>
    `The credential expired on ${p.until}: it no longer counts as proof. The holder may have a newer one.`,
  // holder
  "holder.not-presentation": () =>
    "Not checked: a bare credential was given, not a presentation by its holder.",
  "holder.ok": (p) =>
    `Presented by the holder's wallet ${p.holder} for ${p.domain}, answering this verifier's challenge.`,
  "holder.no-challenge": () => "The verifier gave no challenge and domain, so the holder cannot be checked.",
  "holder.malformed": (p) => `The presentation's proof cannot be read: ${p.detail}.`,
  "holder.challenge": () =>
    "The presentation answers another challenge: it is a replay of an earlier presentation, not made for this verification.",
  "holder.domain": (p) => `The presentation was made for ${p.actual}, not for this verifier (${p.expected}).`,
  "holder.signature": () => "The holder's signature on the presentation is not valid.",
  "holder.not-bound": () =>
    "The credential names no holder wallet, so it cannot be tied to whoever presents it.",
  "holder.mismatch": (p) =>
    `The presentation was signed by ${p.signer}, but the credential belongs to ${p.holder}.`,
  "holder.ok-alone": (p) =>
    `The holder's wallet ${p.holder} signed this verifier's challenge for ${p.domain}.`,
  // event
  "event.ok": (p) => `${p.kindName} "${p.name}" exists in the registry and belongs to the issuer.`,
  "event.unknown": (p) => `Event ${p.eventId} does not exist in the registry.`,
  "event.kind": (p) =>
    `The registry records ${p.eventId} as ${p.actual}, but the credential says ${p.expected}.`,
  "event.metadata": (p) =>
    `The description of "${p.name}" in the credential is not the one registered for event ${p.eventId}.`,
  "event.organisation": (p) =>
    `Event ${p.eventId} belongs to organisation ${p.actual}, not to the issuer (${p.expected}).`,
  // shared
  "skipped.depends": (p) => `Not checked, because the ${p.check} check failed.`,
  "skipped.no-credential": () => "Not checked: the presentation holds no credential.",
  "skipped.wrong-chain": () => "Not checked, because the credential belongs to another chain or registry.",
  "skipped.unavailable": () => "Not checked, because the registry could not be read.",
  "skipped.untrusted-source": () =>
    "Not checked, because the registry source is not the one this verifier trusts.",
  "trust.node-wrong-chain": (p) =>
    `The node this verifier reads is on chain ${p.actual}, but the verifier trusts chain ${p.expected}: none of its answers was used. Check the configured node URL.`,
  "trust.node-wrong-registry": (p) =>
    `The registry source answers for ${p.actual}, but this verifier trusts registry ${p.expected}: none of its answers was used.`,
  "trust.snapshot-wrong-chain": (p) =>
    `The snapshot records chain ${p.actual}, but this verifier trusts chain ${p.expected}: it was not used. Record a snapshot of the trusted chain (intyg snapshot).`,
  "trust.snapshot-wrong-registry": (p) =>
    `The snapshot records registry ${p.actual}, but this verifier trusts registry ${p.expected}: it was not used. Record a snapshot of the trusted registry (intyg snapshot).`,
  "trust.snapshot-not-on-chain": () =>
    "The snapshot's block is not on the chain of the node this verifier trusts (its hash differs or is missing): the snapshot was not used.",
  "trust.anchor": (p) =>
    `Trust anchor: registry ${p.registry} on chain ${p.chain}, chosen by ${p.source}${p.organisationId ? `; the issuer checked is organisation ${p.organisationId} of that registry` : ""}.`,
  "trust.anchor-none": (p) =>
    `No trust anchor: this verifier is configured with no registry to trust (${p.source}), so no issuer can be established.`,
  "trust.source.flag": (p) => `the command line (${p.detail ?? "--registry"})`,
  "trust.source.environment": (p) => `the environment (${p.detail ?? "INTYG_REGISTRY"})`,
  "trust.source.config-file": (p) => `the configuration file ${p.detail ?? ""}`.trim(),
  "trust.source.server": () => "this site's own configuration",
  "trust.source.caller": () => "the application's configuration",
  "trust.source.credential": () => "the credential itself (development only: not a trust anchor)",
  "trust.source.none": () => "nothing",
  "trust.any-chain": () => "any",
  "verdict.verified": () =>
    "Verified: the credential is genuine, issued by an accredited issuer, valid and not revoked.",
  "verdict.verified-presentation": () =>
    "Verified: the credential is genuine, valid and not revoked, and was presented by its holder.",
  "verdict.verified-presentation-many": (p) =>
    `Verified: all ${p.count} credentials are genuine, valid and not revoked, and were presented by their holder.`,
  "verdict.holder-only": () =>
    "Not verified: the presentation holds no credential, so there is nothing to verify (the holder's wallet did sign this verifier's challenge).",
  "verdict.failed": (p) => `Not verified: ${p.reason}`,
  "verdict.one-of": (p) => `credential ${p.index} of ${p.count}: ${p.reason}`,
  "kind.event": () => "The event",
  "kind.course": () => "The course",
  "snapshot.note": (p) => `Offline verification on a registry snapshot of block ${p.block} (${p.age} old).`,
} satisfies Record<string, Template>;

export type MessageKey = keyof typeof en;

const sv: Record<MessageKey, Template> = {
  "format.ok": () => "Dokumentet är ett intyg från Intyg (W3C Verifiable Credential, Open Badges 3.0).",
  "format.presentation-ok": (p) =>
    Number(p.count ?? 1) === 1
      ? "Dokumentet är en presentation med ett intyg från Intyg."
      : `Dokumentet är en presentation med ${p.count} intyg från Intyg.`,
  "format.presentation-empty": () =>
    "Dokumentet är en presentation utan intyg: den kan bara visa vem som visar den.",
  "format.presentation-nothing": () =>
    "Presentationen innehåller varken intyg eller bevis: det finns inget att verifiera. Be innehavaren visa intyget igen.",
  "format.empty": () => "Inget intyg angavs: indata är tomt.",
  "format.not-json": () => "Indata är inte JSON och kan därför inte vara ett intyg.",
  "format.not-utf8": () => "Indata är inte UTF-8-text och kan därför inte vara ett intyg.",
  "format.duplicate-key": (p) =>
    `Indata har egenskapen "${p.key}" två gånger i samma objekt och kan därför läsas på två sätt.`,
  "format.too-large": (p) => `Indata är för stort (${p.size} byte; högst ${p.limit}).`,
  "format.too-deep": (p) => `Indata är för djupt nästlat (mer än ${p.limit} nivåer).`,
  "format.not-object": () => "Indata är inte ett JSON-objekt och kan därför inte vara ett intyg.",
  "format.unknown-proof": (p) => `Bevistypen "${p.type}" stöds inte (förväntad: ${p.expected}).`,
  "format.schema": () =>
    "Dokumentet är inte ett fullständigt intyg (det kan vara skadat eller avkortat), så det kan inte kontrolleras. Be innehavaren om originalfilen eller länken.",
  "format.is-presentation": () =>
    "Dokumentet är en presentation, inte ett intyg: verifiera det som presentation.",
  "format.not-presentation": () => "Dokumentet är ingen presentation (typen VerifiablePresentation saknas).",
  "format.presentation-credentials": (p) =>
    `Presentationen innehåller ${p.count} intyg; högst ${p.limit} kan kontrolleras åt gången. Be innehavaren visa färre.`,
  "format.share-link": (p) => `Delningslänken kan inte läsas: ${p.detail}.`,
  "format.presentation-schema": () =>
    "Presentationen är skadad eller ofullständig, så den kan inte kontrolleras. Be innehavaren att visa intyget igen.",
  "integrity.ok": (p) =>
    Number(p.hidden) > 0
      ? `Uppgifterna stämmer med intygets hashvärde: inget har ändrats (${p.hidden} uppgift(er) dolda av innehavaren).`
      : "Uppgifterna stämmer med intygets hashvärde: inget har ändrats.",
  "integrity.failed": () =>
    "Intyget har ändrats efter att det utfärdades: det som står i det nu är inte det som utfärdaren signerade. Be innehavaren om originalet.",
  "signature.ok": (p) => `Intyget är signerat med nyckeln ${p.signer}.`,
  "signature.malformed": () => "Signaturen kan inte läsas: bevisdelen är felaktig.",
  "signature.invalid": () =>
    "Utfärdarens signatur är inte giltig: intyget kan vara förfalskat. Be innehavaren om originalet.",
  "signature.signer-mismatch": (p) =>
    `Signaturen gjordes av ${p.signer}, inte av nyckeln som beviset anger (${p.expected}).`,
  "signature.binding": (p) => `Signaturen gäller inte det här intyget: ${p.detail}.`,
  "issuer.ok": (p) =>
    `${p.name} (org.nr ${p.orgnr}, organisation ${p.organisationId} i registret) är en godkänd utfärdare i registret, och nyckeln ${p.signer} var behörig att signera för den när intyget utfärdades (${p.at}; nyckeln signerar för den ${p.from ? `från ${p.from}` : "från början"}${p.until ? ` till ${p.until}` : " tills vidare"}).`,
  "issuer.unknown": (p) => `Organisation ${p.organisationId} är inte godkänd som utfärdare i registret.`,
  "issuer.untrusted-registry": (p) =>
    `Intyget anger registret ${p.registry}, men verifieringen är inte inställd på att lita på något register, så utfärdarens godkännande kan inte fastställas (ange registret att lita på).`,
  "issuer.suspended": (p) => `Utfärdaren ${p.name} är avstängd av registrets förvaltning (sedan ${p.since}).`,
  "issuer.key-unknown": (p) => `Signeringsnyckeln ${p.signer} är inte registrerad för någon organisation.`,
  "issuer.key-other-organisation": (p) =>
    `Signeringsnyckeln ${p.signer} tillhör organisation ${p.keyOrganisation}, inte utfärdaren (${p.organisationId}).`,
  "issuer.key-not-valid": (p) =>
    `Signeringsnyckeln ${p.signer} var inte behörig när intyget utfärdades (${p.at}); den får signera ${p.from ? `från ${p.from}` : "från början"} till ${p.until}.`,
  "issuer.profile-mismatch": (p) =>
    `Utfärdarens uppgifter i intyget (namn, juridiskt namn, organisationsnummer, webbplats) är inte de som är godkända i registret för organisation ${p.organisationId}.`,
  "issuer.mismatch": (p) =>
    `Utfärdaren (organisation ${p.issuerOrganisation}) är inte den organisation som äger evenemanget (${p.eventOrganisation}).`,
  "issuer.mixed-scripts": (p) =>
    `Obs: utfärdarens namn "${p.name}" blandar bokstäver från olika skriftsystem (till exempel en kyrillisk bokstav bland latinska); det kan efterlikna en annan organisations namn — jämför organisationsnummer och id i registret.`,
  "anchor.ok": (p) => `Intyget är förankrat i registret på kedja ${p.chainId} sedan ${p.at}.`,
  "anchor.batch-ok": (p) =>
    `Intyget är ett av ${p.size} som förankrades i en gemensam omgång på kedja ${p.chainId} sedan ${p.at}; dess Merkle-bevis stämmer.`,
  "anchor.wrong-chain": (p) =>
    `Intyget utfärdades på kedja ${p.expected}, men verifieringen läser kedja ${p.actual}.`,
  "anchor.wrong-registry": (p) =>
    `Intyget utfärdades i registret ${p.expected}, men verifieringen litar på registret ${p.actual}.`,
  "anchor.not-anchored": () =>
    "Utfärdaren har inte registrerat intyget i registret (inte utfärdat, eller inte ännu). Om det utfärdades alldeles nyss, försök igen om en minut; annars kontakta utfärdaren.",
  "anchor.batch-proof": () => "Intygets Merkle-bevis leder inte till den förankrade omgångens rot.",
  "anchor.kind-mismatch": (p) =>
    p.batch === "yes"
      ? "Intyget påstår att det ingår i en omgång, men registret har registrerat ett enskilt intyg."
      : "Intyget påstår att det är enskilt, men registret har registrerat en omgång.",
  "anchor.record-mismatch": (p) =>
    `Registrets uppgifter stämmer inte med intyget (${p.field}: ${p.actual} i kedjan, ${p.expected} i intyget).`,
  "anchor.unavailable": () =>
    "Registret kunde inte läsas just nu, så intyget kunde inte kontrolleras. Försök igen senare.",
  "anchor.no-chain": () => "Ingen kedja eller ögonblicksbild är angiven, så registret kan inte läsas.",
  "revocation.ok": (p) => `Intyget är inte återkallat (registret läst vid block ${p.block}).`,
  "revocation.revoked": (p) =>
    `Intyget återkallades av utfärdaren ${p.at}. Skäl: ${p.reason}. Det gäller inte längre som bevis.`,
  "revocation.batch-revoked": (p) =>
    `Hela omgången som intyget ingår i återkallades ${p.at}. Skäl: ${p.reason}.`,
  "revocation.superseded": (p) => ` Det har ersatts av intyget ${p.replacement}.`,
  "validity.ok": (p) =>
    p.until ? `Giltigt från ${p.from} till ${p.until}.` : `Giltigt från ${p.from}, utan slutdatum.`,
  "validity.not-yet": (p) => `Intyget är inte giltigt ännu: det gäller från ${p.from}.`,
  "validity.expired": (p) =>
    `Intyget gick ut ${p.until}: det gäller inte längre som bevis. Innehavaren kan ha ett nyare.`,
  "holder.not-presentation": () =>
    "Kontrollerades inte: ett fristående intyg angavs, inte en presentation från innehavaren.",
  "holder.ok": (p) =>
    `Visat av innehavarens plånbok ${p.holder} för ${p.domain}, som svar på den här verifieringens utmaning.`,
  "holder.no-challenge": () =>
    "Verifieringen angav ingen utmaning och domän, så innehavaren kan inte kontrolleras.",
  "holder.malformed": (p) => `Presentationens bevis kan inte läsas: ${p.detail}.`,
  "holder.challenge": () =>
    "Presentationen svarar på en annan utmaning: den är en återuppspelning av en tidigare presentation, inte gjord för den här verifieringen.",
  "holder.domain": (p) =>
    `Presentationen gjordes för ${p.actual}, inte för den här verifieringen (${p.expected}).`,
  "holder.signature": () => "Innehavarens signatur på presentationen är inte giltig.",
  "holder.not-bound": () =>
    "Intyget anger ingen plånbok för innehavaren, så det kan inte knytas till den som visar det.",
  "holder.mismatch": (p) => `Presentationen signerades av ${p.signer}, men intyget tillhör ${p.holder}.`,
  "holder.ok-alone": (p) =>
    `Innehavarens plånbok ${p.holder} signerade den här verifieringens utmaning för ${p.domain}.`,
  "event.ok": (p) => `${p.kindName} "${p.name}" finns i registret och tillhör utfärdaren.`,
  "event.unknown": (p) => `Evenemanget ${p.eventId} finns inte i registret.`,
  "event.kind": (p) => `Registret anger ${p.eventId} som ${p.actual}, men intyget anger ${p.expected}.`,
  "event.metadata": (p) =>
    `Beskrivningen av "${p.name}" i intyget är inte den som registrerats för evenemanget ${p.eventId}.`,
  "event.organisation": (p) =>
    `Evenemanget ${p.eventId} tillhör organisation ${p.actual}, inte utfärdaren (${p.expected}).`,
  "skipped.depends": (p) => `Kontrollerades inte, eftersom kontrollen "${p.check}" misslyckades.`,
  "skipped.no-credential": () => "Kontrollerades inte: presentationen innehåller inget intyg.",
  "skipped.wrong-chain": () =>
    "Kontrollerades inte, eftersom intyget hör till en annan kedja eller ett annat register.",
  "skipped.unavailable": () => "Kontrollerades inte, eftersom registret inte kunde läsas.",
  "skipped.untrusted-source": () =>
    "Kontrollerades inte, eftersom registerkällan inte är den som verifieraren litar på.",
  "trust.node-wrong-chain": (p) =>
    `Noden som verifieraren läser är på kedja ${p.actual}, men verifieraren litar på kedja ${p.expected}: inga av dess svar användes. Kontrollera nodens adress i konfigurationen.`,
  "trust.node-wrong-registry": (p) =>
    `Registerkällan svarar för ${p.actual}, men verifieraren litar på registret ${p.expected}: inga av dess svar användes.`,
  "trust.snapshot-wrong-chain": (p) =>
    `Ögonblicksbilden gäller kedja ${p.actual}, men verifieraren litar på kedja ${p.expected}: den användes inte. Ta en ögonblicksbild av den betrodda kedjan (intyg snapshot).`,
  "trust.snapshot-wrong-registry": (p) =>
    `Ögonblicksbilden gäller registret ${p.actual}, men verifieraren litar på registret ${p.expected}: den användes inte. Ta en ögonblicksbild av det betrodda registret (intyg snapshot).`,
  "trust.snapshot-not-on-chain": () =>
    "Ögonblicksbildens block finns inte i kedjan hos den nod som verifieraren litar på (blockets hash skiljer sig eller saknas): ögonblicksbilden användes inte.",
  "trust.anchor": (p) =>
    `Förtroendeankare: registret ${p.registry} på kedja ${p.chain}, valt av ${p.source}${p.organisationId ? `; utfärdaren som kontrollerades är organisation ${p.organisationId} i det registret` : ""}.`,
  "trust.anchor-none": (p) =>
    `Inget förtroendeankare: verifieraren har inget register att lita på (${p.source}), så ingen utfärdare kan fastställas.`,
  "trust.source.flag": (p) => `kommandoraden (${p.detail ?? "--registry"})`,
  "trust.source.environment": (p) => `miljön (${p.detail ?? "INTYG_REGISTRY"})`,
  "trust.source.config-file": (p) => `konfigurationsfilen ${p.detail ?? ""}`.trim(),
  "trust.source.server": () => "webbplatsens egen konfiguration",
  "trust.source.caller": () => "programmets konfiguration",
  "trust.source.credential": () => "intyget självt (bara för utveckling: inget förtroendeankare)",
  "trust.source.none": () => "ingenting",
  "trust.any-chain": () => "valfri",
  "verdict.verified": () =>
    "Verifierat: intyget är äkta, utfärdat av en godkänd utfärdare, giltigt och inte återkallat.",
  "verdict.verified-presentation": () =>
    "Verifierat: intyget är äkta, giltigt och inte återkallat, och det visades av sin innehavare.",
  "verdict.verified-presentation-many": (p) =>
    `Verifierat: alla ${p.count} intyg är äkta, giltiga och inte återkallade, och de visades av sin innehavare.`,
  "verdict.holder-only": () =>
    "Inte verifierat: presentationen innehåller inget intyg, så det finns inget att verifiera (innehavarens plånbok signerade dock den här verifieringens utmaning).",
  "verdict.failed": (p) => `Inte verifierat: ${p.reason}`,
  "verdict.one-of": (p) => `intyg ${p.index} av ${p.count}: ${p.reason}`,
  "kind.event": () => "Evenemanget",
  "kind.course": () => "Kursen",
  "snapshot.note": (p) =>
    `Verifiering utan nätverk mot en ögonblicksbild av registret vid block ${p.block} (${p.age} gammal).`,
};

const tables: Record<Lang, Record<MessageKey, Template>> = { en, sv };

/** The check names as shown to people. */
export const CHECK_NAMES: Record<Lang, Record<CheckId, string>> = {
  en: {
    format: "Format",
    integrity: "Integrity",
    signature: "Signature",
    issuer: "Issuer",
    anchor: "Anchored on chain",
    revocation: "Not revoked",
    validity: "Validity period",
    holder: "Holder",
    event: "Event or course",
  },
  sv: {
    format: "Format",
    integrity: "Oförändrat",
    signature: "Signatur",
    issuer: "Utfärdare",
    anchor: "Förankrat i kedjan",
    revocation: "Inte återkallat",
    validity: "Giltighetstid",
    holder: "Innehavare",
    event: "Evenemang eller kurs",
  },
};

/** Revocation reason names (codes from @intyg/registry) in both languages. */
const REASONS: Record<Lang, Record<string, string>> = {
  en: {
    issuedInError: "issued in error",
    superseded: "superseded by a corrected credential",
    withdrawn: "the issuer withdrew it",
    keyCompromise: "the signing key was compromised",
    fraud: "fraud",
    other: "other reason",
  },
  sv: {
    issuedInError: "utfärdat av misstag",
    superseded: "ersatt av ett rättat intyg",
    withdrawn: "utfärdaren drog tillbaka intyget",
    keyCompromise: "signeringsnyckeln har röjts",
    fraud: "bedrägeri",
    other: "annat skäl",
  },
};

/** A message in the given language. */
export function message(lang: Lang, key: MessageKey, params: MessageParams = {}): string {
  return (tables[lang] ?? tables.sv)[key](params);
}

/** The plain-language name of a revocation reason (its code as on chain when the name is unknown). */
export function reasonText(lang: Lang, name: string | undefined, code: number): string {
  if (name === undefined) return lang === "sv" ? `okänt skäl (kod ${code})` : `unknown reason (code ${code})`;
  return REASONS[lang][name] ?? name;
}

const formatted = new Map<string, string>();

/** `format()` once per key: a batch's credentials share their dates, and ICU's formatting is not cheap. */
export function memoFormat(key: string, format: () => string): string {
  let text = formatted.get(key);
  if (text === undefined) {
    text = format();
    if (formatted.size >= 2_000) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

/**
 * A unix time (or an ISO 8601 text): with a language, in words and Swedish time ("12 maj 2026 kl. 10:00",
 * "12 May 2026 at 10:00 (Swedish time)"); without one, `YYYY-MM-DD HH:MM UTC`, the same in both languages.
 */
export function formatTime(seconds: number | bigint | string, lang?: Lang): string {
  const ms = typeof seconds === "string" ? Date.parse(seconds) : Number(seconds) * 1000;
  if (!Number.isFinite(ms)) return String(seconds);
  if (lang) return memoFormat(`time|${lang}|${ms}`, () => localTime(ms, lang));
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function localTime(ms: number, lang: Lang): string {
  const text = timeFormatter(lang).format(new Date(ms));
  return lang === "sv" ? text : `${text} (Swedish time)`;
}

/** A duration in seconds as a short text: `3 min`, `2 h`, `5 d`. */
export function formatAge(lang: Lang, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} ${lang === "sv" ? "d" : "d"}`;
}
