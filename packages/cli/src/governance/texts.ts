// What `intyg governance` says, in Swedish and English: the English table defines the keys and the Swedish one
// must have each of them.

import type { Lang } from "@intyg/verifier";

type Params = Record<string, string | number>;
type Template = (p: Params) => string;

const en = {
  "need-chain":
    "intyg governance needs the chain and the registry: --rpc URL and --registry ADDRESS (or --config FILE, or INTYG_RPC_URL and INTYG_REGISTRY).",
  "need-output":
    "Say what to do with the transaction: --send to send it now with the governance key, or --safe FILE to write it for a multisig.",
  "both-outputs": "Give either --send or --safe FILE, not both.",
  "need-key":
    "--send needs the governance key: set INTYG_GOVERNANCE_KEY or give --key-file FILE (a file holding the 0x-prefixed private key). A key is never taken on the command line.",
  "bad-key": (p) => `${p.where} does not hold a private key (expected 0x and 64 hex digits).`,
  "bad-key-file": (p) => `--key-file: cannot read ${p.file}.`,
  "bad-address": (p) => `${p.flag}: "${p.value}" is not an address (0x and 40 hex digits).`,
  "bad-id": (p) => `"${p.value}" is not an organisation id (a whole number from 1).`,
  "bad-step": (p) => `<step>: "${p.value}" is not a step; give schedule, cancel, grant or revoke.`,
  "bad-role": (p) => `<role>: "${p.value}" is not a role; give governor or admin.`,
  "bad-hash": (p) => `${p.flag}: "${p.value}" is not a hash (0x and 64 hex digits).`,
  "bad-number": (p) =>
    `--organisation-number: "${p.value}" is not a Swedish organisation number (NNNNNN-NNNN with a valid check digit).`,
  "bad-url": (p) => `--url: "${p.value}" is not an https URL.`,
  "number-taken": (p) =>
    `Organisation number ${p.number} is already accredited, as organisation ${p.id}: an organisation is accredited once.`,
  "unknown-organisation": (p) => `The registry has no organisation ${p.id}.`,
  "no-pending": (p) =>
    `Organisation ${p.id} has proposed no profile change: its admin proposes one first (then approve it, naming its hash).`,
  "pending-differs": (p) =>
    `Organisation ${p.id} proposed profile ${p.pending}, not ${p.given}: governance approves only the exact proposal.`,
  "safe-other-chain": (p) =>
    `${p.file} is a batch for chain ${p.chain}, not for this registry's chain ${p.expected}: write to another file.`,
  "safe-unreadable": (p) => `${p.file} is not a transaction batch this command wrote; give another file.`,
  refused: (p) => `The registry refused the transaction: ${p.reason}.`,
  sent: (p) => `Sent: ${p.summary}\nTransaction ${p.hash}, mined in block ${p.block}.\n`,
  written: (p) =>
    `Written to ${p.file} (${p.count} transaction(s) for chain ${p.chain}): load it in the multisig's transaction builder, check each call and sign.\n`,
  "accredit-summary": (p) =>
    `Accredit ${p.name} (org.nr ${p.number}) as organisation ${p.id} with admin ${p.admin}`,
  "accredit-note": (p) =>
    `Note: the profile hash names organisation id ${p.id}, the next free id now. If another accreditation is executed first, the organisation must propose its profile again under the id it gets.\n`,
  "suspend-summary": (p) => `Suspend organisation ${p.id} (its keys stop signing at once)`,
  "reinstate-summary": (p) => `Reinstate organisation ${p.id}`,
  "approve-summary": (p) => `Approve profile ${p.hash} proposed by organisation ${p.id}`,
  "schedule-summary": (p) =>
    `Schedule the ${p.role} role for ${p.account} (it can be granted once the admin delay has passed)`,
  "cancel-summary": (p) => `Cancel the scheduled grant of the ${p.role} role to ${p.account}`,
  "grant-summary": (p) => `Grant the ${p.role} role to ${p.account} (scheduled earlier)`,
  "revoke-summary": (p) => `Revoke the ${p.role} role from ${p.account}`,
  "view-title": (p) =>
    `Registry ${p.registry} on chain ${p.chain}, block ${p.block}: ${p.count} organisation(s)`,
  "view-organisation": (p) =>
    `Organisation ${p.id}: ${p.status}, admin ${p.admin}, ${p.events} event(s)${p.since ? `, suspended since ${p.since}` : ""}`,
  "view-profile": (p) => `  profile ${p.hash} (in force since ${p.since})`,
  "view-pending": (p) => `  proposed profile change awaiting approval: ${p.hash}`,
  "view-key": (p) => `  key ${p.address}: signs ${p.from}, ${p.until}${p.suspended ? " (suspended)" : ""}`,
  "key-from": (p) => `from ${p.date}`,
  "key-until": (p) => `until ${p.date}`,
  "view-no-keys": () => "  no signing keys",
  "status-active": () => "active",
  "status-suspended": () => "suspended",
  "open-ended": () => "with no end date",
  "from-start": () => "since it was authorised",
} satisfies Record<string, string | Template>;

export type GovernanceTextKey = keyof typeof en;

