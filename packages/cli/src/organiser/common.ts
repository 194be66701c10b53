// What the organiser commands share: the language option, the service connection, labels and date checks.

import { chmod, writeFile } from "node:fs/promises";
import type { Lang } from "@intyg/credential";
import { isIsoDate } from "@intyg/credential";
import { Option } from "commander";
import { CliError, EXIT } from "../errors";
import type { CliIo } from "../io";
import { t } from "../texts";
import { ApiError, type CredentialResource, type EventResource, ServiceClient } from "./api";
import { resolveSession } from "./session";

export type { Lang };

/**
 * The language when --lang is not given: INTYG_LANG, else the system locale (LC_ALL, LC_MESSAGES, LANG):
 * Swedish for sv_*, English for any other locale that is set, Swedish when none is.
 */
export function defaultLang(env: CliIo["env"]): Lang {
  if (env.INTYG_LANG === "en" || env.INTYG_LANG === "sv") return env.INTYG_LANG;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  if (!locale || locale === "C" || locale === "POSIX" || /^C\./.test(locale)) return "sv";
  return /^sv([_.-]|$)/i.test(locale) ? "sv" : "en";
}

/** `--lang sv|en`, by default {@link defaultLang}. */
export function langOption(io: CliIo, description = "language of messages (sv, en)"): Option {
  return new Option("--lang <lang>", description).choices(["sv", "en"]).default(defaultLang(io.env));
}

/** The client of the service the organiser is logged in to. */
export async function connect(io: CliIo, lang: Lang): Promise<ServiceClient> {
  return new ServiceClient(await resolveSession(io, lang), { lang });
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** A calendar date (YYYY-MM-DD) or a UTC date-time, as the API takes them. */
export function checkDate(lang: Lang, flag: string, value: string): string {
  const dateTime =
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value) && !Number.isNaN(Date.parse(value));
  if (!(/^\d{4}-\d{2}-\d{2}$/.test(value) && isIsoDate(value)) && !dateTime) {
    throw new CliError(t(lang, "usage.date", { flag }));
  }
  return value;
}

/** A UUID, as the API's ids are; anything else is a usage error before any request. */
export function checkId(lang: Lang, what: string, value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new CliError(t(lang, "usage.not-an-id", { what, value }));
  }
  return value.toLowerCase();
}

/**
 * Asks the organiser to confirm `what` (yes / ja); refused, or no one to ask (no terminal and no --yes), the
 * command ends with exit code 2 and nothing is changed.
 */
export async function confirm(io: CliIo, lang: Lang, what: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!io.promptLine) {
    throw new CliError(t(lang, "confirm.needs-yes"));
  }
  const answer = (await io.promptLine(`${what}\n${t(lang, "confirm.prompt")}`)).trim().toLowerCase();
  if (!["j", "ja", "y", "yes"].includes(answer)) {
    throw new CliError(t(lang, "confirm.cancelled"));
  }
}

/** The status model in words: the document's state, and its standing once known. */
export function statusModelLabel(
  lang: Lang,
  c: Pick<CredentialResource, "state" | "standing" | "revocation">,
): string {
  const state = {
    pending: t(lang, "label.waiting-to-be-anchored"),
    anchored: t(lang, "label.anchored"),
    failed: t(lang, "label.anchoring-failed"),
    cancelled: t(lang, "label.cancelled"),
    erased: t(lang, "label.erased"),
  }[c.state];
  const standing = c.standing
    ? {
        valid: t(lang, "label.valid"),
        revoked: t(lang, "label.revoked"),
        superseded: t(lang, "label.superseded"),
        expired: t(lang, "label.expired"),
      }[c.standing]
    : null;
  const reason = c.standing === "revoked" && c.revocation ? ` (${c.revocation.reason})` : "";
  return standing ? `${state}, ${standing}${reason}` : state;
}

export function credentialStatusLabel(
  lang: Lang,
  c: Pick<CredentialResource, "status" | "revocation">,
): string {
  if (c.revocation) {
    const state = {
      requested: t(lang, "label.revocation-requested"),
      confirmed: t(lang, "label.revoked"),
      failed: t(lang, "label.revocation-failed"),
    }[c.revocation.status];
    return `${state} (${c.revocation.reason})`;
  }
  return {
    pending: t(lang, "label.waiting-to-be-anchored"),
    sending: t(lang, "label.being-anchored"),
    anchored: t(lang, "label.anchored-on-chain"),
    cancelled: t(lang, "label.cancelled"),
    failed: t(lang, "label.failed"),
  }[c.status];
}

export function eventDates(event: EventResource): string {
  const { startDate, endDate } = event.details;
  if (!startDate) return "";
  return endDate && endDate !== startDate ? `${startDate} – ${endDate}` : startDate;
}

export function kindLabel(lang: Lang, kind: EventResource["kind"]): string {
  return kind === "course" ? t(lang, "label.course") : t(lang, "label.event");
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A number that may be written with a decimal comma (7,5 hp). */
export function parseNumber(lang: Lang, flag: string, value: string): number {
  const n = Number(value.replace(",", "."));
  if (!Number.isFinite(n) || n <= 0)
    throw new CliError(t(lang, "usage.not-a-positive-number", { flag, value }));
  return n;
}

/** Writes a file only its owner can read (it may hold attendees' links or personal data), replacing an older one. */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** An on-chain address (0x and 40 hexadecimal digits); anything else is a usage error before any request. */
export function checkAddress(lang: Lang, what: string, value: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new CliError(t(lang, "usage.address", { what, value }));
  return value;
}

/** A date (YYYY-MM-DD: the start of that day in Swedish time) or a UTC date-time, in unix seconds. */
export function unixTime(lang: Lang, flag: string, value: string): number {
  checkDate(lang, flag, value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return Math.floor(Date.parse(value) / 1000);
  // Midnight in Stockholm: UTC midnight less Stockholm's offset from UTC at that moment (CET or CEST).
  const utc = Date.parse(`${value}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Stockholm",
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(utc));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"));
  return Math.floor((utc - (wall - utc)) / 1000);
}

/** A moment in words in the organiser's language, in Swedish time (unix seconds or an ISO time). */
export function when(lang: Lang, value: number | string): string {
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(lang === "sv" ? "sv-SE" : "en-GB", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "Europe/Stockholm",
  }).format(date);
}

/**
 * Runs an admin request, saying in words what a refusal means: an API key that is not an admin key (403),
 * or a service that keeps no organisation keys (501 key.no-keyring).
 */
export async function asAdmin<T>(lang: Lang, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof ApiError && error.status === 403)
      throw new CliError(t(lang, "keys.admin-required"), EXIT.usage, { cause: error });
    if (error instanceof ApiError && (error.status === 501 || error.problem?.code === "key.no-keyring"))
      throw new CliError(t(lang, "keys.no-keyring"), EXIT.failure, { cause: error });
    throw error;
  }
}
