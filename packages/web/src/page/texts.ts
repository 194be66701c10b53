// The page's own texts. The English table defines the keys; the Swedish one must have each of them (a missing
// translation is a compile error). What a report says comes from @intyg/verifier in the report's language.

import type { Lang } from "@intyg/verifier";

const en = {
  skip: "Skip to verification",
  title: "Verify a credential",
  lead: "Check that an attendance or training credential is genuine, issued by an accredited issuer, valid and not revoked. The credential never leaves your browser: only the registry on the blockchain is read.",
  inputTitle: "The credential",
  pasteLabel: "Paste the credential (JSON), a share link, or several links one per line",
  verify: "Verify",
  chooseFile: "Choose files",
  scan: "Scan a QR code",
  scanImage: "Read a QR code from a picture",
  stopScan: "Stop scanning",
  drop: "…or drop one or more credential files here.",
  resultTitle: "Result",
  checksTitle: "Checks",
  provedTitle: "What was proved",
  technical: "Technical details (for experts)",
  footer: "Intyg – verifiable credentials for the public sector.",
  switchTo: "Svenska",
  switchLabel: "Läs sidan på svenska",
  verifying: "Verifying …",
  empty: "Paste a credential, choose a file or scan a QR code first.",
  noCamera: "The camera could not be started.",
  noQr: "No QR code could be read in the picture. Try a sharper picture, or paste the link.",
  notLoaded:
    "This part of the page could not be loaded. Check the connection and try again, or paste the link.",
  signer: "Signed by key",
  chain: "Chain",
  registry: "Registry",
  block: "Block",
  snapshot: "Snapshot",
  checkCode: "Check {id}",
  config:
    "This page trusts registry {registry} on chain {chain} and reads it through {rpc}. The site decides this, never the link.",
  noConfig:
    "No chain is configured for this page: the site must give a node and a registry (the intyg-rpc and intyg-registry meta tags).",
  anyChain: "any",
  unproved: "No claim of the document is shown: it could not be verified, so nothing it says is proved.",
  ignoredParams:
    "The link tried to choose the chain, node or registry. That is ignored: this page trusts only its own configuration.",
  passed: "Passed",
  failed: "Failed",
  skipped: "Not checked",
  batchTitle: "{count} credentials",
  batchSummary: "{ok} of {count} verified.",
  batchName: "Name",
  batchWhat: "Event or course",
  batchIssuer: "Issuer",
  batchStatus: "Status",
  batchFile: "Credential {n}",
  batchShow: "Show",
  batchVerified: "Verified",
  batchNotVerified: "Not verified",
  batchBack: "Back to the list",
  unknown: "—",
  presentTitle: "Ask the holder to present it with their wallet",
  presentLead:
    "For a credential tied to the holder's wallet: create a challenge, give it to the holder (the QR code or the text), and paste the presentation they send back. It proves the person showing the credential holds it, and that it was made for this check.",
  newChallenge: "Create a challenge",
  challenge: "Challenge",
  domain: "Domain",
  challengeQr: "The challenge as a QR code for the holder",
};

export type TextKey = keyof typeof en;

const sv: Record<TextKey, string> = {
  skip: "Hoppa till verifieringen",
  title: "Verifiera ett intyg",
  lead: "Kontrollera att ett intyg om närvaro eller utbildning är äkta, utfärdat av en godkänd utfärdare, giltigt och inte återkallat. Intyget lämnar aldrig din webbläsare: bara registret i blockkedjan läses.",
  inputTitle: "Intyget",
  pasteLabel: "Klistra in intyget (JSON), en delningslänk eller flera länkar, en per rad",
  verify: "Verifiera",
  chooseFile: "Välj filer",
  scan: "Skanna QR-kod",
  scanImage: "Läs QR-kod från en bild",
  stopScan: "Avbryt skanningen",
  drop: "…eller släpp en eller flera intygsfiler här.",
  resultTitle: "Resultat",
  checksTitle: "Kontroller",
  provedTitle: "Vad som har bevisats",
  technical: "Tekniska detaljer (för experter)",
  footer: "Intyg – verifierbara intyg för offentlig sektor.",
  switchTo: "English",
  switchLabel: "Read this page in English",
  verifying: "Verifierar …",
  empty: "Klistra in ett intyg, välj en fil eller skanna en QR-kod först.",
  noCamera: "Kameran kunde inte startas.",
  noQr: "Ingen QR-kod kunde läsas i bilden. Prova en skarpare bild, eller klistra in länken.",
  notLoaded:
    "Den här delen av sidan kunde inte laddas. Kontrollera anslutningen och försök igen, eller klistra in länken.",
  signer: "Signerat av nyckel",
  chain: "Kedja",
  registry: "Register",
  block: "Block",
  snapshot: "Ögonblicksbild",
  checkCode: "Kontroll {id}",
  config:
    "Sidan litar på registret {registry} på kedja {chain} och läser det via {rpc}. Det bestäms av webbplatsen, aldrig av länken.",
  noConfig:
    "Ingen kedja är konfigurerad för sidan: webbplatsen måste ange nod och register (meta-taggarna intyg-rpc och intyg-registry).",
  anyChain: "valfri",
  unproved:
    "Inga uppgifter ur dokumentet visas: det kunde inte verifieras, så inget av det som står i det är bevisat.",
  ignoredParams:
    "Länken försökte välja kedja, nod eller register. Det ignoreras: sidan litar bara på sin egen konfiguration.",
  passed: "Godkänd",
  failed: "Underkänd",
  skipped: "Ej kontrollerad",
  batchTitle: "{count} intyg",
  batchSummary: "{ok} av {count} verifierade.",
  batchName: "Namn",
  batchWhat: "Evenemang eller kurs",
  batchIssuer: "Utfärdare",
  batchStatus: "Status",
  batchFile: "Intyg {n}",
  batchShow: "Visa",
  batchVerified: "Verifierat",
  batchNotVerified: "Inte verifierat",
  batchBack: "Tillbaka till listan",
  unknown: "—",
  presentTitle: "Be innehavaren visa intyget med sin plånbok",
  presentLead:
    "För ett intyg som är knutet till innehavarens plånbok: skapa en utmaning, ge den till innehavaren (QR-koden eller texten) och klistra in presentationen som hen skickar tillbaka. Den visar att personen som visar intyget innehar det, och att presentationen gjordes för just den här kontrollen.",
  newChallenge: "Skapa en utmaning",
  challenge: "Utmaning",
  domain: "Domän",
  challengeQr: "Utmaningen som QR-kod för innehavaren",
};

const TABLES: Record<Lang, Record<TextKey, string>> = { en, sv };

/** A text of the page, with `{name}` placeholders filled in. */
export function text(lang: Lang, key: TextKey, params: Record<string, string | number> = {}): string {
  return TABLES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function isTextKey(key: string): key is TextKey {
  return key in en;
}
