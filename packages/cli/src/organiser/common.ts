// What the organiser commands share: the language option, the service connection, labels and date checks.

import { chmod, writeFile } from "node:fs/promises";
import type { Lang } from "@intyg/credential";
import { isIsoDate } from "@intyg/credential";
import { Option } from "commander";
import { CliError } from "../errors";
import type { CliIo } from "../io";
import { type CredentialResource, type EventResource, ServiceClient } from "./api";
import { resolveSession } from "./session";

export type { Lang };

export const tr = (lang: Lang, sv: string, en: string) => (lang === "sv" ? sv : en);

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
export async function connect(io: CliIo): Promise<ServiceClient> {
  return new ServiceClient(await resolveSession(io));
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** A calendar date (YYYY-MM-DD) or a UTC date-time, as the API takes them. */
export function checkDate(flag: string, value: string): string {
  const dateTime =
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value) && !Number.isNaN(Date.parse(value));
  if (!(/^\d{4}-\d{2}-\d{2}$/.test(value) && isIsoDate(value)) && !dateTime) {
    throw new CliError(
      `${flag}: write the date as YYYY-MM-DD (or a UTC date-time such as 2026-05-12T09:00:00Z)`,
    );
  }
  return value;
}

/** A UUID, as the API's ids are; anything else is a usage error before any request. */
export function checkId(what: string, value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new CliError(`${what}: not an id (a UUID such as 3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f): ${value}`);
  }
  return value.toLowerCase();
}

export function credentialStatusLabel(
  lang: Lang,
  c: Pick<CredentialResource, "status" | "revocation">,
): string {
  if (c.revocation) {
    const state = {
      requested: tr(lang, "återkallelse begärd", "revocation requested"),
      confirmed: tr(lang, "återkallat", "revoked"),
      failed: tr(lang, "återkallelsen misslyckades", "revocation failed"),
    }[c.revocation.status];
    return `${state} (${c.revocation.reason})`;
  }
  return {
    pending: tr(lang, "väntar på förankring", "waiting to be anchored"),
    sending: tr(lang, "förankras nu", "being anchored"),
    anchored: tr(lang, "förankrat i kedjan", "anchored on chain"),
    cancelled: tr(lang, "avbrutet", "cancelled"),
    failed: tr(lang, "misslyckades", "failed"),
  }[c.status];
}

export function eventDates(event: EventResource): string {
  const { startDate, endDate } = event.details;
  if (!startDate) return "";
  return endDate && endDate !== startDate ? `${startDate} – ${endDate}` : startDate;
}

export function kindLabel(lang: Lang, kind: EventResource["kind"]): string {
  return kind === "course" ? tr(lang, "kurs", "course") : tr(lang, "evenemang", "event");
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A number that may be written with a decimal comma (7,5 hp). */
export function parseNumber(flag: string, value: string): number {
  const n = Number(value.replace(",", "."));
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${flag}: not a positive number: ${value}`);
  return n;
}

/** Writes a file only its owner can read (it may hold attendees' links or personal data), replacing an older one. */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
}
