// `intyg events create|list|show`: attendance events — a conference and its parts (a networking day, seminar
// days, a hackathon), each registered on chain by the service so that credentials can point to them.

import { PART_KINDS, type PartKind } from "@intyg/credential";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { CliError, EXIT } from "../errors";
import type { CliIo } from "../io";
import type { EventResource } from "../organiser/api";
import {
  checkDate,
  checkId,
  collect,
  connect,
  eventDates,
  kindLabel,
  type Lang,
  langOption,
  printJson,
} from "../organiser/common";
import { COUNT_WORDS, t } from "../texts";

type CreateFlags = {
  name: string;
  start: string;
  end?: string;
  place?: string;
  description?: string;
  criteria?: string;
  parent?: string;
  part: string[];
  json?: boolean;
  lang: Lang;
};

const PART_KIND_ALIASES: Record<string, PartKind> = {
  nätverk: "networking",
  nätverksdag: "networking",
  seminarium: "seminar",
  seminarie: "seminar",
  seminariedag: "seminar",
  pass: "session",
  workshop: "workshop",
  verkstad: "workshop",
  annat: "other",
  hackaton: "hackathon",
};

function partKind(value: string): PartKind | undefined {
  const key = value.trim().toLowerCase();
  return (PART_KINDS as readonly string[]).includes(key) ? (key as PartKind) : PART_KIND_ALIASES[key];
}

