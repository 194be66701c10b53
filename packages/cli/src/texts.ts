// Every sentence and label of the CLI's organiser commands, in English and Swedish. The English table defines the
// keys; the Swedish one must have each of them (a missing translation is a compile error). The verifier's own
// report texts live in @intyg/verifier, the attendee list's in @intyg/credential.

import type { Lang } from "@intyg/credential/lang";

export type TextParams = Record<string, string | number | null | undefined>;
type Template = (p: TextParams) => string;

const en = {
  "api-keys.revoked": (p) => `revoked ${p.revokedAt}`,
  "api-keys.active": () => "active",
  "api-keys.name-missing": () => "Give the key a name",
  "api-keys.shown-once": (p) => `The key ${p.id} (${p.role}) is shown only now: store it safely.\n`,
  "api-keys.no-such-key": () => "No such key",
  "api-keys.confirm-revoke": (p) =>
    `Revoke the key "${p.name}" (${p.prefix}…, ${p.role})? Everything using it stops working.`,
  "api-keys.done-revoked": (p) => `The key ${p.keyId} is revoked.\n`,
  "courses.created": () => "The course was created and registered on chain.",
  "erase.no-name": () => "(no name, or already erased)",
  "events.id": () => "Id",
  "events.name": () => "Name",
  "events.kind": () => "Kind",
  "events.status": () => "Status",
  "events.registered": (p) => `registered on chain (event ${p.chainEventId})`,
  "events.transaction": () => "Transaction",
  "events.part-of": () => "Part of",
  "events.dates": () => "Dates",
  "events.place": () => "Place",
  "events.description": () => "Description",
  "events.criteria": () => "Criteria",
  "events.hours": () => "Hours",
  "events.credits": () => "Credits",
  "events.learning-outcomes": () => "Learning outcomes",
  "events.skills": () => "Skills",
  "events.assessment": () => "Assessment",
  "events.parts": () => "Parts",
  "events.created": () => "The event was created and registered on chain.",
  "events.no-events": () => "No events.\n",
  "events.part-of-lower": () => "part of",
  "events.sub-events": () => "Sub-events",
  "events.credentials": () => "Credentials",
  "events.none": () => "none",
  "events.standing": () => "Standing",
  "events.e-mail": () => "E-mail",
  "export.done": (p) => `${p.length} credentials exported to ${p.out}\n`,
  "issue.dry-run": (p) =>
    `The file is valid: ${p.n} attendees would receive credentials for "${p.name}".\nIdempotency-Key: ${p.idempotencyKey}\nNothing was sent (--dry-run).\n`,
  "issue.replayed": (p) =>
    `This file was already sent for "${p.name}" (same Idempotency-Key): nothing new was issued; this is the earlier result.`,
  "issue.issued": (p) => `Issued ${p.count} credentials for "${p.name}".`,
  "issue.job": () => "Job",
  "issue.all-anchored": () => "All credentials are anchored on chain.",
  "issue.anchored-next-batch": () =>
    "The credentials are anchored on chain in the next batch; follow them with `intyg status <id>` or `intyg export <event>`.",
  "issue.no-such-file": (p) => `No such file: ${p.csv}`,
  "issue.receipt": (p) => `Receipt: ${p.out}\n`,
  "login.prompt": (p) => `API key for ${p.url}: `,
  "login.no-key": () => "No API key was given",
  "login.key-refused": (p) => `The service at ${p.url} refused the API key`,
  "login.done": (p) =>
    `Logged in to ${p.url} as ${p.name} (organisation ${p.chainOrganisationId} in registry ${p.registry}, chain ${p.chainId}).\nThe key was stored in ${p.file}.\n`,
  "logout.done": (p) => `Logged out: removed ${p.file}.\n`,
  "logout.nothing": () => "Not logged in: nothing to remove.\n",
  "logout.env-key-set": () => "Note: INTYG_API_KEY is still set in the environment.\n",
  "reissue.now": () => "Now",
  "reissue.after-the-correction": () => "After the correction",
  "reissue.confirm": () =>
    "A new credential is issued and the old one marked superseded. This cannot be undone.",
  "reissue.done": (p) => `New credential: ${p.id}\nHolder link: ${p.value}\n`,
  "revoke.no-name": () => "(no name, or erased)",
  "revoke.confirm": (p) =>
    `Revoke the credential of ${p.who} (${p.id}, ${p.value}) with the reason ${p.reason}? This cannot be undone.`,
  "revoke.timed-out": () => "The revocation was not confirmed in time",
  "revoke.failed": () => "The revocation failed on chain",
  "revoke.requested": () =>
    "The service revokes it on chain shortly (`intyg status` shows when it is confirmed).\n",
  "status.credential": () => "Credential",
  "status.status": () => "Status",
  "status.event-course": () => "Event/course",
  "status.holder": () => "Holder",
  "status.mode": () => "Mode",
  "status.in-a-batch": () => "in a batch (Merkle tree)",
  "status.single": () => "single",
  "status.anchored": () => "Anchored",
  "status.transaction": () => "Transaction",
  "status.batch-root": () => "Batch root",
  "status.wallet": () => "Wallet",
  "status.valid-until": () => "Valid until",
  "status.revocation": () => "Revocation",
  "status.supersedes": () => "Supersedes",
  "status.superseded-by": () => "Superseded by",
  "status.personal-data-erased": () => "Personal data erased",
  "status.holder-link": () => "Holder link",
  "confirm.needs-yes": () => "Confirm with --yes",
  "confirm.prompt": () => "Continue? [y/N] ",
  "confirm.cancelled": () => "Cancelled: nothing was changed",
  "label.waiting-to-be-anchored": () => "waiting to be anchored",
  "label.anchored": () => "anchored",
  "label.anchoring-failed": () => "anchoring failed",
  "label.cancelled": () => "cancelled",
  "label.erased": () => "erased",
  "label.valid": () => "valid",
  "label.revoked": () => "revoked",
  "label.superseded": () => "superseded",
  "label.expired": () => "expired",
  "label.revocation-requested": () => "revocation requested",
  "label.revocation-failed": () => "revocation failed",
  "label.being-anchored": () => "being anchored",
  "label.anchored-on-chain": () => "anchored on chain",
  "label.failed": () => "failed",
  "label.course": () => "course",
  "label.event": () => "event",
  "job.queued": () => "Job queued",
  "job.issuing": () => "Issuing",
  "job.issued": () => "Issued",
  "job.failed": () => "Job failed",
  "job.timed-out": (p) =>
    `Job ${p.id} did not finish in time; run the same command again to follow it (same Idempotency-Key)`,
  "job.failed-because": (p) => `The job failed: ${p.detail}${p.issues}`,
  "job.anchoring-on-chain": () => "Anchoring on chain",
  "job.not-anchored-in-time": () => "The credentials were not anchored in time",
  "usage.valid-until": () => "--valid-until: write YYYY-MM-DD or a UTC date-time",
  "usage.valid-until-past": () => "--valid-until: the date has passed",
  "job.event-not-registered": (p) =>
    `The event is not registered on chain (status ${p.status}); credentials cannot be issued yet`,
  "erase.confirm": (p) =>
    `Erase the personal data of the credential of ${p.who} (${p.id}, ${p.status})?\n` +
    "The name, e-mail address, document and holder link are deleted; hashes stay so that it can still be revoked.\n" +
    "A copy the holder kept still verifies unless you also revoke it. This cannot be undone.",
  "job.lines-with-errors": (p) =>
    `${p.count} ${Number(p.count) === 1 ? "line" : "lines"} with errors. Nothing was sent: correct the file and run the command again.`,
  // usage errors
  "usage.not-a-url": (p) => `Not a URL: ${p.value}`,
  "usage.http-url": (p) => `Use an http(s) URL: ${p.value}`,
  "usage.plain-http": (p) =>
    `Refusing to send an API key over plain http to ${p.host}: use https (plain http only for 127.0.0.1/localhost)`,
  "usage.date": (p) =>
    `${p.flag}: write the date as YYYY-MM-DD (or a UTC date-time such as 2026-05-12T09:00:00Z)`,
  "usage.not-an-id": (p) =>
    `${p.what}: not an id (a UUID such as 3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f): ${p.value}`,
  "usage.not-a-positive-number": (p) => `${p.flag}: not a positive number: ${p.value}`,
  "usage.part": (p) =>
    `--part: write KIND|NAME[|DATE] or ID|KIND|NAME[|DATE] with KIND one of ${p.kinds} (or nätverk, seminarium, pass, annat): ${p.value}`,
  "usage.end-before-start": () => "--end: the event ends before it starts",
  "usage.part-twice": (p) => `--part: the id "${p.id}" is used twice; give each part its own id`,
  "usage.kind": () => "--kind: event or course",
  "usage.skill-empty": () => "--skill: empty",
  "usage.skill": (p) => `--skill: write NAME or NAME=http://data.europa.eu/esco/skill/<uuid>: ${p.value}`,
  "usage.set": (p) => `--set ${p.value}: write claim=value, with a claim among ${p.claims}`,
  "usage.set-empty": (p) => `--set ${p.key}: give a value (remove a claim with --unset ${p.key})`,
  "usage.unset-unknown": (p) => `--unset ${p.key}: not a claim (${p.claims})`,
  "usage.unset-and-set": (p) => `--unset ${p.key}: also given with --set`,
  "usage.set-nothing": () => "Give at least one --set or --unset",
  "usage.idempotency-key": () => "--idempotency-key: 1–255 printable ASCII characters without spaces",
  "usage.api-key": () => "--api-key: no API key given (or set INTYG_API_KEY)",
  "usage.url-required": (p) => `${p.flag} is required (the service's address, e.g. https://intyg.example.se)`,
  "issue.unreadable": (p) => `Cannot read ${p.csv}: ${p.reason}`,
  // the stored login
  "session.unreadable": (p) => `Cannot read ${p.file}: ${p.reason}`,
  "session.damaged": (p) => `${p.file} is damaged: run \`intyg logout\` and \`intyg login\` again`,
  "session.other-service": (p) =>
    `INTYG_URL names another service than the stored login (${p.url}): set INTYG_API_KEY for it too`,
  "session.not-logged-in": () =>
    "Not logged in: run `intyg login --url https://intyg.example.se` (or set INTYG_URL and INTYG_API_KEY)",
  // the service
  "service.unreachable": (p) => `Cannot reach the Intyg service at ${p.url} (${p.cause})`,
  "service.failed": (p) => `${p.request} failed (HTTP ${p.status})`,
  "service.more-issues": (p) => `… ${p.count} more`,
  "service.log-in-again": () => "Log in again with `intyg login --url URL`, or set INTYG_API_KEY.",
} satisfies Record<string, Template>;

