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
  // the organisation's own on-chain keys
  "keys.status.created": () => "created, not yet authorised on chain",
  "keys.status.authorising": () => "being authorised on chain",
  "keys.status.active": () => "active",
  "keys.status.retired": () => "retired",
  "keys.status.compromised": () => "compromised",
  "keys.current": () => "current: signs the organisation's credentials",
  "keys.from": (p) => `valid from ${p.from}`,
  "keys.from-start": () => "valid from the start",
  "keys.until": (p) => ` until ${p.until}`,
  "keys.no-end": () => ", no end date",
  "keys.custody.service": () => "kept encrypted by the service",
  "keys.custody.external": () => "kept by the organisation",
  "keys.none": () =>
    "The organisation has no keys of its own yet; it signs with the service's key. Create one with `intyg keys create`.\n",
  "keys.created": (p) => `The key ${p.address} was created and authorised on chain.\n`,
  "keys.created-current": (p) =>
    `The key ${p.address} was created, authorised on chain, and signs the organisation's credentials from now on.\n`,
  "keys.prepared": (p) =>
    `The key ${p.address} was created, but the service does not hold the organisation's admin key, so it cannot authorise it on chain itself.\n` +
    `The transaction is written as a Safe transaction batch to ${p.file}\n\n` +
    "What the organisation's admin must do:\n" +
    `  1. Open the organisation's admin account (its Safe, or the wallet that holds it) on chain ${p.chainId}.\n` +
    `  2. Load ${p.file} in the Safe's Transaction Builder (or send the transaction below from the admin account): it calls authoriseKey on the registry.\n` +
    "  3. Sign and execute it; nothing changes on chain until the admin does.\n" +
    `  4. Then run \`intyg keys current ${p.address}\` to make it the key that signs.\n\n` +
    `To:    ${p.to}\nValue: 0\nData:  ${p.data}\n`,
  "keys.made-current": (p) => `The key ${p.address} signs the organisation's credentials from now on.\n`,
  "keys.retired": (p) =>
    `The key ${p.address} is retired: its window on chain ended now${p.tx ? ` (transaction ${p.tx})` : ""}. What it signed stays valid.\n`,
  "keys.confirm-retire": (p) =>
    `Retire the key ${p.address}? Its window on chain ends now and it can never sign again; what it signed stays valid. This cannot be undone.`,
  "keys.confirm-compromised": (p) =>
    `Mark the key ${p.address} as compromised? It is removed on chain at once and can never sign again; if it is the current key, issuing waits until another key is made current.\n` +
    (p.revoke
      ? `Every credential it signed since ${p.since} is revoked (reason: key compromise): those copies stop verifying.`
      : `The credentials it signed since ${p.since} are listed but stay valid (add --revoke to revoke them).`) +
    " This cannot be undone.",
  "keys.compromised": (p) =>
    `The key ${p.address} is marked compromised and no longer valid on chain.\n` +
    `It signed ${p.count} ${Number(p.count) === 1 ? "credential" : "credentials"} since ${p.since}` +
    (p.revoke
      ? `; ${p.requested} ${Number(p.requested) === 1 ? "revocation was" : "revocations were"} requested (the service sends them to the chain shortly; \`intyg status\` shows each one).\n`
      : ": they stay valid. Revoke them with --revoke, or one by one with `intyg revoke`.\n"),
  "keys.audit-none": () => "Nothing has been done with the organisation's keys yet.\n",
  "keys.no-such-key": (p) => `The organisation has no key ${p.address} (see \`intyg keys list\`)`,
  "keys.audit.created": () => "created",
  "keys.audit.authorised": () => "authorised on chain",
  "keys.audit.authorisation-failed": () => "authorisation failed",
  "keys.audit.made-current": () => "made current",
  "keys.audit.retired": () => "retired",
  "keys.audit.removed": () => "removed on chain",
  "keys.audit.compromised": () => "marked compromised",
  "keys.audit.credentials-revoked": () => "revocations requested",
  "keys.audit.resealed": () => "re-sealed under a new key-encryption key",
  "keys.admin-required": () =>
    "This needs an admin API key: the key you are logged in with may issue credentials but not manage the organisation's keys or settings. Log in with an admin key (`intyg login`).",
  "keys.no-keyring": () =>
    "This service keeps no keys of its own for organisations (it was started without a key-encryption key, INTYG_KEK). Ask its operator; until then the organisation signs with the service's key.",
  "usage.address": (p) => `${p.what}: not an address (0x and 40 hexadecimal digits): ${p.value}`,
  "usage.key-window": () => "--valid-until: must be later than --valid-from and than now",
  "usage.since-future": () =>
    "--since: the time has not come yet; give when the key may first have been exposed",
  // data protection
  "retention.kept": (p) =>
    `Personal data is kept for ${p.days} days after an event ends (its end date, else its start date); then the service erases it and keeps a receipt. Credentials stay valid on chain and in their holders' hands.\n`,
  "retention.default": () => "This is the service's default.\n",
  "retention.own": () =>
    "The organisation chose this (`intyg retention set default` returns to the service's default).\n",
  "usage.retention-days": (p) => `<days>: a whole number of days from 1 to 3650, or "default": ${p.value}`,
  "erasures.none": () => "No personal data has been erased yet.\n",
  "erasure.receipt": () => "Erasure receipt",
  "erasure.credential": () => "Credential",
  "erasure.when": () => "Erased",
  "erasure.why": () => "Why",
  "erasure.by": () => "By",
  "erasure.destroyed": () => "Destroyed",
  "erasure.reason.request": () => "on request (GDPR art. 17)",
  "erasure.reason.retention": () => "the retention period had passed",
  "erasure.by-retention": () => "the service, by the retention rule",
  "erasure.by-key": (p) => `API key ${p.id}`,
  "erasure.destroyed.data-key": () =>
    "the credential's encryption key (every stored copy of its personal data, backups included, is unreadable)",
  "erasure.destroyed.personal-data": () =>
    "the encrypted document and the attendee's name and e-mail address",
  "erasure.destroyed.holder-link": () => "the holder's link",
  "erasure.destroyed.search-index": () => "the search entries",
  "erasure.destroyed.verification-links": () => "the verification links",
  "erasure.destroyed.bulk-response-entry": () => "its entry in the stored answer of the bulk request",
  "erasure.destroyed.job-result-entry": () => "its entry in the result of the issuing job",
  "erasure.kept": () =>
    "Kept: hashes and ids only (no personal data), so that the credential can still be revoked.",
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
  "keys.status.created": () => "skapad, ännu inte behörig i kedjan",
  "keys.status.authorising": () => "görs behörig i kedjan",
  "keys.status.active": () => "aktiv",
  "keys.status.retired": () => "avvecklad",
  "keys.status.compromised": () => "röjd",
  "keys.current": () => "aktuell: signerar organisationens intyg",
  "keys.from": (p) => `giltig från ${p.from}`,
  "keys.from-start": () => "giltig från början",
  "keys.until": (p) => ` till ${p.until}`,
  "keys.no-end": () => ", tills vidare",
  "keys.custody.service": () => "förvaras krypterad av tjänsten",
  "keys.custody.external": () => "förvaras av organisationen",
  "keys.none": () =>
    "Organisationen har inga egna nycklar än; den signerar med tjänstens nyckel. Skapa en med `intyg keys create`.\n",
  "keys.created": (p) => `Nyckeln ${p.address} skapades och gjordes behörig i kedjan.\n`,
  "keys.created-current": (p) =>
    `Nyckeln ${p.address} skapades, gjordes behörig i kedjan och signerar organisationens intyg från och med nu.\n`,
  "keys.prepared": (p) =>
    `Nyckeln ${p.address} skapades, men tjänsten har inte organisationens administratörsnyckel och kan därför inte själv göra den behörig i kedjan.\n` +
    `Transaktionen finns som en Safe-transaktionsbatch i ${p.file}\n\n` +
    "Det här måste organisationens administratör göra:\n" +
    `  1. Öppna organisationens administratörskonto (dess Safe, eller plånboken som har det) i kedja ${p.chainId}.\n` +
    `  2. Läs in ${p.file} i Safes Transaction Builder (eller skicka transaktionen nedan från administratörskontot): den anropar authoriseKey i registret.\n` +
    "  3. Signera och genomför den; inget ändras i kedjan förrän administratören gör det.\n" +
    `  4. Kör sedan \`intyg keys current ${p.address}\` så att nyckeln börjar signera.\n\n` +
    `Till:  ${p.to}\nVärde: 0\nData:  ${p.data}\n`,
  "keys.made-current": (p) => `Nyckeln ${p.address} signerar organisationens intyg från och med nu.\n`,
  "keys.retired": (p) =>
    `Nyckeln ${p.address} är avvecklad: dess giltighet i kedjan upphörde nu${p.tx ? ` (transaktion ${p.tx})` : ""}. Det den har signerat förblir giltigt.\n`,
  "keys.confirm-retire": (p) =>
    `Avveckla nyckeln ${p.address}? Dess giltighet i kedjan upphör nu och den kan aldrig signera igen; det den har signerat förblir giltigt. Det går inte att ångra.`,
  "keys.confirm-compromised": (p) =>
    `Markera nyckeln ${p.address} som röjd? Den tas bort i kedjan direkt och kan aldrig signera igen; är den den aktuella nyckeln väntar utfärdandet tills en annan nyckel görs aktuell.\n` +
    (p.revoke
      ? `Alla intyg den har signerat sedan ${p.since} återkallas (orsak: röjd nyckel): de kopiorna går inte längre att verifiera.`
      : `Intygen den har signerat sedan ${p.since} listas men förblir giltiga (lägg till --revoke för att återkalla dem).`) +
    " Det går inte att ångra.",
  "keys.compromised": (p) =>
    `Nyckeln ${p.address} är markerad som röjd och är inte längre giltig i kedjan.\n` +
    `Den har signerat ${p.count} intyg sedan ${p.since}` +
    (p.revoke
      ? `; ${p.requested} ${Number(p.requested) === 1 ? "återkallelse" : "återkallelser"} begärdes (tjänsten skickar dem till kedjan inom kort; \`intyg status\` visar varje intyg).\n`
      : ": de förblir giltiga. Återkalla dem med --revoke, eller ett i taget med `intyg revoke`.\n"),
  "keys.audit-none": () => "Inget har gjorts med organisationens nycklar än.\n",
  "keys.no-such-key": (p) => `Organisationen har ingen nyckel ${p.address} (se \`intyg keys list\`)`,
  "keys.audit.created": () => "skapad",
  "keys.audit.authorised": () => "gjord behörig i kedjan",
  "keys.audit.authorisation-failed": () => "behörigheten misslyckades",
  "keys.audit.made-current": () => "gjord aktuell",
  "keys.audit.retired": () => "avvecklad",
  "keys.audit.removed": () => "borttagen i kedjan",
  "keys.audit.compromised": () => "markerad som röjd",
  "keys.audit.credentials-revoked": () => "återkallelser begärda",
  "keys.audit.resealed": () => "omkrypterad med en ny huvudnyckel",
  "keys.admin-required": () =>
    "Det här kräver en administratörsnyckel: API-nyckeln du är inloggad med får utfärda intyg men inte hantera organisationens nycklar eller inställningar. Logga in med en administratörsnyckel (`intyg login`).",
  "keys.no-keyring": () =>
    "Den här tjänsten förvarar inga egna nycklar åt organisationer (den startades utan huvudnyckel, INTYG_KEK). Fråga den som driver tjänsten; till dess signerar organisationen med tjänstens nyckel.",
  "usage.address": (p) => `${p.what}: ingen adress (0x och 40 hexadecimala siffror): ${p.value}`,
  "usage.key-window": () => "--valid-until: måste vara senare än --valid-from och än nu",
  "usage.since-future": () => "--since: den tiden har inte kommit än; ange när nyckeln tidigast kan ha röjts",
  "retention.kept": (p) =>
    `Personuppgifter sparas i ${p.days} dagar efter att ett evenemang slutat (slutdatum, annars startdatum); sedan raderar tjänsten dem och sparar ett kvitto. Intygen förblir giltiga i kedjan och hos innehavarna.\n`,
  "retention.default": () => "Det är tjänstens standardvärde.\n",
  "retention.own": () =>
    "Organisationen har valt det (`intyg retention set default` återgår till tjänstens standardvärde).\n",
  "usage.retention-days": (p) =>
    `<dagar>: ett helt antal dagar från 1 till 3650, eller "default": ${p.value}`,
  "erasures.none": () => "Inga personuppgifter har raderats än.\n",
  "erasure.receipt": () => "Raderingskvitto",
  "erasure.credential": () => "Intyg",
  "erasure.when": () => "Raderat",
  "erasure.why": () => "Varför",
  "erasure.by": () => "Av",
  "erasure.destroyed": () => "Förstört",
  "erasure.reason.request": () => "på begäran (GDPR art. 17)",
  "erasure.reason.retention": () => "lagringstiden hade gått ut",
  "erasure.by-retention": () => "tjänsten, enligt lagringstiden",
  "erasure.by-key": (p) => `API-nyckel ${p.id}`,
  "erasure.destroyed.data-key": () =>
    "intygets krypteringsnyckel (alla sparade kopior av dess personuppgifter, även säkerhetskopior, går inte att läsa)",
  "erasure.destroyed.personal-data": () => "det krypterade dokumentet och deltagarens namn och e-postadress",
  "erasure.destroyed.holder-link": () => "innehavarens länk",
  "erasure.destroyed.search-index": () => "sökuppgifterna",
  "erasure.destroyed.verification-links": () => "verifieringslänkarna",
  "erasure.destroyed.bulk-response-entry": () => "dess rad i det sparade svaret på massutfärdandet",
  "erasure.destroyed.job-result-entry": () => "dess rad i resultatet av utfärdandejobbet",
  "erasure.kept": () =>
    "Kvar finns bara hashvärden och id:n (inga personuppgifter), så att intyget fortfarande kan återkallas.",
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

/** Whether `key` is a text of the tables (for labels of values the service sends, which may be newer). */
export function hasText(key: string): key is TextKey {
  return Object.hasOwn(en, key);
}