/** `natverk-dag-1` from `Nätverksdag 1`. */
export function slug(value: string): string {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

/** `KIND|NAME[|DATE]` or `ID|KIND|NAME[|DATE]`. */
export function parsePart(
  lang: Lang,
  value: string,
): { id: string; name: string; kind: PartKind; date?: string } {
  const fields = value.split("|").map((f) => f.trim());
  const usage = t(lang, "usage.part", { kinds: PART_KINDS.join(", "), value });
  let id: string | undefined;
  let rest: string[];
  if (fields[0] && partKind(fields[0])) rest = fields;
  else {
    id = fields[0];
    rest = fields.slice(1);
  }
  const [kindText, name, date, ...extra] = rest;
  const kind = kindText ? partKind(kindText) : undefined;
  if (!kind || !name || extra.length > 0) throw new CliError(usage);
  const partId = id || slug(name);
  if (!partId) throw new CliError(usage);
  return { id: partId, name, kind, ...(date ? { date: checkDate(lang, "--part", date) } : {}) };
}

function describeEvent(lang: Lang, event: EventResource): string {
  const d = event.details;
  const lines = [
    `${t(lang, "events.id")}: ${event.id}`,
    `${t(lang, "events.name")}: ${d.name}`,
    `${t(lang, "events.kind")}: ${kindLabel(lang, event.kind)}`,
    `${t(lang, "events.status")}: ${
      event.status === "registered"
        ? t(lang, "events.registered", { chainEventId: event.chainEventId })
        : event.status
    }`,
  ];
  if (event.txHash) lines.push(`${t(lang, "events.transaction")}: ${event.txHash}`);
  if (event.parentId) lines.push(`${t(lang, "events.part-of")}: ${event.parentId}`);
  if (eventDates(event)) lines.push(`${t(lang, "events.dates")}: ${eventDates(event)}`);
  if (d.location) lines.push(`${t(lang, "events.place")}: ${d.location}`);
  if (typeof d.description === "string") lines.push(`${t(lang, "events.description")}: ${d.description}`);
  if (typeof d.criteria === "string") lines.push(`${t(lang, "events.criteria")}: ${d.criteria}`);
  if (d.hours) lines.push(`${t(lang, "events.hours")}: ${d.hours}`);
  if (d.credits) lines.push(`${t(lang, "events.credits")}: ${d.credits}`);
  const outcomes = d.learningOutcomes as string[] | undefined;
  if (outcomes?.length) {
    lines.push(`${t(lang, "events.learning-outcomes")}:`);
    for (const o of outcomes) lines.push(`  - ${o}`);
  }
  const skills = d.skills as { id?: string; name: string }[] | undefined;
  if (skills?.length) {
    lines.push(`${t(lang, "events.skills")}:`);
    for (const s of skills) lines.push(`  - ${s.name}${s.id ? ` <${s.id}>` : ""}`);
  }
  if (typeof d.assessment === "string") lines.push(`${t(lang, "events.assessment")}: ${d.assessment}`);
  if (d.parts?.length) {
    lines.push(`${t(lang, "events.parts")}:`);
    for (const p of d.parts) lines.push(`  ${p.id}  ${p.kind}  ${p.name}${p.date ? `  ${p.date}` : ""}`);
  }
  return lines.join("\n");
}

async function createEvent(io: CliIo, flags: CreateFlags) {
  const { lang } = flags;
  const start = checkDate(lang, "--start", flags.start);
  const end = checkDate(lang, "--end", flags.end ?? flags.start);
  if (
    Date.parse(end.length === 10 ? `${end}T23:59:59Z` : end) <
    Date.parse(start.length === 10 ? `${start}T00:00:00Z` : start)
  ) {
    throw new CliError(t(lang, "usage.end-before-start"));
  }
  const parts = flags.part.map((part) => parsePart(lang, part));
  const ids = new Set<string>();
  for (const part of parts) {
    if (ids.has(part.id)) throw new CliError(t(lang, "usage.part-twice", { id: part.id }));
    ids.add(part.id);
  }
  const client = await connect(io, lang);
  const event = await client.createEvent({
    kind: "event",
    ...(flags.parent ? { parentId: checkId(lang, "--parent", flags.parent) } : {}),
    details: {
      name: flags.name,
      startDate: start,
      endDate: end,
      ...(flags.place ? { location: flags.place } : {}),
      ...(flags.description ? { description: flags.description } : {}),
      ...(flags.criteria ? { criteria: flags.criteria } : {}),
      ...(parts.length > 0 ? { parts } : {}),
    },
  });
  if (flags.json) return printJson(io, event);
  io.stdout(`${t(lang, "events.created")}\n${describeEvent(lang, event)}\n`);
}

export const eventsCommand: CommandModule = {
  name: "events",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    const events = program
      .command("events")
      .description("attendance events: a conference and its parts (networking day, seminars, hackathon)");

    events
      .command("create")
      .description("create an event and register it on chain; with --parent it is a part of a conference")
      .requiredOption("--name <name>", 'the name on the credential, e.g. "Offentliga Rummet 2026"')
      .requiredOption("--start <date>", "first day, YYYY-MM-DD (or a UTC date-time)")
      .option("--end <date>", "last day (default: the first day)")
      .option("--place <place>", 'where, e.g. "Svenska Mässan, Göteborg"')
      .option("--description <text>", "what the event is about")
      .option("--criteria <text>", "what attendance means, e.g. that the attendee was present the whole day")
      .option("--parent <eventId>", "the conference this event is a part of (its id)")
      .option(
        "--part <part>",
        "a part attendees can be credited with (repeat): KIND|NAME[|DATE] or ID|KIND|NAME[|DATE]; KIND is networking, seminar, session, hackathon, workshop or other",
        collect,
        [],
      )
      .option("--json", "print the created event as JSON")
      .addOption(langOption(io))
      .addHelpText(
        "after",
        "\nThe service stores the details and registers the event in the registry with their hash; no personal\n" +
          "data goes on chain. A conference is one event; its days, seminar sessions or hackathon can be parts\n" +
          '(--part, listed per attendee in the attendee file\'s "delar" column) or events of their own (--parent).\n' +
          "\nExamples:\n" +
          '  intyg events create --name "Offentliga Rummet 2026" --start 2026-05-12 --end 2026-05-14 \\\n' +
          '    --place "Svenska Mässan, Göteborg" --part "natverk|networking|Nätverksdag|2026-05-12" \\\n' +
          '    --part "hackathon|Hackathon: tillförlitliga data i vård och skola"\n' +
          '  intyg events create --parent 3f1d… --name "Seminariedag 1" --start 2026-05-13 \\\n' +
          '    --part "session|AI i välfärden" --part "session|Digital identitet"\n',
      )
      .action(async (flags: CreateFlags) => {
        await createEvent(io, flags);
        context.setExitCode(EXIT.ok);
      });

    events
      .command("list")
      .description("list your organisation's events and courses")
      .option("--kind <kind>", "only events or only courses (event, course)")
      .option("--parent <eventId>", "only the parts of this conference")
      .option("--json", "print the list as JSON")
      .addOption(langOption(io))
      .action(async (flags: { kind?: string; parent?: string; json?: boolean; lang: Lang }) => {
        if (flags.kind && flags.kind !== "event" && flags.kind !== "course") {
          throw new CliError(t(flags.lang, "usage.kind"));
        }
        const client = await connect(io, flags.lang);
        const items = await client.events({
          ...(flags.kind ? { kind: flags.kind } : {}),
          ...(flags.parent ? { parentId: checkId(flags.lang, "--parent", flags.parent) } : {}),
        });
        if (flags.json) printJson(io, items);
        else if (items.length === 0) io.stdout(t(flags.lang, "events.no-events"));
        else {
          for (const e of items) {
            const parent = e.parentId ? `  (${t(flags.lang, "events.part-of-lower")} ${e.parentId})` : "";
            io.stdout(
              `${e.id}  ${kindLabel(flags.lang, e.kind).padEnd(9)}  ${eventDates(e).padEnd(23)}  ${e.details.name}${parent}\n`,
            );
          }
        }
        context.setExitCode(EXIT.ok);
      });

    events
      .command("show")
      .description("show an event or course: details, parts, sub-events and credentials by status")
      .argument("<eventId>", "the event's id")
      .option("--json", "print the event as JSON")
      .addOption(langOption(io))
      .action(async (id: string, flags: { json?: boolean; lang: Lang }) => {
        const { lang } = flags;
        const client = await connect(io, lang);
        const event = await client.event(checkId(lang, "eventId", id));
        if (flags.json) {
          printJson(io, event);
          return context.setExitCode(EXIT.ok);
        }
        const lines = [describeEvent(lang, event)];
        if (event.children?.length) {
          lines.push(`${t(lang, "events.sub-events")}:`);
          const children = await Promise.all(event.children.map((child) => client.event(child)));
          for (const child of children)
            lines.push(`  ${child.id}  ${eventDates(child).padEnd(23)}  ${child.details.name}`);
        }
        lines.push(...countLines(lang, event));
        io.stdout(`${lines.join("\n")}\n`);
        context.setExitCode(EXIT.ok);
      });
  },
};

/** The credentials of an event in the status model: by state, by standing, by e-mail delivery. */
export function countLines(lang: Lang, event: EventResource): string[] {
  const counts = event.counts;
  if (!counts || counts.total === 0) return [`${t(lang, "events.credentials")}: ${t(lang, "events.none")}`];
  const words: Record<string, string> = COUNT_WORDS[lang];
  const list = (record: Record<string, number>, skipNone = false) =>
    Object.entries(record)
      .filter(([key, n]) => n > 0 && !(skipNone && key === "none"))
      .map(([key, n]) => `${n} ${words[key] ?? key}`)
      .join(", ");
  const lines = [
    `${t(lang, "events.credentials")}: ${counts.total} (${list(counts.state)})`,
    `${t(lang, "events.standing")}: ${list(counts.standing) || "–"}`,
  ];
  const mail = list(counts.delivery, true);
  if (mail) lines.push(`${t(lang, "events.e-mail")}: ${mail}`);
  return lines;
}

export { describeEvent };