const sv: Record<GovernanceTextKey, string | Template> = {
  "need-chain":
    "intyg governance behöver kedjan och registret: --rpc URL och --registry ADRESS (eller --config FIL, eller INTYG_RPC_URL och INTYG_REGISTRY).",
  "need-output":
    "Ange vad som ska göras med transaktionen: --send för att skicka den nu med styrningsnyckeln, eller --safe FIL för att skriva den till en multisig.",
  "both-outputs": "Ange antingen --send eller --safe FIL, inte båda.",
  "need-key":
    "--send behöver styrningsnyckeln: sätt INTYG_GOVERNANCE_KEY eller ange --key-file FIL (en fil med den privata nyckeln, med 0x först). En nyckel tas aldrig på kommandoraden.",
  "bad-key": (p) => `${p.where} innehåller ingen privat nyckel (förväntat 0x och 64 hexadecimala siffror).`,
  "bad-key-file": (p) => `--key-file: kan inte läsa ${p.file}.`,
  "bad-address": (p) => `${p.flag}: "${p.value}" är ingen adress (0x och 40 hexadecimala siffror).`,
  "bad-id": (p) => `"${p.value}" är inget organisations-id (ett heltal från 1).`,
  "bad-step": (p) => `<step>: "${p.value}" är inget steg; ange schedule, cancel, grant eller revoke.`,
  "bad-role": (p) => `<role>: "${p.value}" är ingen roll; ange governor eller admin.`,
  "bad-hash": (p) => `${p.flag}: "${p.value}" är ingen hash (0x och 64 hexadecimala siffror).`,
  "bad-number": (p) =>
    `--organisation-number: "${p.value}" är inget svenskt organisationsnummer (NNNNNN-NNNN med giltig kontrollsiffra).`,
  "bad-url": (p) => `--url: "${p.value}" är ingen https-adress.`,
  "number-taken": (p) =>
    `Organisationsnumret ${p.number} är redan godkänt, som organisation ${p.id}: en organisation godkänns en gång.`,
  "unknown-organisation": (p) => `Registret har ingen organisation ${p.id}.`,
  "no-pending": (p) =>
    `Organisation ${p.id} har inte föreslagit någon profiländring: dess administratör föreslår först en (godkänn den sedan med dess hash).`,
  "pending-differs": (p) =>
    `Organisation ${p.id} föreslog profilen ${p.pending}, inte ${p.given}: styrningen godkänner bara exakt det förslaget.`,
  "safe-other-chain": (p) =>
    `${p.file} är en sats för kedja ${p.chain}, inte för registrets kedja ${p.expected}: skriv till en annan fil.`,
  "safe-unreadable": (p) =>
    `${p.file} är ingen transaktionssats som det här kommandot skrev; ange en annan fil.`,
  refused: (p) => `Registret avvisade transaktionen: ${p.reason}.`,
  sent: (p) => `Skickat: ${p.summary}\nTransaktion ${p.hash}, i block ${p.block}.\n`,
  written: (p) =>
    `Skrivet till ${p.file} (${p.count} transaktion(er) för kedja ${p.chain}): läs in den i multisigens transaktionsbyggare, granska varje anrop och signera.\n`,
  "accredit-summary": (p) =>
    `Godkänn ${p.name} (org.nr ${p.number}) som organisation ${p.id} med administratören ${p.admin}`,
  "accredit-note": (p) =>
    `Obs: profilens hash anger organisations-id ${p.id}, nästa lediga id just nu. Om ett annat godkännande genomförs först måste organisationen föreslå sin profil igen under det id den får.\n`,
  "suspend-summary": (p) => `Stäng av organisation ${p.id} (dess nycklar slutar signera direkt)`,
  "reinstate-summary": (p) => `Återinför organisation ${p.id}`,
  "approve-summary": (p) => `Godkänn profilen ${p.hash} som organisation ${p.id} föreslagit`,
  "schedule-summary": (p) =>
    `Schemalägg rollen ${p.role} för ${p.account} (den kan tilldelas när administratörsfördröjningen har gått)`,
  "cancel-summary": (p) => `Avbryt den schemalagda tilldelningen av rollen ${p.role} till ${p.account}`,
  "grant-summary": (p) => `Tilldela rollen ${p.role} till ${p.account} (schemalagd tidigare)`,
  "revoke-summary": (p) => `Återkalla rollen ${p.role} från ${p.account}`,
  "view-title": (p) =>
    `Registret ${p.registry} på kedja ${p.chain}, block ${p.block}: ${p.count} organisation(er)`,
  "view-organisation": (p) =>
    `Organisation ${p.id}: ${p.status}, administratör ${p.admin}, ${p.events} evenemang${p.since ? `, avstängd sedan ${p.since}` : ""}`,
  "view-profile": (p) => `  profil ${p.hash} (gäller sedan ${p.since})`,
  "view-pending": (p) => `  föreslagen profiländring som väntar på godkännande: ${p.hash}`,
  "view-key": (p) =>
    `  nyckel ${p.address}: signerar ${p.from}, ${p.until}${p.suspended ? " (avstängd)" : ""}`,
  "key-from": (p) => `från ${p.date}`,
  "key-until": (p) => `till ${p.date}`,
  "view-no-keys": () => "  inga signeringsnycklar",
  "status-active": () => "aktiv",
  "status-suspended": () => "avstängd",
  "open-ended": () => "utan slutdatum",
  "from-start": () => "sedan den godkändes",
};

const TABLES: Record<Lang, Record<GovernanceTextKey, string | Template>> = { en, sv };

/** The text of `key` in `lang`, with its parameters filled in. */
export function governanceText(lang: Lang, key: GovernanceTextKey, params: Params = {}): string {
  const entry = TABLES[lang][key];
  return typeof entry === "function" ? entry(params) : entry;
}
