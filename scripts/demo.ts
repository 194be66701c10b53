// `pnpm demo`: the conference scenario end to end, with the time each phase takes.
//
//   pnpm demo [--attendees 1000] [--against-running] [--lang sv|en]
//
// A three-day public-sector digitalisation conference in the spirit of Offentliga Rummet — a networking day,
// two seminar days with several sessions each, and a hackathon on trustworthy data for healthcare and
// education — is created as a parent event with child events, plus a training course with hours and
// credits. 1,000 synthetic attendees (Swedish names with å, ä and ö, from municipalities and regions) are
// written to a CSV file as a Swedish spreadsheet exports it, checked row by row, issued in ONE bulk request
// (a job, followed with a progress bar) and anchored in ONE batch. A few credentials are verified with
// @intyg/verifier, one is revoked and shown failing, one is disclosed selectively (name and achievement shown,
// e-mail hidden) and verified. Exit 0 when every verdict is the expected one.
//
// With --against-running it uses the service of `pnpm start` (.intyg/dev.json) when that answers; otherwise
// (or without the flag) it starts everything itself on loopback and stops it at the end.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  type CliIo,
  type CredentialResource,
  findDevConfig,
  formatCsv,
  issueFromCsv,
  pollJob,
  processIo,
  readAttendees,
  ServiceClient,
  waitForAnchoring,
} from "@intyg/cli";
import type { Lang } from "@intyg/credential/lang";
import { type LocalStack, startLocalStack } from "@intyg/stack";
import { CHECK_NAMES, type VerificationReport, verifyCredential, verifyCredentials } from "@intyg/verifier";
import type { Address } from "viem";

// -- the scenario -----------------------------------------------------------------------------------------------

const FIRST_NAMES = (
  "Åsa Örjan Märta Björn Göran Håkan Linnéa Sören Ängla Jöns Anna Erik Karin Lars Maja Per Sofia " +
  "Mikael Elin Johan Ingrid Olof Kerstin Nils Birgitta Gunnar Ebba Axel Stina Måns Ylva Östen Tove " +
  "Stefan Ulla Pär Agneta Rasmus Frida Åke"
).split(" ");
const LAST_NAMES = (
  "Öberg Åberg Ängström Söderström Lindström Bäckström Sjöberg Nordström Håkansson Jönsson Östlund " +
  "Åkesson Löfgren Ström Berglöf Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson " +
  "Persson Svensson Gustafsson Pettersson Lindqvist Forsberg Hägg Wåhlin Fröjd Näslund"
).split(" ");
const ORGANISATIONS = (
  "Göteborgs Stad|Västra Götalandsregionen|Borås Stad|Mölndals stad|Lerums kommun|Härryda kommun|" +
  "Kungälvs kommun|Alingsås kommun|Trollhättans stad|Skövde kommun|Region Skåne|Malmö stad|" +
  "Umeå kommun|Region Västerbotten|Västerås stad|Luleå kommun|Region Örebro län|Örebro kommun|" +
  "Jönköpings kommun|Region Jönköpings län|Sundsvalls kommun|Karlskrona kommun|Region Stockholm|" +
  "Stockholms stad|Uppsala kommun|Region Uppsala|Linköpings kommun|Norrköpings kommun|" +
  "Östersunds kommun|Region Gävleborg|Vinnova|DIGG"
).split("|");
const TEAMS = "Vårdkedjan Betygsbanken Journalspåret Skolintyget Tillitslänken".split(" ");