export type TextKey = keyof typeof en;

const sv: Record<TextKey, Template> = {
  "api-keys.revoked": (p) => `återkallad ${p.revokedAt}`,
  "api-keys.active": () => "aktiv",
  "api-keys.name-missing": () => "Ge nyckeln ett namn",
  "api-keys.shown-once": (p) =>
    `Nyckeln ${p.id} (${p.role}) visas bara nu: spara den på ett säkert ställe.\n`,
  "api-keys.no-such-key": () => "Ingen sådan nyckel",
  "api-keys.confirm-revoke": (p) =>
    `Återkalla nyckeln "${p.name}" (${p.prefix}…, ${p.role})? Allt som använder den slutar fungera.`,
  "api-keys.done-revoked": (p) => `Nyckeln ${p.keyId} är återkallad.\n`,
  "courses.created": () => "Kursen skapades och registrerades i kedjan.",
  "erase.no-name": () => "(namn saknas eller redan raderat)",
  "events.id": () => "Id",
  "events.name": () => "Namn",
  "events.kind": () => "Typ",
  "events.status": () => "Status",
  "events.registered": (p) => `registrerat i kedjan (evenemang ${p.chainEventId})`,
  "events.transaction": () => "Transaktion",
  "events.part-of": () => "Del av",
  "events.dates": () => "Datum",
  "events.place": () => "Plats",
  "events.description": () => "Beskrivning",
  "events.criteria": () => "Kriterier",
  "events.hours": () => "Timmar",
  "events.credits": () => "Poäng",
  "events.learning-outcomes": () => "Lärandemål",
  "events.skills": () => "Färdigheter",
  "events.assessment": () => "Examination",
  "events.parts": () => "Delar",
  "events.created": () => "Evenemanget skapades och registrerades i kedjan.",
  "events.no-events": () => "Inga evenemang.\n",
  "events.part-of-lower": () => "del av",
  "events.sub-events": () => "Delevenemang",
  "events.credentials": () => "Intyg",
  "events.none": () => "inga",
  "events.standing": () => "Giltighet",
  "events.e-mail": () => "E-post",
  "export.done": (p) => `${p.length} intyg exporterades till ${p.out}\n`,
  "issue.dry-run": (p) =>
    `Filen är giltig: ${p.n} deltagare skulle få intyg för "${p.name}".\nIdempotency-Key: ${p.idempotencyKey}\nInget skickades (--dry-run).\n`,
  "issue.replayed": (p) =>
    `Den här filen har redan skickats för "${p.name}" (samma Idempotency-Key): inga nya intyg utfärdades, här är det tidigare resultatet.`,
  "issue.issued": (p) => `Utfärdade ${p.count} intyg för "${p.name}".`,
  "issue.job": () => "Jobb",
  "issue.all-anchored": () => "Alla intyg är förankrade i kedjan.",
  "issue.anchored-next-batch": () =>
    "Intygen förankras i kedjan i nästa batch; följ dem med `intyg status <id>` eller `intyg export <evenemang>`.",
  "issue.no-such-file": (p) => `Filen finns inte: ${p.csv}`,
  "issue.receipt": (p) => `Kvitto: ${p.out}\n`,
  "login.prompt": (p) => `API-nyckel för ${p.url}: `,
  "login.no-key": () => "Ingen API-nyckel angavs",
  "login.key-refused": (p) => `Tjänsten på ${p.url} godtog inte API-nyckeln`,
  "login.done": (p) =>
    `Inloggad på ${p.url} som ${p.name} (organisation ${p.chainOrganisationId} i registret ${p.registry}, kedja ${p.chainId}).\nNyckeln sparades i ${p.file}.\n`,
  "logout.done": (p) => `Utloggad: ${p.file} togs bort.\n`,
  "logout.nothing": () => "Inte inloggad: inget att ta bort.\n",
  "logout.env-key-set": () => "Obs: INTYG_API_KEY är fortfarande satt i miljön.\n",
  "reissue.now": () => "Nu",
  "reissue.after-the-correction": () => "Efter rättelsen",
  "reissue.confirm": () =>
    "Ett nytt intyg utfärdas och det gamla markeras som ersatt. Det går inte att ångra.",
  "reissue.done": (p) => `Nytt intyg: ${p.id}\nIntygslänk: ${p.value}\n`,
  "revoke.no-name": () => "(namn saknas eller raderat)",
  "revoke.confirm": (p) =>
    `Återkalla intyget för ${p.who} (${p.id}, ${p.value}) med orsaken ${p.reason}? Det går inte att ångra.`,
  "revoke.timed-out": () => "Återkallelsen bekräftades inte i tid",
  "revoke.failed": () => "Återkallelsen misslyckades i kedjan",
  "revoke.requested": () =>
    "Tjänsten återkallar intyget i kedjan inom kort (`intyg status` visar när det är bekräftat).\n",
  "status.credential": () => "Intyg",
  "status.status": () => "Status",
  "status.event-course": () => "Evenemang/kurs",
  "status.holder": () => "Innehavare",
  "status.mode": () => "Läge",
  "status.in-a-batch": () => "i en batch (Merkleträd)",
  "status.single": () => "enskilt",
  "status.anchored": () => "Förankrat",
  "status.transaction": () => "Transaktion",
  "status.batch-root": () => "Batchrot",
  "status.wallet": () => "Plånbok",
  "status.valid-until": () => "Giltigt till",
  "status.revocation": () => "Återkallelse",
  "status.supersedes": () => "Ersätter",
  "status.superseded-by": () => "Ersatt av",
  "status.personal-data-erased": () => "Personuppgifter raderade",
  "status.holder-link": () => "Innehavarlänk",
  "confirm.needs-yes": () => "Bekräfta med --yes",
  "confirm.prompt": () => "Fortsätta? [j/N] ",
  "confirm.cancelled": () => "Avbrutet: inget ändrades",
  "label.waiting-to-be-anchored": () => "väntar på förankring",
  "label.anchored": () => "förankrat",
  "label.anchoring-failed": () => "förankringen misslyckades",
  "label.cancelled": () => "avbrutet",
  "label.erased": () => "raderat",
  "label.valid": () => "giltigt",
  "label.revoked": () => "återkallat",
  "label.superseded": () => "ersatt",
  "label.expired": () => "utgånget",
  "label.revocation-requested": () => "återkallelse begärd",
  "label.revocation-failed": () => "återkallelsen misslyckades",
  "label.being-anchored": () => "förankras nu",
  "label.anchored-on-chain": () => "förankrat i kedjan",
  "label.failed": () => "misslyckades",
  "label.course": () => "kurs",
  "label.event": () => "evenemang",
  "job.queued": () => "Jobbet väntar",
  "job.issuing": () => "Intygen skapas",
  "job.issued": () => "Utfärdat",
  "job.failed": () => "Jobbet misslyckades",
  "job.timed-out": (p) =>
    `Jobbet ${p.id} blev inte klart i tid; följ det med samma kommando igen (samma Idempotency-Key)`,
  "job.failed-because": (p) => `Jobbet misslyckades: ${p.detail}${p.issues}`,
  "job.anchoring-on-chain": () => "Förankras i kedjan",
  "job.not-anchored-in-time": () => "Intygen förankrades inte i tid",
  "usage.valid-until": () => "--valid-until: skriv ÅÅÅÅ-MM-DD",
  "usage.valid-until-past": () => "--valid-until: datumet har passerat",
  "job.event-not-registered": (p) =>
    `Evenemanget är inte registrerat i kedjan (status ${p.status}); intyg kan inte utfärdas än`,
  "erase.confirm": (p) =>
    `Radera personuppgifterna i intyget för ${p.who} (${p.id}, ${p.status})?\n` +
    "Namn, e-postadress, dokument och intygslänk tas bort; hashvärden finns kvar så att intyget kan återkallas.\n" +
    "En kopia som innehavaren sparat går fortfarande att verifiera om du inte också återkallar intyget. Det går inte att ångra.",
  "job.lines-with-errors": (p) =>
    `${p.count} ${Number(p.count) === 1 ? "rad" : "rader"} med fel. Inget har skickats: rätta filen och kör kommandot igen.`,
  "usage.not-a-url": (p) => `Inte en URL: ${p.value}`,
  "usage.http-url": (p) => `Ange en http(s)-URL: ${p.value}`,
  "usage.plain-http": (p) =>
    `Skickar inte en API-nyckel okrypterat över http till ${p.host}: använd https (http bara för 127.0.0.1/localhost)`,
  "usage.date": (p) => `${p.flag}: skriv datumet ÅÅÅÅ-MM-DD (eller en UTC-tid som 2026-05-12T09:00:00Z)`,
  "usage.not-an-id": (p) =>
    `${p.what}: inget id (ett UUID som 3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f): ${p.value}`,
  "usage.not-a-positive-number": (p) => `${p.flag}: inget positivt tal: ${p.value}`,
  "usage.part": (p) =>
    `--part: skriv TYP|NAMN[|DATUM] eller ID|TYP|NAMN[|DATUM] med TYP en av ${p.kinds} (eller nätverk, seminarium, pass, annat): ${p.value}`,
  "usage.end-before-start": () => "--end: evenemanget slutar innan det börjar",
  "usage.part-twice": (p) => `--part: id:t "${p.id}" används två gånger; ge varje del ett eget id`,
  "usage.kind": () => "--kind: event eller course",
  "usage.skill-empty": () => "--skill: tomt",
  "usage.skill": (p) => `--skill: skriv NAMN eller NAMN=http://data.europa.eu/esco/skill/<uuid>: ${p.value}`,
  "usage.set": (p) => `--set ${p.value}: skriv uppgift=värde, med en uppgift bland ${p.claims}`,
  "usage.set-empty": (p) => `--set ${p.key}: ange ett värde (ta bort en uppgift med --unset ${p.key})`,
  "usage.unset-unknown": (p) => `--unset ${p.key}: ingen uppgift (${p.claims})`,
  "usage.unset-and-set": (p) => `--unset ${p.key}: anges också med --set`,
  "usage.set-nothing": () => "Ange minst en --set eller --unset",
  "usage.idempotency-key": () => "--idempotency-key: 1–255 synliga ASCII-tecken utan mellanslag",
  "usage.api-key": () => "--api-key: ingen API-nyckel angavs (eller sätt INTYG_API_KEY)",
  "usage.url-required": (p) => `${p.flag} krävs (tjänstens adress, t.ex. https://intyg.example.se)`,
  "issue.unreadable": (p) => `Kan inte läsa ${p.csv}: ${p.reason}`,
  "session.unreadable": (p) => `Kan inte läsa ${p.file}: ${p.reason}`,
  "session.damaged": (p) => `${p.file} är skadad: kör \`intyg logout\` och \`intyg login\` igen`,
  "session.other-service": (p) =>
    `INTYG_URL anger en annan tjänst än den du är inloggad på (${p.url}): sätt INTYG_API_KEY för den också`,
  "session.not-logged-in": () =>
    "Inte inloggad: kör `intyg login --url https://intyg.example.se` (eller sätt INTYG_URL och INTYG_API_KEY)",
  "service.unreachable": (p) => `Kan inte nå Intyg-tjänsten på ${p.url} (${p.cause})`,
  "service.failed": (p) => `${p.request} misslyckades (HTTP ${p.status})`,
  "service.more-issues": (p) => `… ${p.count} till`,
  "service.log-in-again": () => "Logga in igen med `intyg login --url URL`, eller sätt INTYG_API_KEY.",
};

const tables: Record<Lang, Record<TextKey, Template>> = { en, sv };

/** The text `key` in `lang`. */
export function t(lang: Lang, key: TextKey, params: TextParams = {}): string {
  return tables[lang][key](params);
}

/** Words for the credentials of an event counted by state, standing and e-mail delivery. */
const countEn = {
  pending: "waiting to be anchored",
  anchored: "anchored",
  failed: "failed",
  cancelled: "cancelled",
  erased: "erased",
  valid: "valid",
  revoked: "revoked",
  superseded: "superseded",
  expired: "expired",
  none: "not known yet",
  queued: "queued",
  sending: "sending",
  sent: "sent",
};
export type CountWord = keyof typeof countEn;
const countSv: Record<CountWord, string> = {
  pending: "väntar på förankring",
  anchored: "förankrade",
  failed: "misslyckades",
  cancelled: "avbrutna",
  erased: "raderade",
  valid: "giltiga",
  revoked: "återkallade",
  superseded: "ersatta",
  expired: "utgångna",
  none: "ännu okänt",
  queued: "i kö",
  sending: "skickas",
  sent: "skickade",
};
export const COUNT_WORDS: Record<Lang, Record<CountWord, string>> = { en: countEn, sv: countSv };