const CONFERENCE = {
  name: "Offentliga Rummet 2026",
  description:
    "Den offentliga sektorns mötesplats för digitalisering: en nätverksdag, två seminariedagar och ett hackathon om hur blockkedjor kan skapa tillförlitliga data i vård och utbildning.",
  criteria: "Deltagit på plats under de angivna delarna av konferensen.",
  startDate: "2026-05-12",
  endDate: "2026-05-14",
  location: "Svenska Mässan, Göteborg",
  parts: [
    { id: "natverksdag", name: "Nätverksdag", kind: "networking", date: "2026-05-12" },
    {
      id: "seminariedag-1",
      name: "Seminariedag 1: En smartare välfärd",
      kind: "seminar",
      date: "2026-05-13",
    },
    { id: "seminariedag-2", name: "Seminariedag 2: Tillit och data", kind: "seminar", date: "2026-05-14" },
    { id: "hackathon", name: "Hackathon: tillförlitliga data i vård och utbildning", kind: "hackathon" },
  ],
};

const CHILD_EVENTS = [
  {
    name: "Nätverksdag",
    startDate: "2026-05-12",
    endDate: "2026-05-12",
    location: "Svenska Mässan, Göteborg",
    parts: [
      { id: "workshop-handlingsplan", name: "Workshop: gemensam handlingsplan", kind: "workshop" },
      { id: "pilotstudie", name: "Pilotstudie: nio kommuners digitalisering", kind: "session" },
    ],
  },
  {
    name: "Seminariedag 1: En smartare välfärd",
    startDate: "2026-05-13",
    endDate: "2026-05-13",
    location: "Svenska Mässan, Göteborg",
    parts: [
      { id: "ai-valfard", name: "Är AI lösningen på välfärdens utmaningar?", kind: "session" },
      { id: "digital-transformation", name: "Digitaliseringens transformerande kraft", kind: "session" },
      { id: "smarta-kartan", name: "Smarta kartan", kind: "session" },
    ],
  },
  {
    name: "Seminariedag 2: Tillit och data",
    startDate: "2026-05-14",
    endDate: "2026-05-14",
    location: "Svenska Mässan, Göteborg",
    parts: [
      { id: "digital-identitet", name: "Digital identitet och grunddata", kind: "session" },
      { id: "oppna-data", name: "Öppna data i smarta städer", kind: "session" },
      { id: "guldlanken", name: "Guldlänken: prisutdelning", kind: "session" },
    ],
  },
  {
    name: "Hackathon: tillförlitliga data i vård och utbildning",
    startDate: "2026-05-13",
    endDate: "2026-05-14",
    location: "Svenska Mässan, Göteborg",
    criteria: "Deltagit i ett lag som lämnat in en prototyp eller ett koncept.",
  },
];

const COURSE = {
  name: "Blockkedjor för tillförlitliga data i offentlig sektor",
  description: "Grundkurs för handläggare, verksamhetsutvecklare och IT-arkitekter i kommuner och regioner.",
  criteria: "Godkänd inlämningsuppgift och närvaro vid minst 80 % av passen.",
  hours: 24,
  credits: 3,
  learningOutcomes: [
    "Förklara hur salta hashvärden och Merkleträd gör data verifierbara utan att publicera personuppgifter",
    "Bedöma när en blockkedja tillför tillit jämfört med en central databas",
    "Utfärda, verifiera och återkalla digitala intyg",
  ],
  skills: [{ name: "informationssäkerhet" }, { name: "digital förvaltning" }],
  assessment: "Godkänd inlämningsuppgift",
};

function emailPart(value: string): string {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

type SyntheticAttendee = {
  name: string;
  email: string;
  birthDate?: string;
  organisation: string;
  role: string;
  team?: string;
  parts: string[];
};

/** The same `count` attendees every run: names from the lists above, one e-mail address each. */
export function syntheticAttendees(count: number): SyntheticAttendee[] {
  const used = new Map<string, number>();
  const list: SyntheticAttendee[] = [];
  for (let i = 0; i < count; i++) {
    const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const last = LAST_NAMES[(i * 7 + Math.floor(i / FIRST_NAMES.length)) % LAST_NAMES.length]!;
    const base = `${emailPart(first)}.${emailPart(last)}`;
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    const team = i % 33 === 5 ? TEAMS[Math.floor(i / 33) % TEAMS.length] : undefined;
    const role = team
      ? "hackathondeltagare"
      : i % 97 === 3
        ? "arrangör"
        : i % 41 === 7
          ? "talare"
          : "deltagare";
    const parts = [
      ...(i % 5 < 3 ? ["natverksdag"] : []),
      ...(i % 7 !== 0 ? ["seminariedag-1"] : []),
      ...(i % 4 !== 1 ? ["seminariedag-2"] : []),
      ...(team ? ["hackathon"] : []),
    ];
    list.push({
      name: `${first} ${last}`,
      email: `${base}${n > 1 ? n : ""}@example.se`,
      ...(i % 3 === 0
        ? {
            birthDate: `${1960 + (i % 40)}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`,
          }
        : {}),
      organisation: ORGANISATIONS[(i * 13) % ORGANISATIONS.length]!,
      role,
      ...(team ? { team: `Lag ${team}` } : {}),
      parts: parts.length > 0 ? parts : ["seminariedag-1"],
    });
  }
  return list;
}

/** The attendee list as Excel writes "CSV UTF-8" in Swedish: BOM, `;`, CRLF, Swedish headers. */
function attendeeCsv(attendees: SyntheticAttendee[]): string {
  return formatCsv(
    ["Namn", "E-post", "Födelsedatum", "Organisation", "Roll", "Lag", "Delar"],
    attendees.map((a) => [
      a.name,
      a.email,
      a.birthDate ?? "",
      a.organisation,
      a.role,
      a.team ?? "",
      a.parts.join(", "),
    ]),
  );
}

// -- running it -------------------------------------------------------------------------------------------------

type Target = {
  serviceUrl: string;
  apiKey: string;
  rpcUrl: string;
  registry: Address;
  source: string;
  stack?: LocalStack;
};

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url.replace(/\/$/, "")}/healthz`, { signal: AbortSignal.timeout(3000) });
    return response.ok;
  } catch {
    return false;
  }
}

// The demo's own texts: the English table defines the keys, the Swedish one must have each of them.
type Template = (p: Record<string, string | number | undefined>) => string;

const en = {
  time: () => "time",
  "intyg-demo-attendees": (p) => `Intyg demo: ${p.name}, ${p.count} attendees`,
  "start-chain-registry-service": () => "Start: chain, registry, service",
  using: () => "using",
  "no-pnpm-start-service": () => "no `pnpm start` service answers (.intyg/dev.json): starting one here",
  chain: () => "chain",
  registry: () => "registry",
  service: () => "service",
  "events-and-course-registered": () => "Events and course registered on chain",
  issuer: () => "issuer",
  organisation: () => "organisation",
  event: () => "event",
  "the-attendee-file-is": () => "The attendee file is checked row by row",
  "rows-no-errors": () => "rows, no errors",
  "e-g": () => "e.g.",
  "credentials-issued-in-one": (p) => `${p.count} credentials issued in ONE bulk request`,
  credentials: () => "credentials",
  job: () => "job",
  request: () => "request",
  "job-done": () => "job done",
  later: () => "later",
  "the-service-runs-in": () =>
    "the service runs in the demo's process: the job, which the worker starts at once, delays the request's answer",
  "anchored-on-chain-in": () => "Anchored on chain in ONE batch",
  anchored: () => "anchored",
  root: () => "root",
  transaction: () => "transaction",
  "a-few-credentials-verified": () => "A few credentials verified with @intyg/verifier",
  "all-three-in-one": () => "all three in one call",
  verified: () => "verified",
  "one-credential-revoked-and": () => "One credential revoked and verified again",
  revoked: () => "revoked",
  "selective-disclosure-name-and": () => "Selective disclosure: name and event shown, e-mail hidden",
  "share-link": () => "share link",
  characters: () => "characters",
  "hidden-claims": () => "hidden claims",
  "course-credentials-with-hours": () => "Course credentials with hours and credits",
  "course-credentials": () => "course credentials",
  "valid-until": () => "valid until",
  timings: () => "Timings",
  "the-demo-did-not": () => "The demo did not go as expected",
  "done-every-verdict-was": () => "Done: every verdict was as expected.",
} satisfies Record<string, Template>;

type TextKey = keyof typeof en;

const sv: Record<TextKey, Template> = {
  time: () => "tid",
  "intyg-demo-attendees": (p) => `Intyg-demo: ${p.name}, ${p.count} deltagare`,
  "start-chain-registry-service": () => "Start: kedja, register, tjänst",
  using: () => "kör mot",
  "no-pnpm-start-service": () => "ingen tjänst från `pnpm start` svarar (.intyg/dev.json): startar en egen",
  chain: () => "kedja",
  registry: () => "register",
  service: () => "tjänst",
  "events-and-course-registered": () => "Evenemang och kurs registreras i kedjan",
  issuer: () => "utfärdare",
  organisation: () => "organisation",
  event: () => "evenemang",
  "the-attendee-file-is": () => "Deltagarfilen kontrolleras rad för rad",
  "rows-no-errors": () => "rader, inga fel",
  "e-g": () => "t.ex.",
  "credentials-issued-in-one": (p) => `${p.count} intyg utfärdas i EN bulkbegäran`,
  credentials: () => "intyg",
  job: () => "jobb",
  request: () => "begäran",
  "job-done": () => "jobbet klart",
  later: () => "senare",
  "the-service-runs-in": () =>
    "tjänsten körs i demons process: jobbet, som arbetaren startar direkt, fördröjer svaret på begäran",
  "anchored-on-chain-in": () => "Förankring i kedjan i EN batch",
  anchored: () => "förankrade",
  root: () => "rot",
  transaction: () => "transaktion",
  "a-few-credentials-verified": () => "Några intyg verifieras med @intyg/verifier",
  "all-three-in-one": () => "alla tre i ett anrop",
  verified: () => "verifierade",
  "one-credential-revoked-and": () => "Ett intyg återkallas och verifieras igen",
  revoked: () => "återkallat",
  "selective-disclosure-name-and": () => "Selektivt röjande: namn och evenemang visas, e-post döljs",
  "share-link": () => "delningslänk",
  characters: () => "tecken",
  "hidden-claims": () => "dolda uppgifter",
  "course-credentials-with-hours": () => "Kursintyg med timmar och poäng",
  "course-credentials": () => "kursintyg",
  "valid-until": () => "giltiga till",
  timings: () => "Tider",
  "the-demo-did-not": () => "Demon gick inte som väntat",
  "done-every-verdict-was": () => "Klart: alla utslag blev som väntat.",
};

const TEXTS: Record<Lang, Record<TextKey, Template>> = { en, sv };
const t = (lang: Lang, key: TextKey, params: Record<string, string | number | undefined> = {}) =>
  TEXTS[lang][key](params);

function verdictLine(report: VerificationReport, lang: Lang): string {
  const failed = report.checks.find((c) => c.status === "failed");
  const detail =
    failed && !report.verdict.includes(failed.message)
      ? `\n      ${CHECK_NAMES[lang][failed.id]}: ${failed.message}`
      : "";
  return `${report.verified ? "✔" : "✖"} ${report.verdict}${detail}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      attendees: { type: "string", default: "1000" },
      "against-running": { type: "boolean", default: false },
      lang: { type: "string", default: "sv" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "usage: pnpm demo [--attendees N (default 1000)] [--against-running] [--lang sv|en]\n" +
        "  --against-running  use the service of `pnpm start` (.intyg/dev.json) when it answers;\n" +
        "                     otherwise a chain and a service are started here and stopped at the end\n",
    );
    return 0;
  }
  const count = Number(values.attendees);
  if (!Number.isInteger(count) || count < 3 || count > 10_000) {
    process.stderr.write("demo: --attendees must be a whole number from 3 to 10000\n");
    return 2;
  }
  const lang: Lang = values.lang === "en" ? "en" : "sv";
  const io: CliIo = processIo();
  const out = (text = "") => process.stdout.write(`${text}\n`);
  const timings: [string, number][] = [];
  const phase = async <T>(title: string, run: () => Promise<T>): Promise<T> => {
    out(`\n== ${title}`);
    const started = performance.now();
    const result = await run();
    const ms = performance.now() - started;
    timings.push([title, ms]);
    out(`   ${t(lang, "time")}: ${(ms / 1000).toFixed(2)} s`);
    return result;
  };
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };

  let target: Target | undefined;
  const workDir = await mkdtemp(path.join(tmpdir(), "intyg-demo-"));
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write("\ndemo: stopping…\n");
    void Promise.resolve(target?.stack?.stop())
      .catch(() => undefined)
      .finally(() => rm(workDir, { recursive: true, force: true }).finally(() => process.exit(130)));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    out(t(lang, "intyg-demo-attendees", { name: CONFERENCE.name, count }));
    target = await phase(t(lang, "start-chain-registry-service"), async () => {
      if (values["against-running"]) {
        const dev = findDevConfig(process.cwd());
        if (dev?.serviceUrl && dev.apiKey && dev.rpcUrl && dev.registry && (await answers(dev.serviceUrl))) {
          out(`   ${t(lang, "using")} ${dev.serviceUrl} (${dev.file})`);
          return {
            serviceUrl: dev.serviceUrl,
            apiKey: dev.apiKey,
            rpcUrl: dev.rpcUrl,
            registry: dev.registry as Address,
            source: dev.file,
          };
        }
        out(`   ${t(lang, "no-pnpm-start-service")}`);
      }
      // Bulk requests above 10 attendees become jobs here, to show the job and its progress bar.
      const stack = await startLocalStack({ bulkSyncLimit: 10 });
      out(
        `   ${t(lang, "chain")} ${stack.rpcUrl} (${stack.chainId}), ${t(lang, "registry")} ${stack.registry}`,
      );
      out(`   ${t(lang, "service")} ${stack.serviceUrl}`);
      return { ...stack, source: "self-contained", stack };
    });
    const client = new ServiceClient({ url: target.serviceUrl, apiKey: target.apiKey });
    const chain = { rpcUrl: target.rpcUrl, registry: target.registry };

    // Events: the conference with its parts, its days and hackathon as child events, and a course.
    const { conference, course } = await phase(t(lang, "events-and-course-registered"), async () => {
      const organisation = await client.organisation();
      out(
        `   ${t(lang, "issuer")}: ${organisation.name} (${t(lang, "organisation")} ${organisation.chainOrganisationId})`,
      );
      const conference = await client.createEvent({ kind: "event", details: CONFERENCE });
      out(
        `   ${conference.details.name}  ${conference.id}  (${t(lang, "event")} ${conference.chainEventId})`,
      );
      for (const child of CHILD_EVENTS) {
        const created = await client.createEvent({
          kind: "event",
          parentId: conference.id,
          details: child,
        });
        out(`     └ ${created.details.name}  ${created.id}`);
      }
      const course = await client.createEvent({ kind: "course", details: COURSE });
      out(`   ${course.details.name}  ${course.id}  (${COURSE.hours} h, ${COURSE.credits} hp)`);
      return { conference, course };
    });

    // The attendee file, as an organiser would export it from a spreadsheet.
    const attendees = syntheticAttendees(count);
    const csvFile = path.join(workDir, "deltagare.csv");
    const csv = new TextEncoder().encode(attendeeCsv(attendees));
    await phase(t(lang, "the-attendee-file-is"), async () => {
      await writeFile(csvFile, csv);
      const list = readAttendees(csv, { kind: "event", parts: CONFERENCE.parts }, { lang });
      expect(list.errors.length === 0, "the generated attendee file has errors");
      out(
        `   ${csvFile}: ${list.rows.length} ${t(lang, "rows-no-errors")} (${(csv.length / 1024).toFixed(0)} KiB)`,
      );
      out(
        `   ${t(lang, "e-g")} ${attendees
          .slice(0, 3)
          .map((a) => `${a.name} <${a.email}>`)
          .join(", ")}`,
      );
    });

    const issued = await phase(t(lang, "credentials-issued-in-one", { count }), async () => {
      const outcome = await issueFromCsv(client, io, { eventId: conference.id, csv, lang });
      out(
        `   ${outcome.result!.count} ${t(lang, "credentials")}${outcome.job ? `, ${t(lang, "job")} ${outcome.job.id}` : ""}, Idempotency-Key ${outcome.idempotencyKey}`,
      );
      const { requestMs = 0, jobMs } = outcome.timings;
      out(
        `   ${t(lang, "request")} ${(requestMs / 1000).toFixed(2)} s${jobMs !== undefined ? `, ${t(lang, "job-done")} ${(jobMs / 1000).toFixed(2)} s ${t(lang, "later")}` : ""}`,
      );
      if (target!.stack && jobMs !== undefined) {
        out(`   (${t(lang, "the-service-runs-in")})`);
      }
      expect(outcome.result!.count === count, `issued ${outcome.result!.count}, expected ${count}`);
      return outcome.result!.credentials;
    });

    await phase(t(lang, "anchored-on-chain-in"), async () => {
      await waitForAnchoring(client, io, conference.id, { lang });
      const records = await client.eventCredentials(conference.id);
      const roots = new Set(records.map((r) => r.batch?.root));
      const first = await client.credential(issued[0]!.id);
      let gas = "";
      if (first.txHash) {
        const receipt = await rpc<{ gasUsed: string }>(target!.rpcUrl, "eth_getTransactionReceipt", [
          first.txHash,
        ]);
        gas = `, gas ${BigInt(receipt.gasUsed).toLocaleString("sv-SE")}`;
      }
      out(
        `   ${records.filter((r) => r.status === "anchored").length} ${t(lang, "anchored")}, ${roots.size} batch (${t(lang, "root")} ${first.batch?.root})`,
      );
      out(`   ${t(lang, "transaction")} ${first.txHash}${gas}`);
      expect(roots.size === 1, `${roots.size} batches, expected 1`);
      expect(
        records.every((r) => r.status === "anchored"),
        "not every credential was anchored",
      );
    });

    const sample = [0, Math.floor(count / 2), count - 1].map((i) => issued[i]!.id);
    const documents = new Map<string, Record<string, unknown>>();
    await phase(t(lang, "a-few-credentials-verified"), async () => {
      for (const id of sample) {
        const resource: CredentialResource = await client.credential(id);
        documents.set(id, resource.credential!);
        const report = await verifyCredential(resource.credential, { ...chain, lang });
        const name = (resource.credential!.credentialSubject as { name?: string }).name;
        out(`   ${name}: ${verdictLine(report, lang)}`);
        expect(report.verified, `${id} did not verify`);
      }
      const started = performance.now();
      const reports = await verifyCredentials([...documents.values()], { ...chain, lang });
      out(
        `   ${t(lang, "all-three-in-one")}: ${reports.filter((r) => r.verified).length}/${reports.length} ${t(lang, "verified")} (${(performance.now() - started).toFixed(0)} ms)`,
      );
    });

    await phase(t(lang, "one-credential-revoked-and"), async () => {
      const id = sample[1]!;
      let revoked = await client.revoke(id, "issuedInError");
      while (revoked.revocation?.status === "requested") {
        await new Promise((resolve) => setTimeout(resolve, 200));
        revoked = await client.credential(id);
      }
      out(`   ${id}: ${t(lang, "revoked")} (${revoked.revocation?.reason}, ${revoked.revocation?.status})`);
      const report = await verifyCredential(documents.get(id), { ...chain, lang });
      out(`   ${verdictLine(report, lang)}`);
      const revocation = report.checks.find((c) => c.id === "revocation");
      expect(!report.verified && revocation?.status === "failed", "the revoked credential still verified");
    });

    await phase(t(lang, "selective-disclosure-name-and"), async () => {
      const id = sample[0]!;
      const hide = [
        "/credentialSubject/email",
        "/credentialSubject/birthDate",
        "/credentialSubject/organisation",
      ];
      const share = await client.share(id, hide);
      out(
        `   ${t(lang, "share-link")}: ${share.url.slice(0, 90)}… (${share.url.length} ${t(lang, "characters")})`,
      );
      const report = await verifyCredential(share.url, { ...chain, lang });
      const proved = report.credential ?? {};
      for (const claim of proved.subject ?? []) {
        out(
          `   ${claim.path}: ${typeof claim.value === "string" ? claim.value : JSON.stringify(claim.value)}`,
        );
      }
      out(`   ${t(lang, "event")}: ${proved.achievement?.name}`);
      out(`   ${t(lang, "hidden-claims")}: ${proved.hiddenClaims ?? 0}`);
      out(`   ${verdictLine(report, lang)}`);
      const shown = (proved.subject ?? []).map((c) => c.path);
      expect(report.verified, "the disclosed credential did not verify");
      expect(
        shown.some((p) => p.endsWith("name")),
        "the name was not shown",
      );
      expect(!shown.some((p) => p.endsWith("email")), "the e-mail address was not hidden");
      expect(
        !share.url.includes("example.se") && !decodeURIComponent(share.url).includes("@example.se"),
        "the share link carries the e-mail",
      );
    });

    await phase(t(lang, "course-credentials-with-hours"), async () => {
      const graduates = attendees
        .filter((a) => a.team)
        .slice(0, Math.max(2, Math.min(30, Math.floor(count / 10))));
      const validUntil = `${new Date().getUTCFullYear() + 3}-06-30T23:59:59Z`;
      const sent = await client.issueBulk(
        course.id,
        {
          attendees: graduates.map((a) => ({
            subject: {
              name: a.name,
              email: a.email,
              organisation: a.organisation,
              result: [{ type: ["Result"], value: "Godkänd" }],
            },
          })),
          validUntil,
        },
        `demo-course-${course.id}`,
      );
      const items =
        sent.result?.credentials ?? (await pollJob(client, io, sent.job!, { lang, quiet: true })).credentials;
      await waitForAnchoring(client, io, course.id, { lang, quiet: true });
      const resource = await client.credential(items[0]!.id);
      const report = await verifyCredential(resource.credential, { ...chain, lang });
      const achievement = (resource.credential!.credentialSubject as { achievement: typeof COURSE })
        .achievement;
      out(
        `   ${items.length} ${t(lang, "course-credentials")}, ${t(lang, "valid-until")} ${validUntil.slice(0, 10)}`,
      );
      out(`   ${achievement.name}: ${achievement.hours} h, ${achievement.credits} hp`);
      out(
        `   ${(resource.credential!.credentialSubject as { name: string }).name}: ${verdictLine(report, lang)}`,
      );
      expect(report.verified, "the course credential did not verify");
    });

    out(`\n== ${t(lang, "timings")}`);
    const width = Math.max(...timings.map(([t]) => t.length));
    for (const [title, ms] of timings)
      out(`   ${title.padEnd(width)}  ${(ms / 1000).toFixed(2).padStart(7)} s`);
    const total = timings.reduce((sum, [, ms]) => sum + ms, 0);
    out(`   ${"".padEnd(width, "-")}  ${(total / 1000).toFixed(2).padStart(7)} s`);
    if (problems.length > 0) {
      out(`\n${t(lang, "the-demo-did-not")}:`);
      for (const p of problems) out(`   ✖ ${p}`);
      return 1;
    }
    out(`\n${t(lang, "done-every-verdict-was")}`);
    return 0;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    if (!interrupted) {
      await target?.stack?.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  }
}

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return ((await response.json()) as { result: T }).result;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(
        `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
